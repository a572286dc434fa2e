package org.omerofleet.omero;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Check a host's Ice, Java and PostgreSQL against what a release needs, before anything is stopped
 * (the guide's "ensure you are running a suitable version", and "ice3x needs to be replaced by the
 * appropriate Ice version"). Pure: the host's versions come from {@code omero_facts}, the release's
 * needs from its zip name and upgrade scripts. A version the host did not give is reported as unknown
 * (a note), never guessed.
 *
 * <p>Java minimums by series, from the OMERO system requirements of each release (the 4.x ones are
 * uncertain): 4.0-4.3 Java 5, 4.4 and 5.0 Java 6, 5.1-5.3 Java 7, 5.4 on Java 8.
 *
 * @param blockers what stops the upgrade
 * @param notes    what could not be checked, and why
 */
public record Prerequisites(List<String> blockers, List<String> notes) {

    /** {@code IF current_setting('server_version_num')::int < 90300} in a 5.x script. */
    private static final Pattern PG_ASSERT = Pattern.compile("server_version_num'\\)::int(?:eger)?\\s*<\\s*(\\d+)");
    private static final Pattern ICE_TAG = Pattern.compile("ice(\\d)(\\d)");
    private static final Pattern ICE_VERSION = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.\\d+)?");
    private static final Pattern JAVA = Pattern.compile("(\\d+)(?:\\.(\\d+))?.*");
    private static final Pattern PG_VERSION = Pattern.compile("(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?.*");

    public Prerequisites {
        blockers = List.copyOf(blockers);
        notes = List.copyOf(notes);
    }

    /**
     * {@return what stands between a host and {@code target}}
     *
     * @param target        the release, with its Ice tag from the zip name
     * @param scriptTexts   the SQL of the upgrade scripts that will run (for their PostgreSQL assertion)
     * @param host          the host's Ice, Java and PostgreSQL server versions as read (empty when unknown)
     */
    public static Prerequisites check(ReleaseVersion target, List<String> scriptTexts, HostVersions host) {
        List<String> blockers = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        checkIce(target, host.ice(), blockers, notes);
        checkJava(target, host.java(), blockers, notes);
        checkPostgres(scriptTexts, host.postgres(), blockers, notes);
        return new Prerequisites(blockers, notes);
    }

    /**
     * The versions a host reported.
     *
     * @param ice      {@code icegridnode --version}, e.g. {@code 3.4.2}
     * @param java     the version in {@code java -version}, e.g. {@code 1.8.0_292} or {@code 17.0.15}
     * @param postgres the server's {@code server_version}, e.g. {@code 15.10} or {@code 9.3.25}
     */
    public record HostVersions(String ice, String java, String postgres) {
    }

    private static void checkIce(ReleaseVersion target, String hostIce, List<String> blockers, List<String> notes) {
        Matcher tag = ICE_TAG.matcher(target.ice().orElse(""));
        if (!tag.matches()) {
            notes.add("the release names no Ice version (" + target.ice().orElse("no ice tag") + "): the host's Ice is not checked");
            return;
        }
        String wanted = tag.group(1) + "." + tag.group(2);
        Matcher have = ICE_VERSION.matcher(hostIce == null ? "" : hostIce.strip());
        if (!have.lookingAt()) {
            notes.add("the host's Ice version is unknown (no icegridnode answered): cannot check it against " + target.ice().get());
        } else if (!(have.group(1) + "." + have.group(2)).equals(wanted)) {
            blockers.add("Ice " + hostIce.strip() + " on the host, but the release is built for Ice " + wanted + " (" + target.ice().get()
                    + "): use the zip for the host's Ice, or upgrade Ice first");
        }
    }

    private static void checkJava(ReleaseVersion target, String hostJava, List<String> blockers, List<String> notes) {
        int needed = javaMinimum(target);
        OptionalInt have = javaFeature(hostJava);
        if (have.isEmpty()) {
            notes.add("the host's Java version is unknown (no java answered): cannot check it against Java " + needed + " that "
                    + target.version() + " needs");
        } else if (have.getAsInt() < needed) {
            blockers.add("Java " + hostJava.strip() + " on the host, but OMERO " + target.version() + " needs Java " + needed + " or later");
        }
    }

    private static void checkPostgres(List<String> scriptTexts, String hostPg, List<String> blockers, List<String> notes) {
        OptionalInt asserted = postgresMinimum(scriptTexts);
        if (asserted.isEmpty()) {
            return;
        }
        OptionalInt have = postgresNumber(hostPg);
        String wanted = postgresText(asserted.getAsInt());
        if (have.isEmpty()) {
            notes.add("the PostgreSQL server version is unknown: cannot check it against " + wanted + " that the upgrade scripts assert");
        } else if (have.getAsInt() < asserted.getAsInt()) {
            blockers.add("PostgreSQL " + hostPg.strip().split("\\s+")[0] + ", but the upgrade scripts assert PostgreSQL " + wanted + " or later");
        }
    }

    /** {@return the Java feature release a series needs} */
    static int javaMinimum(ReleaseVersion release) {
        int major = release.major();
        int minor = release.minor();
        if (major < 4 || major == 4 && minor < 4) {
            return 5;
        }
        if (major == 4 || major == 5 && minor == 0) {
            return 6;
        }
        return major == 5 && minor < 4 ? 7 : 8;
    }

    /** {@return the feature release of a Java version: 1.6.0_45 is 6, 11.0.2 is 11} */
    static OptionalInt javaFeature(String version) {
        Matcher m = JAVA.matcher(version == null ? "" : version.strip());
        if (!m.matches()) {
            return OptionalInt.empty();
        }
        int first = Integer.parseInt(m.group(1));
        if (first == 1 && m.group(2) != null) {
            return OptionalInt.of(Integer.parseInt(m.group(2)));
        }
        return OptionalInt.of(first);
    }

    /** {@return the highest {@code server_version_num} any script asserts} */
    static OptionalInt postgresMinimum(List<String> scriptTexts) {
        int max = -1;
        for (String text : scriptTexts) {
            Matcher m = PG_ASSERT.matcher(text);
            while (m.find()) {
                max = Math.max(max, Integer.parseInt(m.group(1)));
            }
        }
        return max < 0 ? OptionalInt.empty() : OptionalInt.of(max);
    }

    /** {@return {@code server_version_num} of a version string: 9.3.25 is 90325, 15.10 is 150010} */
    static OptionalInt postgresNumber(String version) {
        Matcher m = PG_VERSION.matcher(version == null ? "" : version.strip());
        if (!m.matches()) {
            return OptionalInt.empty();
        }
        int major = Integer.parseInt(m.group(1));
        int second = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        if (major >= 10) {
            return OptionalInt.of(major * 10000 + second);
        }
        int third = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        return OptionalInt.of(major * 10000 + second * 100 + third);
    }

    static String postgresText(int number) {
        int major = number / 10000;
        return major >= 10 ? major + "." + number % 10000 : major + "." + number / 100 % 100;
    }

    /** {@return the Ice version (major.minor) a release's tag names, e.g. {@code 3.4} for ice34} */
    public static Optional<String> iceOf(ReleaseVersion release) {
        Matcher tag = ICE_TAG.matcher(release.ice().orElse(""));
        return tag.matches() ? Optional.of(tag.group(1) + "." + tag.group(2)) : Optional.empty();
    }
}
