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
        reporter.taskFinished("omero1", task, new TaskResult.Ok(true, ""), Duration.ZERO, false, false);
        reporter.taskFinished("omero2", task, new TaskResult.Ok(false, ""), Duration.ZERO, false, false);
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
}
