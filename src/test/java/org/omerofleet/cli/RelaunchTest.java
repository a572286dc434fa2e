package org.omerofleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelaunchTest {

    @Test
    void onlyCommandsThatContactHostsWithoutAHeapLimitGetASizedJvm() {
        assertTrue(Relaunch.wanted(List.of(), Map.of(), new String[] {"upgrade", "-i", "inv.yml"}));
        assertFalse(Relaunch.wanted(List.of("-Xmx2g"), Map.of(), new String[] {"upgrade", "-i", "inv.yml"}));
        assertFalse(Relaunch.wanted(List.of(), Map.of("OMERO_FLEET_JVM", "inherit"), new String[] {"upgrade"}));
        assertFalse(Relaunch.wanted(List.of(), Map.of(), new String[] {"inventory", "-i", "inv.yml"}));
        assertFalse(Relaunch.wanted(List.of(), Map.of(), new String[] {"run", "--help"}));
        assertFalse(Relaunch.wanted(List.of(), Map.of(), new String[] {}));
    }

    /**
     * Started as the launcher line starts it (options and archive on the command line), the controller runs in
     * that one JVM; only while the archive is missing, or older than the jar, does a command run once in a
     * second JVM that writes it.
     */
    @Test
    void aJvmStartedWithAnArchiveOptionRelaunchesOnlyToWriteAMissingOrStaleArchive(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("omero-fleet.jar"), "a jar");
        Path archive = dir.resolve("omero-fleet.jsa");
        List<String> launcher = List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:SharedArchiveFile=" + archive);
        String[] run = {"run", "-i", "inv.yml", "site.yml"};
        assertFalse(Relaunch.wanted(launcher, Map.of(), run), "the launcher's -Xmx keeps the run in its JVM");
        assertEquals(Optional.of(archive), Relaunch.archiveToWrite(launcher, jar, run), "missing: this run writes it");
        Files.writeString(archive, "an archive");
        Files.setLastModifiedTime(archive, java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 1000));
        assertEquals(Optional.empty(), Relaunch.archiveToWrite(launcher, jar, run), "present and newer than the jar: one JVM");
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(archive).toMillis() + 1000));
        assertEquals(Optional.of(archive), Relaunch.archiveToWrite(launcher, jar, run), "a newer jar: written again");
        assertEquals(Optional.empty(), Relaunch.archiveToWrite(launcher, jar, new String[] {"inventory", "-i", "inv.yml"}));
        assertEquals(Optional.empty(), Relaunch.archiveToWrite(List.of("-Xmx512m"), jar, run), "no archive asked for");
    }

    @Test
    void theSizedJvmWritesAClassDataSharingArchiveOnceAndStartsFromItAfterwards(@TempDir Path dir)
            throws Exception {
        Path jar = Files.writeString(dir.resolve("omero-fleet.jar"), "a jar");
        Path archive = Relaunch.archive(jar, Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString()), dir)
                .orElseThrow();
        assertEquals(dir.resolve("cache/omero-fleet"), archive.getParent());
        assertEquals(List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-XX:ArchiveClassesAtExit=" + archive + ".7"),
                Relaunch.sharing(archive, Optional.of(archive.resolveSibling(archive.getFileName() + ".7"))));
        assertEquals(List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-XX:SharedArchiveFile=" + archive),
                Relaunch.sharing(archive, Optional.empty()));
        assertTrue(Relaunch.archive(dir.resolve("classes"), Map.of(), dir).isEmpty(),
                "no archive when running from a class directory (tests, the IDE)");
    }
}
