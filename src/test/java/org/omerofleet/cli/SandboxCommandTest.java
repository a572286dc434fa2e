package org.omerofleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omerofleet.sandbox.OmeroInstall;
import org.omerofleet.sandbox.SandboxDirectory;

/** {@code sandbox up}, the README's commands against it, {@code sandbox down}: nothing it started is left. */
class SandboxCommandTest {

    @TempDir
    Path tmp;

    /** {@return the README's sandbox session: the commands of the first block after "## Try it on a sandbox"} */
    private static List<String> readmeSession() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf("## Try it on a sandbox");
        assertTrue(section >= 0, "README.md has a sandbox section");
        int open = readme.indexOf("```\n", section) + 4;
        String block = readme.substring(open, readme.indexOf("```", open));
        return block.lines().filter(l -> l.startsWith("omero-fleet ")).toList();
    }

    /** The README line as run here: its sandbox/ paths in {@code dir}, runs under {@code runs}. */
    private static String[] adapt(String line, Path dir, Path runs) {
        List<String> args = new ArrayList<>();
        for (String word : line.substring("omero-fleet ".length()).trim().split("\\s+")) {
            args.add(word.startsWith("sandbox/") ? dir + word.substring("sandbox".length()) : word);
        }
        if (args.get(0).equals("sandbox")) {
            args.addAll(List.of("--dir", dir.toString()));
        } else if (!args.get(0).equals("ping")) {
            args.addAll(List.of("--runs-dir", runs.toString()));
        }
        return args.toArray(String[]::new);
    }

    @Test
    void sandboxUpThenTheReadmeCommandsThenDownLeavesNoProcessAndNoFile() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x")); // PostgreSQL may run as nobody
        Path dir = tmp.resolve("sandbox");
        Path runs = tmp.resolve("runs");
        List<String> session = readmeSession();
        assertEquals("omero-fleet sandbox up --hosts 3", session.get(0));
        assertEquals("omero-fleet sandbox down", session.get(session.size() - 1));
        List<String> commands = session.stream().map(l -> l.split("\\s+")[1].equals("sandbox") ? l.split("\\s+")[2] : l.split("\\s+")[1]).toList();
        assertTrue(commands.containsAll(List.of("plan", "backup", "report", "upgrade", "status")), commands.toString());
        List<Long> pids = new ArrayList<>();
        for (String line : session) {
            if (line.equals(session.get(session.size() - 1))) {
                pids.addAll(recordedPids(dir));
                assertEquals(2 + 3, pids.size(), "the sandbox's process, PostgreSQL and 3 servers: " + pids);
            }
            SandboxCli.Run run = SandboxCli.cli(adapt(line, dir, runs));
            assertEquals(0, run.exit(), line + "\n" + run.out());
            if (line.contains("sandbox up")) {
                assertTrue(Files.readString(dir.resolve("inventory.yml")).contains("omero3:"));
            }
            if (line.contains(" upgrade ")) {
                assertTrue(run.out().matches("(?s).*omero1 : SUCCEEDED +4\\.3\\.2 -> 4\\.4\\.1 .*"), run.out());
                assertTrue(run.out().matches("(?s).*omero3 : SUCCEEDED +4\\.4\\.0 -> 4\\.4\\.1 .*"), run.out());
            }
            if (line.contains(" report ")) {
                assertTrue(run.out().matches("(?s).*omero2 +ok +4\\.3\\.2 .*"), run.out());
            }
            if (line.contains("sandbox status")) {
                assertTrue(run.out().matches("(?s).*omero2 +\\d+ +4\\.4\\.1-ice34-b3035 +running.*"), run.out());
            }
        }
        for (long pid : pids) {
            assertFalse(OmeroInstall.running(pid), "process " + pid + " the sandbox started still runs");
        }
        assertFalse(Files.exists(dir), "the sandbox directory is removed");
        assertEquals(4, SandboxCli.cli("sandbox", "status", "--dir", dir.toString()).exit(), "no sandbox runs there any more");
    }

    /** The pids the sandbox itself recorded: its process, the postmaster, each host's running server (its pid file). */
    private static List<Long> recordedPids(Path dir) throws Exception {
        Map<String, String> state = SandboxDirectory.open(dir).state();
        List<Long> pids = new ArrayList<>(List.of(Long.parseLong(state.get("pid")), Long.parseLong(state.get("postgres_pid"))));
        try (Stream<Path> homes = Files.list(dir.resolve("fleet/hosts"))) {
            for (Path home : homes.sorted().toList()) {
                pids.add(Long.parseLong(Files.readString(home.resolve("OMERO.server/var/master/master.pid")).strip()));
            }
        }
        for (long pid : pids) {
            assertTrue(OmeroInstall.running(pid), "recorded process " + pid + " runs before down");
        }
        return pids;
    }

    @Test
    void downRefusesADirectoryUpDidNotMakeAndLeavesItAlone() throws Exception {
        Path other = Files.createDirectories(tmp.resolve("precious"));
        Files.writeString(other.resolve("state"), "pid=" + ProcessHandle.current().pid() + "\n");
        SandboxCli.Run run = SandboxCli.cli("sandbox", "down", "--dir", other.toString());
        assertEquals(ExitCodes.INVALID_INPUT, run.exit(), run.out());
        assertTrue(run.out().contains("precious is not a sandbox made by 'omero-fleet sandbox up'"), run.out());
        assertTrue(Files.exists(other.resolve("state")), "its files are untouched");
        assertTrue(ProcessHandle.current().isAlive());
    }

    @Test
    void upRefusesANonEmptyDirectoryAndAnUnknownReleaseBeforeStartingAnything() throws Exception {
        Path other = Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(other.resolve("notes.txt"), "mine\n");
        SandboxCli.Run busy = SandboxCli.cli("sandbox", "up", "--dir", other.toString());
        assertEquals(ExitCodes.INVALID_INPUT, busy.exit(), busy.out());
        assertTrue(busy.out().contains("it exists and is not empty"), busy.out());
        assertEquals(List.of(other.resolve("notes.txt")), Files.list(other).toList());
        SandboxCli.Run unknown = SandboxCli.cli("sandbox", "up", "--releases", "4.3.2,9.9.9", "--dir", tmp.resolve("new").toString());
        assertEquals(ExitCodes.INVALID_INPUT, unknown.exit(), unknown.out());
        assertTrue(unknown.out().contains("--releases: no simulated release '9.9.9'"), unknown.out());
        assertFalse(Files.exists(tmp.resolve("new")));
        SandboxCli.Run bare56 = SandboxCli.cli("sandbox", "up", "--releases", "5.4.10,5.6.9", "--dir", tmp.resolve("new").toString());
        assertEquals(ExitCodes.INVALID_INPUT, bare56.exit(), bare56.out());
        assertTrue(bare56.out().contains("--releases: 5.6.9 runs bin/omero from omero-py in a Python 3 virtualenv: use 5.6.9-venv"), bare56.out());
        assertFalse(Files.exists(tmp.resolve("new")));
    }
}
