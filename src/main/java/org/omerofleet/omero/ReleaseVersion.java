package org.omerofleet.omero;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Identify an OMERO.server release such as {@code 4.4.1}, optionally with the Ice tag and build
 * number of its distribution ({@code OMERO.server-4.4.1-ice34-b3035.zip}).
 *
 * <p>Ordering compares the numeric parts (a missing part counts as 0, so {@code 5.6} and
 * {@code 5.6.0} are the same release); the Ice tag and build only break ties so that
 * {@code compareTo} agrees with {@code equals}. Use {@link #isSameReleaseAs} to ask "same release?".
 * Pre-release names such as {@code 5.6.dev2} or {@code 5.6.0-m1} are not releases here.
 *
 * @param numbers the dotted numbers, at least two, e.g. {@code [4, 4, 1]}
 * @param ice     the Ice tag of the distribution, e.g. {@code ice36} or {@code ice3x}
 * @param build   the build number after {@code -b}
 */
public record ReleaseVersion(List<Integer> numbers, Optional<String> ice, OptionalInt build)
        implements Comparable<ReleaseVersion> {

    private static final Pattern RELEASE = Pattern.compile(
            "(?:OMERO\\.server-)?(\\d+(?:\\.\\d+)+)(?:-(ice\\d[0-9a-z]*))?(?:-b(\\d+))?(?:\\.zip)?/?");
    private static final Pattern ICE = Pattern.compile("ice\\d[0-9a-z]*");

    public ReleaseVersion {
        numbers = List.copyOf(numbers);
        Objects.requireNonNull(ice, "ice");
        Objects.requireNonNull(build, "build");
        if (numbers.size() < 2) {
            throw new IllegalArgumentException("a release needs at least major and minor numbers: " + numbers);
        }
        if (numbers.stream().anyMatch(n -> n < 0)) {
            throw new IllegalArgumentException("release numbers must not be negative: " + numbers);
        }
        ice.ifPresent(tag -> {
            if (!ICE.matcher(tag).matches()) {
                throw new IllegalArgumentException("Ice tag must look like ice36 or ice3x, not \"" + tag + "\"");
            }
        });
        if (build.isPresent() && build.getAsInt() < 0) {
            throw new IllegalArgumentException("build must not be negative: " + build.getAsInt());
        }
    }

    /**
     * {@return the release named by {@code text}, or empty} Accepted: {@code 4.4.1}, and distribution
     * names with or without {@code .zip}: {@code OMERO.server-4.4.1-ice34-b3035.zip},
     * {@code OMERO.server-5.6.3-ice36-b228}, {@code OMERO.server-5.6.3-ice36}.
     */
    public static Optional<ReleaseVersion> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = RELEASE.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            List<Integer> numbers = new ArrayList<>();
            for (String part : m.group(1).split("\\.")) {
                numbers.add(Integer.parseInt(part));
            }
            OptionalInt build = m.group(3) == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(m.group(3)));
            return Optional.of(new ReleaseVersion(numbers, Optional.ofNullable(m.group(2)), build));
        } catch (NumberFormatException tooLarge) {
            return Optional.empty();
        }
    }

    /**
     * {@return the release named by {@code text}}
     *
     * @throws IllegalArgumentException if {@code text} is neither a version such as {@code 5.6.3} nor a
     *                                  distribution name such as {@code OMERO.server-5.6.3-ice36-b228}
     */
    public static ReleaseVersion of(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException(
                "not an OMERO.server release (expected e.g. 5.6.3 or OMERO.server-5.6.3-ice36-b228): \"" + text + "\""));
    }

    /** {@return the first number} */
    public int major() {
        return numbers.get(0);
    }

    /** {@return the second number} */
    public int minor() {
        return numbers.get(1);
    }

    /** {@return the third number, or 0 if there is none} */
    public int micro() {
        return part(2);
    }

    /** {@return the dotted numbers, e.g. {@code 4.4.1}} */
    public String version() {
        return String.join(".", numbers.stream().map(String::valueOf).toList());
    }

    /** {@return the distribution's directory name, e.g. {@code OMERO.server-4.4.1-ice34-b3035}} */
    public String distributionName() {
        return "OMERO.server-" + version() + ice.map(tag -> "-" + tag).orElse("")
                + (build.isPresent() ? "-b" + build.getAsInt() : "");
    }

    /** {@return {@link Layout#V5} from major 5 on, {@link Layout#V4} before} */
    public Layout layout() {
        return major() >= 5 ? Layout.V5 : Layout.V4;
    }

    /**
     * {@return the database schema this release runs on, or empty for a release the table does not know}
     *
     * <p>5.1.x is mapped to {@code OMERO5.1__1}. Both {@code OMERO5.1__0} and {@code OMERO5.1__1} exist
     * and which 5.1 point release moved to {@code __1} is not known. {@code __1} is chosen because it
     * is the only 5.1 schema the 5.2 upgrade starts from, and both 5.0 and 5.1__0 upgrade to it. If a
     * 5.1 distribution ships only the {@code __0} scripts, {@link UpgradeScripts#resolve(SchemaVersion,
     * SchemaVersion)} reports the difference instead of guessing.
     */
    public Optional<SchemaVersion> schema() {
        int major = major();
        int minor = minor();
        String name = null;
        if (major == 4 && (minor == 3 || minor == 4)) {
            name = "OMERO4." + minor + "__0";
        } else if (major == 5) {
            switch (minor) {
                case 0:
                    name = "OMERO5.0__0";
                    break;
                case 1:
                    name = "OMERO5.1__1";
                    break;
                case 2:
                    name = "OMERO5.2__0";
                    break;
                case 3:
                    name = micro() <= 3 ? "OMERO5.3__0" : "OMERO5.3__1";
                    break;
                case 4:
                case 5:
                case 6:
                    // no schema change from 5.4 to 5.6
                    name = "OMERO5.4__0";
                    break;
                default:
                    break;
            }
        }
        return Optional.ofNullable(name).map(SchemaVersion::of);
    }

    /** {@return true if both name the same numbered release, whatever their Ice tag and build} */
    public boolean isSameReleaseAs(ReleaseVersion other) {
        return compareNumbers(other) == 0;
    }

    /** {@return true if this release's numbers sort after {@code other}'s} */
    public boolean isNewerThan(ReleaseVersion other) {
        return compareNumbers(other) > 0;
    }

    @Override
    public int compareTo(ReleaseVersion other) {
        int c = compareNumbers(other);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(numbers.size(), other.numbers.size());
        if (c != 0) {
            return c;
        }
        c = Integer.compare(build.orElse(-1), other.build.orElse(-1));
        if (c != 0) {
            return c;
        }
        return ice.orElse("").compareTo(other.ice.orElse(""));
    }

    /** {@return the dotted numbers, e.g. {@code 4.4.1}} */
    @Override
    public String toString() {
        return version();
    }

    private int compareNumbers(ReleaseVersion other) {
        int n = Math.max(numbers.size(), other.numbers.size());
        for (int i = 0; i < n; i++) {
            int c = Integer.compare(part(i), other.part(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private int part(int index) {
        return index < numbers.size() ? numbers.get(index) : 0;
    }
}
