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

    /** Started with a heap limit, as {@code bin/omero-fleet} starts it, the controller runs in that one JVM. */
    @Test
    void aJvmStartedWithAHeapLimitRunsTheCommandItself() {
        assertFalse(Relaunch.wanted(List.of("-Xmx512m", "-XX:+UseSerialGC"), Map.of(), new String[] {"run", "-i", "inv.yml", "site.yml"}));
    }

    /** The SSH warm-up thread starts for commands that contact hosts, as bin/omero-fleet's archive list says, and for no help or listing. */
    @Test
    void onlyCommandsThatContactHostsWarmUpTheSshClient() {
        assertTrue(Relaunch.contactsHosts(new String[] {"upgrade", "-i", "inv.yml", "--release", "r.zip"}));
        assertTrue(Relaunch.contactsHosts(new String[] {"run", "site.yml", "-i", "h1,"}));
        assertFalse(Relaunch.contactsHosts(new String[] {"run", "site.yml", "--list-tasks"}));
        assertFalse(Relaunch.contactsHosts(new String[] {"plan", "--help"}));
        assertFalse(Relaunch.contactsHosts(new String[] {"inventory", "-i", "inv.yml"}));
        assertFalse(Relaunch.contactsHosts(new String[] {}));
    }

    /** The relaunched JVM may start in another directory, and its archive records the class path: every entry is absolute. */
    @Test
    void theRelaunchedClassPathIsAbsolute() {
        String cwd = Path.of("").toAbsolutePath().toString();
        assertEquals(cwd + "/target/omero-fleet.jar", Relaunch.absolute("target/omero-fleet.jar"));
        assertEquals("/opt/a.jar:" + cwd + "/b", Relaunch.absolute("/opt/a.jar:b"));
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
