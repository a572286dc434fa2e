package org.omerofleet.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

class OmeroReleasesTest {

    private final OmeroReleases releases = new OmeroReleases(Path.of("target", "sandbox-zips"));

    @Test
    void zipNamesFollowTheReleasePattern() throws Exception {
        assertEquals("OMERO.server-4.4.1-ice34-b3035.zip", releases.zip("4.4.1").getFileName().toString());
        assertEquals("OMERO.server-5.6.3-ice36-b228.zip", releases.zip("5.6.3").getFileName().toString());
        assertEquals("OMERO4.3__0", releases.release("4.3.2").schema().toString());
        assertEquals("OMERO5.4__0", releases.release("5.6.3").schema().toString());
    }

    @Test
    void zipHasOneTopLevelFolderNamedAfterTheZip() throws Exception {
        for (OmeroRelease release : releases.all()) {
            Set<String> tops = new TreeSet<>();
            try (ZipFile zip = new ZipFile(releases.zip(release.version()).toFile())) {
                for (ZipEntry e : Collections.list(zip.entries())) {
                    tops.add(e.getName().substring(0, e.getName().indexOf('/')));
                }
            }
            assertEquals(Set.of(release.bundleName()), tops);
        }
    }

    @Test
    void systemUnzipRestoresAnExecutableBinOmero() throws Exception {
        Path home = SandboxTestSupport.traversableTempDir("unzip-");
        ExecResult unzip = LocalCommand.run(List.of("unzip", "-q", releases.zip("4.4.1").toAbsolutePath().toString()),
                home, Map.of(), Duration.ofSeconds(60));
        assertEquals(0, unzip.exitCode(), unzip.stderr());
        Path omero = home.resolve("OMERO.server-4.4.1-ice34-b3035/bin/omero");
        assertTrue(Files.isExecutable(omero));
        Files.createSymbolicLink(home.resolve("OMERO.server"), Path.of("OMERO.server-4.4.1-ice34-b3035"));
        ExecResult version = LocalCommand.run(List.of(home.resolve("OMERO.server/bin/omero").toString(), "version"),
                home, Map.of(), Duration.ofSeconds(30));
        assertEquals("4.4.1-ice34-b3035\n", version.stdout());
        Trees.delete(home);
    }

    @Test
    void release5410ShipsItsHistoryChainAndHelpers() throws Exception {
        Set<String> names = entries("5.4.10", "OMERO.server-5.4.10-ice36-b105/sql/psql/");
        for (String path : List.of("OMERO5.0__0/OMERO4.4__0.sql", "OMERO5.1__0/OMERO5.0__0.sql",
                "OMERO5.1__1/OMERO5.0__0.sql", "OMERO5.1__1/OMERO5.1__0.sql", "OMERO5.2__0/OMERO5.1__1.sql",
                "OMERO5.3__0/OMERO5.2__0.sql", "OMERO5.3__1/OMERO5.2__0.sql", "OMERO5.3__1/OMERO5.3__0.sql",
                "OMERO5.4__0/OMERO5.3__0.sql", "OMERO5.4__0/OMERO5.3__1.sql", "OMERO5.4__0/OMERO5.3__1-precheck.sql",
                "OMERO5.4__0/psql-footer.sql", "OMERO5.4__0/schema.sql")) {
            assertTrue(names.contains(path), path + " missing from " + names);
        }
        Set<String> old = entries("4.4.1", "OMERO.server-4.4.1-ice34-b3035/sql/psql/");
        assertEquals(Set.of("OMERO4.4__0/OMERO4.3__0.sql", "OMERO4.4__0/schema.sql"), old);
    }

    @Test
    void faultyZipKeepsTheNameInItsOwnDirectory() throws Exception {
        Path good = releases.zip("4.4.1");
        Path bad = releases.zip("4.4.1", OmeroReleases.Fault.FAIL_MIDWAY);
        Path silent = releases.zip("4.4.1", OmeroReleases.Fault.SILENT_ERROR);
        assertEquals(good.getFileName(), bad.getFileName());
        assertEquals("fail-midway", bad.getParent().getFileName().toString());
        assertEquals("silent-error", silent.getParent().getFileName().toString());
        assertNotEquals(Files.size(good), Files.size(silent));
    }

    @Test
    void zipIsBuiltOnlyOnce() throws Exception {
        Path zip = releases.zip("5.0.8");
        // a rebuild would write the file anew, with the current time: mark it with one no build can give it
        java.nio.file.attribute.FileTime marked = java.nio.file.attribute.FileTime.fromMillis(86_400_000L);
        Files.setLastModifiedTime(zip, marked);
        Object inode = Files.readAttributes(zip, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        Path again = releases.zip("5.0.8");
        assertEquals(zip, again);
        assertEquals(marked, Files.getLastModifiedTime(again));
        assertEquals(inode, Files.readAttributes(again, java.nio.file.attribute.BasicFileAttributes.class).fileKey());
    }

    private Set<String> entries(String version, String prefix) throws Exception {
        Set<String> names = new TreeSet<>();
        try (ZipFile zip = new ZipFile(releases.zip(version).toFile())) {
            for (ZipEntry e : Collections.list(zip.entries())) {
                if (!e.isDirectory() && e.getName().startsWith(prefix)) {
                    names.add(e.getName().substring(prefix.length()));
                }
            }
        }
        return names;
    }
}
