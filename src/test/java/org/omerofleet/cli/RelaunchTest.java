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

    /** {@return a YAML inventory of {@code hosts} hosts in {@code dir}} */
    private static Path inventory(Path dir, int hosts) throws Exception {
        StringBuilder yaml = new StringBuilder("all:\n  hosts:\n");
        for (int i = 1; i <= hosts; i++) {
            yaml.append("    omero").append(i).append(":\n      ansible_host: 10.0.0.").append(i).append('\n');
        }
        return Files.writeString(dir.resolve("hosts-" + hosts + ".yml"), yaml);
    }

    @Test
    void onlyRunsOverMoreThanAFewDozenHostsWithoutAHeapLimitGetASizedJvm(@TempDir Path dir) throws Exception {
        String large = inventory(dir, Relaunch.SMALL_RUN + 1).toString();
        String small = inventory(dir, Relaunch.SMALL_RUN).toString();
        assertTrue(Relaunch.wanted(List.of(), Map.of(), new String[] {"upgrade", "-i", large}));
        assertTrue(Relaunch.wanted(List.of(), Map.of(), new String[] {"run", "--inventory=" + large, "site.yml"}));
        assertFalse(Relaunch.wanted(List.of(), Map.of(), new String[] {"upgrade", "-i", small}), "one JVM for a small run");
        assertFalse(Relaunch.wanted(List.of(), Map.of(), new String[] {"run", "-i" + small, "site.yml"}));
        assertFalse(Relaunch.wanted(List.of(), Map.of(), new String[] {"upgrade", "-i", dir.resolve("missing.yml").toString()}),
                "an inventory that does not load is reported by the command, in the first JVM");
        assertTrue(Relaunch.wanted(List.of(), Map.of(), new String[] {"demo"}), "no inventory named: its size is unknown");
        assertFalse(Relaunch.wanted(List.of("-Xmx2g"), Map.of(), new String[] {"upgrade", "-i", large}));
        assertFalse(Relaunch.wanted(List.of(), Map.of("OMERO_FLEET_JVM", "inherit"), new String[] {"upgrade"}));
        assertFalse(Relaunch.wanted(List.of(), Map.of(), new String[] {"inventory", "-i", "inv.yml"}));
        assertFalse(Relaunch.wanted(List.of(), Map.of(), new String[] {"run", "--help"}));
        assertFalse(Relaunch.wanted(List.of(), Map.of(), new String[] {}));
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
