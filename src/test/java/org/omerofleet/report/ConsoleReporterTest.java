package org.omerofleet.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.omerofleet.playbook.Task;
import org.omerofleet.result.TaskResult;
import org.omerofleet.testing.Tasks;

class ConsoleReporterTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String run(boolean progress) {
        ConsoleReporter reporter = new ConsoleReporter(out, false, false, progress);
        Task task = Tasks.task("stop the server");
        reporter.taskStarted(task, List.of("omero1", "omero2"), false);
        reporter.taskFinished("omero1", task, new TaskResult.Ok(true, ""), Duration.ZERO, false);
        reporter.taskFinished("omero2", task, new TaskResult.Ok(false, ""), Duration.ZERO, false);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void onATerminalAProgressBarFollowsTheHostLinesAndIsErasedBeforeEachLine() {
        String text = run(true);
        assertTrue(text.contains("[###############---------------] 1/2 hosts  stop the server"), text);
        assertTrue(text.endsWith("[##############################] 2/2 hosts  stop the server"), text);
        assertTrue(text.contains("\r\u001b[Kok: [omero2]"), text);
    }

    @Test
    void withoutATerminalTheOutputIsPlainLines() {
        String text = run(false);
        assertFalse(text.contains("\r"), text);
        assertEquals(List.of("", "TASK [stop the server] " + "*".repeat(56), "changed: [omero1]", "ok: [omero2]"), text.lines().toList());
    }

    @Test
    void aHostNeedingAttentionGetsCommandsToPasteInTheRecapAndTheReport() {
        var host = new org.omerofleet.result.HostOutcome("omero2", org.omerofleet.result.HostState.NEEDS_ATTENTION,
                org.omerofleet.result.HostStats.EMPTY, "connection lost, outcome unknown",
                java.util.Map.of("backup_path", "/srv/backups/omero-database-omero-20261202.pgdump", "backup_sha256", "ab12", "lock_id", "laptop:run-1"),
                List.of());
        var summary = new org.omerofleet.result.RunSummary("run-1", java.nio.file.Path.of("runs/run-1"), java.nio.file.Path.of("upgrade.yml"),
                java.nio.file.Path.of("inventories/prod.yml"), java.time.Instant.EPOCH, java.time.Instant.EPOCH, List.of(host), false, false);
        new ConsoleReporter(out, false, false, false).runFinished(summary);
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("restore: omero-fleet restore -i 'inventories/prod.yml' --limit 'omero2' --backup "
                + "'/srv/backups/omero-database-omero-20261202.pgdump'"), text);
        assertTrue(text.contains("unlock:  omero-fleet unlock -i 'inventories/prod.yml' --limit 'omero2' --lock-id 'laptop:run-1'"), text);
        assertTrue(new ReportJson().render(summary, 3).contains("\"recovery\""));
    }

    @Test
    void SEC10_escapeSequencesInAHostsOutputAreShownOnTheConsoleNotObeyed() {
        Task task = Tasks.task("read the version");
        String hostile = "5.6.0\u001b]0;owned\u0007\u001b[2J\rfake ok";
        new ConsoleReporter(out, true, true, false).taskFinished("omero1", task,
                new TaskResult.Failed(false, hostile, java.util.Map.of("stderr", "bad\u001b[31m\tred\nnext"), java.util.Map.of()),
                Duration.ZERO, false);
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("5.6.0\\x1b]0;owned\\x07\\x1b[2J\\x0dfake ok"), text);
        assertTrue(text.contains("bad\\x1b[31m\tred\nnext"), "tab and newline are kept: " + text);
        // the only escape sequences left are the reporter's own colours
        assertEquals(text.replaceAll("\u001b\\[(0|31)m", "").indexOf('\u001b'), -1, text);
    }

    private static org.omerofleet.result.Progress dumped(long kib, long seconds) {
        return new org.omerofleet.result.Progress("pg_dump", "database", kib * 1024, 100L * 1024 * 1024, Duration.ofSeconds(seconds));
    }

    @Test
    void onATerminalEachHostInALongStepHasALiveLineUnderTheBarUntilItsTaskEnds() {
        ConsoleReporter reporter = new ConsoleReporter(out, false, 0, true, Duration.ofSeconds(30));
        Task task = Tasks.task("dump the database");
        reporter.taskStarted(task, List.of("omero1", "omero2"), false);
        reporter.hostProgress("omero2", dumped(512, 3));
        reporter.hostProgress("omero1", dumped(2048, 3));
        String both = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(both.endsWith("0/2 hosts  dump the database\n\u001b[K  [omero1] pg_dump: 2.0 MiB of 100.0 MiB database (2%), 0:00:03 elapsed"
                + "\n\u001b[K  [omero2] pg_dump: 512.0 KiB of 100.0 MiB database (0%), 0:00:03 elapsed"), both);
        bytes.reset();
        reporter.taskFinished("omero1", task, new TaskResult.Ok(true, ""), Duration.ZERO, false);
        String after = bytes.toString(StandardCharsets.UTF_8);
        // the three lines of the block are erased, the result printed, and the block drawn again without omero1
        assertTrue(after.startsWith("\r\u001b[K\u001b[A\r\u001b[K\u001b[A\r\u001b[Kchanged: [omero1]\n"), after);
        assertTrue(after.endsWith("1/2 hosts  dump the database\n\u001b[K  [omero2] pg_dump: 512.0 KiB of 100.0 MiB database (0%), 0:00:03 elapsed"), after);
    }

    @Test
    void withoutATerminalALongStepPrintsAHeartbeatLineOncePerInterval() {
        ConsoleReporter reporter = new ConsoleReporter(out, false, 0, false, Duration.ofSeconds(30));
        reporter.taskStarted(Tasks.task("dump the database"), List.of("omero1"), false);
        bytes.reset();
        for (long s : new long[] {2, 10, 29, 31, 40, 59, 61, 95}) {
            reporter.hostProgress("omero1", dumped(s * 1024, s));
        }
        assertEquals(List.of("progress: [omero1] pg_dump: 31.0 MiB of 100.0 MiB database (31%), 0:00:31 elapsed",
                "progress: [omero1] pg_dump: 61.0 MiB of 100.0 MiB database (61%), 0:01:01 elapsed",
                "progress: [omero1] pg_dump: 95.0 MiB of 100.0 MiB database (95%), 0:01:35 elapsed"), bytes.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void twoVerboseFlagsShowTheTaskPathAndTheResultData() {
        Task task = Tasks.task("read the version");
        ConsoleReporter reporter = new ConsoleReporter(out, false, 2, false);
        reporter.taskStarted(task, List.of("omero1"), false);
        reporter.taskFinished("omero1", task, new TaskResult.Ok(false, "read", java.util.Map.of("version", "5.6.0"), java.util.Map.of()),
                Duration.ZERO, false);
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("task path: " + task.where()), text);
        assertTrue(text.contains("ok: [omero1] => read"), text);
        assertTrue(text.contains("{version=5.6.0}"), text);
    }

    @Test
    void oneVerboseFlagShowsNeitherTaskPathNorData() {
        Task task = Tasks.task("read the version");
        ConsoleReporter reporter = new ConsoleReporter(out, false, 1, false);
        reporter.taskStarted(task, List.of("omero1"), false);
        reporter.taskFinished("omero1", task, new TaskResult.Ok(false, "read", java.util.Map.of("version", "5.6.0"), java.util.Map.of()),
                Duration.ZERO, false);
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("task path"), text);
        assertFalse(text.contains("5.6.0"), text);
    }
}
