package org.omerofleet.omero;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Identify an OMERO database schema such as {@code OMERO4.4__0}: the {@code currentVersion} and
 * {@code currentPatch} of the newest {@code dbpatch} row, joined by {@code __}.
 *
 * <p>Names are read with omego's pattern {@code .*OMERO(\d+)(\.|A)?(\d*)([A-Z]*)__(\d+)$} and ordered
 * as omego sorts them: by major number, then separator (none, then {@code .}, then {@code A}), then
 * minor number (none first), then suffix (any suffix such as {@code DEV} before none, because omego
 * sorts a missing suffix as {@code "zzz"}), then patch. So {@code OMERO3__0 < OMERO3A__10 < OMERO4__0
 * < OMERO4.4__0 < OMERO5.0__0 < OMERO5.1DEV__0 < OMERO5.1DEV__10 < OMERO5.1__0}.
 *
 * @param major     the number after {@code OMERO}
 * @param separator {@code "."}, {@code "A"} or {@code ""}
 * @param minor     the digits after the separator, possibly empty
 * @param suffix    upper-case letters before {@code __} such as {@code DEV}, possibly empty
 * @param patch     the number after {@code __}
 */
public record SchemaVersion(int major, String separator, String minor, String suffix, int patch)
        implements Comparable<SchemaVersion> {

    /** omego's {@code SQL_SCHEMA_REGEXP}; {@code matches()} supplies the anchoring of {@code re.match}. */
    private static final Pattern SCHEMA = Pattern.compile(".*OMERO(\\d+)(\\.|A)?(\\d*)([A-Z]*)__(\\d+)");
    private static final Pattern DIGITS = Pattern.compile("\\d*");
    private static final Pattern LETTERS = Pattern.compile("[A-Z]*");
    private static final List<String> SEPARATORS = List.of("", ".", "A");

    private static final Comparator<SchemaVersion> ORDER = Comparator.comparingInt(SchemaVersion::major)
            .thenComparingInt(v -> SEPARATORS.indexOf(v.separator()))
            .thenComparing(SchemaVersion::minor, SchemaVersion::compareNumeric)
            // omego: a release (no suffix) sorts as "zzz", after every upper-case suffix such as DEV
            .thenComparing(v -> v.suffix().isEmpty() ? "zzz" : v.suffix())
            .thenComparingInt(SchemaVersion::patch)
            // "01" and "1" are the same minor to omego; break the tie so compareTo agrees with equals
            .thenComparing(SchemaVersion::minor);

    public SchemaVersion {
        Objects.requireNonNull(separator, "separator");
        Objects.requireNonNull(minor, "minor");
        Objects.requireNonNull(suffix, "suffix");
        if (major < 0 || patch < 0) {
            throw new IllegalArgumentException("schema major and patch must not be negative: " + major + ", " + patch);
        }
        if (!SEPARATORS.contains(separator)) {
            throw new IllegalArgumentException("schema separator must be \".\", \"A\" or empty, not \"" + separator + "\"");
        }
        if (!DIGITS.matcher(minor).matches()) {
            throw new IllegalArgumentException("schema minor must be digits, not \"" + minor + "\"");
        }
        if (separator.isEmpty() && !minor.isEmpty()) {
            // the pattern's greedy major takes every digit, so OMERO44 is major 44, never 4 and 4
            throw new IllegalArgumentException("schema minor needs a separator: major " + major + ", minor \"" + minor + "\"");
        }
        if (!LETTERS.matcher(suffix).matches()) {
            throw new IllegalArgumentException("schema suffix must be upper-case letters, not \"" + suffix + "\"");
        }
    }

    /**
     * {@return the schema named by {@code text}, or empty if omego's pattern does not match it} Like
     * omego, anything before the last {@code OMERO} is ignored, so a path such as
     * {@code sql/psql/OMERO5.0__0} parses too.
     */
    public static Optional<SchemaVersion> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = SCHEMA.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SchemaVersion(Integer.parseInt(m.group(1)),
                    m.group(2) == null ? "" : m.group(2), m.group(3), m.group(4), Integer.parseInt(m.group(5))));
        } catch (NumberFormatException tooLarge) {
            return Optional.empty();
        }
    }

    /**
     * {@return the schema named by {@code text}}
     *
     * @throws IllegalArgumentException if {@code text} is not a schema name such as {@code OMERO4.4__0}
     */
    public static SchemaVersion of(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException(
                "not an OMERO schema version (expected e.g. OMERO4.4__0): \"" + text + "\""));
    }

    /**
     * {@return the schema of a {@code dbpatch} row}
     *
     * @param currentVersion the {@code currentVersion} column, e.g. {@code OMERO4.4}
     * @param currentPatch   the {@code currentPatch} column
     * @throws IllegalArgumentException if the two do not form a schema name
     */
    public static SchemaVersion fromDbRow(String currentVersion, int currentPatch) {
        return of(currentVersion + "__" + currentPatch);
    }

    /**
     * {@return the schema in the output of omego's query run by {@code psql -A -t}}, e.g.
     * {@code "OMERO4.4|0\n"} Empty lines are ignored and, as in omego, exactly one row is required;
     * anything else (no row, several rows, not two fields, an unreadable version) gives empty.
     */
    public static Optional<SchemaVersion> fromPsqlRow(String psqlOutput) {
        if (psqlOutput == null) {
            return Optional.empty();
        }
        List<String> rows = psqlOutput.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (rows.size() != 1) {
            return Optional.empty();
        }
        String[] fields = rows.get(0).split("\\|", -1);
        if (fields.length != 2 || !fields[1].strip().matches("\\d+")) {
            return Optional.empty();
        }
        String name = fields[0].strip();
        // the column holds the bare name: reject text around it, which the pattern alone would allow
        return parse(name + "__" + fields[1].strip()).filter(v -> v.version().equals(name));
    }

    /** {@return the {@code currentVersion} part, e.g. {@code OMERO4.4}} */
    public String version() {
        return "OMERO" + major + separator + minor + suffix;
    }

    /** {@return true if this schema sorts after {@code other}} */
    public boolean isNewerThan(SchemaVersion other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(SchemaVersion other) {
        return ORDER.compare(this, other);
    }

    /** {@return the schema name, e.g. {@code OMERO4.4__0}} */
    @Override
    public String toString() {
        return version() + "__" + patch;
    }

    /** Compare digit strings by value, the empty string first (omego maps it to {@code None}). */
    private static int compareNumeric(String a, String b) {
        if (a.isEmpty() || b.isEmpty()) {
            return Boolean.compare(!a.isEmpty(), !b.isEmpty());
        }
        String x = stripLeadingZeros(a);
        String y = stripLeadingZeros(b);
        return x.length() != y.length() ? Integer.compare(x.length(), y.length()) : x.compareTo(y);
    }

    private static String stripLeadingZeros(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        return digits.substring(i);
    }
}
