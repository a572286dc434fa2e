package org.omerofleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omerofleet.sandbox.OmeroReleases;
import org.omerofleet.sandbox.OmeroSandbox;

/**
 * A long dump and a long restore on a padded sandbox database report their progress while they run: a
 * heartbeat line on the console (no terminal here) and the figures in the host log. The host's
 * {@code pg_dump} and {@code pg_restore} hold on, after the real work (dump) or before it (restore, with
 * the dump open and partly read), until the controller has printed a progress line: the test waits on
 * what is shown, never on time.
 */
class ProgressTest {

    static Path root;
    static OmeroSandbox sandbox;
    static Path inventory;

    @BeforeAll
    static void start() throws Exception {
        root = Files.createTempDirectory("omero-progress-test");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        sandbox = OmeroSandbox.start(root, Map.of("omero1", "4.4.0"), new OmeroReleases(Path.of("target", "sandbox-zips")));
        sandbox.pad("omero1", 16);
        inventory = root.resolve("inventory.yml");
        sandbox.writeInventory(inventory);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            sandbox.close();
        } finally {
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Output that opens {@code gate} once it holds a line matching {@code seen}, as a person watching the console would. */
    private static final class Watching extends ByteArrayOutputStream {
        private final Pattern seen;
        private final Path gate;

        Watching(Pattern seen, Path gate) {
            this.seen = seen;
            this.gate = gate;
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            super.write(b, off, len);
            if (!Files.exists(gate) && seen.matcher(toString(StandardCharsets.UTF_8)).find()) {
                try {
                    Files.writeString(gate, "seen\n");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private static SandboxCli.Run watched(Pattern seen, Path gate, String... args) {
        Watching out = new Watching(seen, gate);
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        int exit = Main.execute(args, print, print);
        return new SandboxCli.Run(exit, out.toString(StandardCharsets.UTF_8));
    }

    /** A wrapper first on the host's PATH: {@code before} and {@code after} around the real tool; waiting on the gate is bounded. */
    private static Path wrapper(String tool, String before, String after) throws IOException {
        Path bin = Files.createDirectories(sandbox.fleet().host("omero1").home().resolve("bin"));
        Path fake = bin.resolve(tool);
        Files.writeString(fake, "#!/bin/sh\n"
                + "gate() { i=0; while [ ! -e \"$1\" ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i + 1)); done; }\n"
                + before
                + "PATH=$(printf '%s' \"$PATH\" | sed 's|^[^:]*:||') " + tool + " \"$@\" || exit $?\n"
                + after);
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        return fake;
    }

    private static String hostLog(Path runs) throws Exception {
        try (Stream<Path> files = Files.walk(runs)) {
            Path log = files.filter(p -> p.getFileName().toString().startsWith("omero1") && p.toString().endsWith(".log")).findFirst().orElseThrow();
            return Files.readString(log);
        }
    }

    @Test
    void aLongDumpAndALongRestoreShowBytesAgainstTheTotalWhileTheyRun() throws Exception {
        Path dumpGate = root.resolve("dump-seen");
        Path dump = wrapper("pg_dump", "", "gate " + dumpGate + "\n");
        Pattern dumpLine = Pattern.compile("progress: \\[omero1\\] pg_dump: ([\\d.]+) (KiB|MiB) of ([\\d.]+) MiB database \\(\\d+%\\), 0:\\d\\d:\\d\\d elapsed");
        Path runs = root.resolve("runs-backup");
        SandboxCli.Run backup;
        try {
            backup = watched(dumpLine, dumpGate, "backup", "-i", inventory.toString(), "--progress-interval", "1", "--runs-dir", runs.toString());
        } finally {
            Files.delete(dump);
        }
        assertEquals(0, backup.exit(), backup.out());
        Matcher m = dumpLine.matcher(backup.out());
        assertTrue(m.find(), backup.out());
        assertTrue(Double.parseDouble(m.group(3)) >= 16, "the padded database is over 16 MiB: " + m.group());
        assertTrue(hostLog(runs).matches("(?s).*progress: pg_dump: [\\d.]+ (KiB|MiB) of [\\d.]+ MiB database .*"), hostLog(runs));

        // the restore holds the dump open, 4096 bytes read, until its progress was shown
        Path restoreGate = root.resolve("restore-seen");
        Path restore = wrapper("pg_restore", "case \" $* \" in *\" -d \"*) for f; do :; done; exec 3< \"$f\"; "
                + "dd bs=4096 count=1 <&3 >/dev/null 2>&1; gate " + restoreGate + ";; esac\n", "");
        Pattern restoreLine = Pattern.compile("progress: \\[omero1\\] pg_restore: 4\\.0 KiB of ([\\d.]+) (KiB|MiB) file \\(\\d+%\\), 0:\\d\\d:\\d\\d elapsed");
        Path restoreRuns = root.resolve("runs-restore");
        SandboxCli.Run restored;
        try {
            restored = watched(restoreLine, restoreGate, "restore", "-i", inventory.toString(), "--backup", "latest", "--progress-interval", "1",
                    "--runs-dir", restoreRuns.toString());
        } finally {
            Files.delete(restore);
        }
        assertEquals(0, restored.exit(), restored.out());
        assertTrue(restoreLine.matcher(restored.out()).find(), restored.out());
        assertTrue(hostLog(restoreRuns).contains("progress: pg_restore: 4.0 KiB of "), hostLog(restoreRuns));
    }

    @Test
    void anUploadLeavesItsBytesSentAgainstTheFileSizeInTheHostLog() throws Exception {
        Path file = root.resolve("payload.bin");
        byte[] block = new byte[1024 * 1024];
        new java.util.Random(7).nextBytes(block);
        for (int i = 0; i < 3; i++) {
            Files.write(file, block, i == 0 ? new java.nio.file.OpenOption[0] : new java.nio.file.OpenOption[] {java.nio.file.StandardOpenOption.APPEND});
        }
        Path playbook = Files.writeString(root.resolve("push.yml"), "- hosts: all\n  gather_facts: false\n  tasks:\n"
                + "    - name: push the payload\n      copy: {src: '" + file + "', dest: payload.bin, mode: '0600'}\n");
        Path runs = root.resolve("runs-upload");
        SandboxCli.Run run = SandboxCli.cli("run", playbook.toString(), "-i", inventory.toString(), "--runs-dir", runs.toString());
        assertEquals(0, run.exit(), run.out());
        assertTrue(hostLog(runs).matches("(?s).*progress: upload: 3\\.0 MiB of 3\\.0 MiB file \\(100%\\), 0:\\d\\d:\\d\\d elapsed.*"), hostLog(runs));
    }
}
