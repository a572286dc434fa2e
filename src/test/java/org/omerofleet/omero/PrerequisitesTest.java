package org.omerofleet.omero;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class PrerequisitesTest {

    static ReleaseVersion release(String name) {
        return ReleaseVersion.parse(name).orElseThrow();
    }

    @Test
    void aHostOnTheReleasesIceJavaAndPostgresqlPasses() {
        Prerequisites p = Prerequisites.check(release("OMERO.server-5.4.10-ice36-b105.zip"),
                List.of("IF current_setting('server_version_num')::int < 90300 THEN"), new Prerequisites.HostVersions("3.6.5", "1.8.0_292", "9.6.24"));
        assertEquals(List.of(), p.blockers());
        assertEquals(List.of(), p.notes());
    }

    @Test
    void eachMismatchIsABlockerNamingBothSides() {
        Prerequisites p = Prerequisites.check(release("OMERO.server-5.4.10-ice36-b105.zip"),
                List.of("IF current_setting('server_version_num')::int < 90300 THEN"), new Prerequisites.HostVersions("3.5.1", "1.7.0_80", "9.2.24"));
        assertEquals(List.of("Ice 3.5.1 on the host, but the release is built for Ice 3.6 (ice36): use the zip for the host's Ice, or upgrade Ice first",
                "Java 1.7.0_80 on the host, but OMERO 5.4.10 needs Java 8 or later",
                "PostgreSQL 9.2.24, but the upgrade scripts assert PostgreSQL 9.3 or later"), p.blockers());
    }

    @Test
    void whatTheHostDidNotSayIsUnknownNotGuessed() {
        Prerequisites p = Prerequisites.check(release("OMERO.server-5.4.10-ice36-b105.zip"),
                List.of("IF current_setting('server_version_num')::int < 90300 THEN"), new Prerequisites.HostVersions("", "", ""));
        assertEquals(List.of(), p.blockers());
        assertEquals(3, p.notes().size(), p.notes().toString());
    }

    @Test
    void aTemplateIceTagOrScriptsWithoutAssertionCheckNothingThere() {
        Prerequisites p = Prerequisites.check(release("OMERO.server-4.4.1-ice3x-b3035.zip"), List.of("BEGIN;"),
                new Prerequisites.HostVersions("3.3.1", "17.0.15", "15.10"));
        assertEquals(List.of(), p.blockers());
        assertEquals(List.of("the release names no Ice version (ice3x): the host's Ice is not checked"), p.notes());
    }

    @Test
    void versionsAreReadAsTheirToolsPrintThem() {
        assertEquals(OptionalInt.of(6), Prerequisites.javaFeature("1.6.0_45"));
        assertEquals(OptionalInt.of(11), Prerequisites.javaFeature("11.0.2"));
        assertEquals(OptionalInt.empty(), Prerequisites.javaFeature("unknown"));
        assertEquals(OptionalInt.of(90325), Prerequisites.postgresNumber("9.3.25"));
        assertEquals(OptionalInt.of(150010), Prerequisites.postgresNumber("15.10 (Debian 15.10-1)"));
        assertEquals("9.3", Prerequisites.postgresText(90300));
        assertEquals("99.0", Prerequisites.postgresText(990000));
        assertEquals(6, Prerequisites.javaMinimum(release("4.4.1")));
        assertEquals(5, Prerequisites.javaMinimum(release("4.3.2")));
        assertEquals(7, Prerequisites.javaMinimum(release("5.3.5")));
        assertEquals(8, Prerequisites.javaMinimum(release("5.6.3")));
    }
}
