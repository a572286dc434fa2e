package org.omerofleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, as a test. */
class DemoTest {

    @TempDir
    Path dir;

    @Test
    void demoPlansAndUpgradesTheGuidesThreeHostsAndOne56HostThenStopsEverything() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        Path inventory = dir.resolve("sandbox.yml");
        int exit = Main.execute(new String[] {"demo", "--inventory-out", inventory.toString(), "--runs-dir", dir.resolve("runs").toString()},
                print, print);
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, text);
        assertTrue(text.matches("(?s).*omero1 +4\\.3\\.2 +OMERO4\\.3__0 +4\\.4\\.1 +OMERO4\\.4__0 +yes +ready.*"), text);
        assertTrue(text.matches("(?s).*omero3 +4\\.4\\.0 +OMERO4\\.4__0 +4\\.4\\.1 +OMERO4\\.4__0 +no +ready.*"), text);
        assertTrue(text.matches("(?s).*omero1 : SUCCEEDED +4\\.3\\.2 -> 4\\.4\\.1 +OMERO4\\.3__0 -> OMERO4\\.4__0 +backup .*"), text);
        assertTrue(text.matches("(?s).*omero2 : SUCCEEDED +4\\.3\\.2 -> 4\\.4\\.1 +OMERO4\\.3__0 -> OMERO4\\.4__0 +backup .*"), text);
        assertTrue(text.matches("(?s).*omero3 : SUCCEEDED +4\\.4\\.0 -> 4\\.4\\.1 +OMERO4\\.4__0 +backup .*"), text);
        assertTrue(text.contains("BATCH 1/2 [omero1]"), "a canary first: " + text);
        assertTrue(text.matches("(?s).*omero4 : SUCCEEDED +5\\.6\\.3 -> 5\\.6\\.9 +OMERO5\\.4__0 +backup .*"),
                "the 5.6 host (venv, systemd, separate OMERO.web) upgraded beside the guide's: " + text);
        assertTrue(Files.readString(inventory).contains("omero2:"));
        // the demo's own directory (it says where): gone, and no process (its PostgreSQL: postgres -D <dir>/...) left in it
        java.util.regex.Matcher where = java.util.regex.Pattern.compile("\\(in (/[^)]+)\\)").matcher(text);
        assertTrue(where.find(), text);
        String root = where.group(1);
        assertTrue(root.contains("omero-fleet-demo"), root);
        assertFalse(Files.exists(Path.of(root)), "the sandbox's files are removed");
        assertEquals(List.of(), ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(root))
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("")).toList(), "the demo's PostgreSQL is stopped");
    }
}
