package org.omerofleet.omero;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReleaseVersionTest {

    @Test
    void parsesAPlainVersion() {
        assertEquals(new ReleaseVersion(List.of(4, 4, 1), Optional.empty(), OptionalInt.empty()),
                ReleaseVersion.of("4.4.1"));
        assertEquals(List.of(5, 6, 3), ReleaseVersion.of("5.6.3").numbers());
    }

    @Test
    void parsesA4xZipName() {
        assertEquals(new ReleaseVersion(List.of(4, 4, 1), Optional.of("ice34"), OptionalInt.of(3035)),
                ReleaseVersion.of("OMERO.server-4.4.1-ice34-b3035.zip"));
        assertEquals(Optional.of("ice3x"), ReleaseVersion.of("OMERO.server-4.4.1-ice3x-b3035.zip").ice());
    }

    @Test
    void parsesDirectoryNamesWithAndWithoutBuild() {
        assertEquals(new ReleaseVersion(List.of(5, 6, 3), Optional.of("ice36"), OptionalInt.of(228)),
                ReleaseVersion.of("OMERO.server-5.6.3-ice36-b228"));
        assertEquals(new ReleaseVersion(List.of(5, 6, 3), Optional.of("ice36"), OptionalInt.empty()),
                ReleaseVersion.of("OMERO.server-5.6.3-ice36"));
    }

    @Test
    void distributionNamePrintsBack() {
        assertEquals("OMERO.server-4.4.1-ice34-b3035",
                ReleaseVersion.of("OMERO.server-4.4.1-ice34-b3035.zip").distributionName());
        assertEquals("OMERO.server-5.6.3-ice36", ReleaseVersion.of("OMERO.server-5.6.3-ice36").distributionName());
        assertEquals("4.4.1", ReleaseVersion.of("OMERO.server-4.4.1-ice34-b3035.zip").toString());
    }

    @Test
    void preReleasesAndOtherTextAreNotReleases() {
        for (String text : List.of("5.6.dev2", "5.6.0-m1", "5", "latest", "present", "OMERO.server-5.6.3-ice36-bx",
                "OMERO.server-5.6.3.tar.gz", "")) {
            assertEquals(Optional.empty(), ReleaseVersion.parse(text), text);
        }
    }

    @Test
    void ofRejectsTextWithAClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReleaseVersion.of("5.6.dev2"));
        assertEquals("not an OMERO.server release (expected e.g. 5.6.3 or OMERO.server-5.6.3-ice36-b228): \"5.6.dev2\"",
                e.getMessage());
    }

    @Test
    void ordersByNumbers() {
        assertTrue(ReleaseVersion.of("4.4.0").compareTo(ReleaseVersion.of("4.4.1")) < 0);
        assertTrue(ReleaseVersion.of("4.4.10").compareTo(ReleaseVersion.of("5.0.0")) < 0);
        assertTrue(ReleaseVersion.of("5.6.3").isNewerThan(ReleaseVersion.of("5.6.2")));
        assertTrue(ReleaseVersion.of("5.10.0").isNewerThan(ReleaseVersion.of("5.9.9")));
    }

    @Test
    void iceAndBuildDoNotMakeADifferentRelease() {
        ReleaseVersion zip = ReleaseVersion.of("OMERO.server-4.4.1-ice34-b3035.zip");
        ReleaseVersion plain = ReleaseVersion.of("4.4.1");
        assertTrue(zip.isSameReleaseAs(plain));
        assertFalse(zip.isNewerThan(plain));
        assertTrue(ReleaseVersion.of("5.6").isSameReleaseAs(ReleaseVersion.of("5.6.0")));
    }

    @Test
    void layoutIsV4Before5AndV5From5On() {
        assertEquals(Layout.V4, ReleaseVersion.of("4.3.2").layout());
        assertEquals(Layout.V4, ReleaseVersion.of("4.4.1").layout());
        assertEquals(Layout.V5, ReleaseVersion.of("5.0.0").layout());
        assertEquals(Layout.V5, ReleaseVersion.of("5.6.3").layout());
    }

    @Test
    void layoutsDifferInWebSymlinkAndEnvironment() {
        assertTrue(Layout.V4.bundlesWeb());
        assertFalse(Layout.V4.symlinked());
        assertEquals(List.of("PATH", "PYTHONPATH"), Layout.V4.environmentVariables());
        assertEquals(Optional.empty(), Layout.V4.serverDirVariable());
        assertFalse(Layout.V5.bundlesWeb());
        assertTrue(Layout.V5.symlinked());
        assertEquals(Optional.of("OMERODIR"), Layout.V5.serverDirVariable());
        assertEquals(List.of("OMERO_HOME"), Layout.V5.variablesToUnset());
    }

    @ParameterizedTest
    @CsvSource({
        "4.3.0, OMERO4.3__0", "4.3.4, OMERO4.3__0", "4.4.0, OMERO4.4__0", "4.4.1, OMERO4.4__0",
        "4.4.12, OMERO4.4__0", "5.0.8, OMERO5.0__0", "5.1.0, OMERO5.1__1", "5.1.4, OMERO5.1__1",
        "5.2.8, OMERO5.2__0", "5.3.0, OMERO5.3__0", "5.3.3, OMERO5.3__0", "5.3.4, OMERO5.3__1",
        "5.3.5, OMERO5.3__1", "5.4.0, OMERO5.4__0", "5.5.1, OMERO5.4__0", "5.6.3, OMERO5.4__0"
    })
    void mapsReleasesToTheirSchema(String release, String schema) {
        assertEquals(Optional.of(SchemaVersion.of(schema)), ReleaseVersion.of(release).schema());
    }

    @Test
    void unknownReleasesHaveNoSchema() {
        for (String release : List.of("3.2.0", "4.2.2", "5.7.0", "6.0.0")) {
            assertEquals(Optional.empty(), ReleaseVersion.of(release).schema(), release);
        }
    }

    @Test
    void needsAtLeastMajorAndMinor() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ReleaseVersion(List.of(5), Optional.empty(), OptionalInt.empty()));
        assertEquals("a release needs at least major and minor numbers: [5]", e.getMessage());
    }
}
