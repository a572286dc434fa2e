package org.omerofleet.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omerofleet.result.TaskResult;
import org.omerofleet.testing.Tasks;

class RunDirectoryWriterTest {

    @TempDir
    Path dir;

    @Test
    void SEC10_escapeSequencesFromAHostAreWrittenVisibleIntoItsLog() throws Exception {
        RunDirectoryWriter writer = new RunDirectoryWriter(summary -> 0);
        writer.runStarted("run-1", dir);
        writer.taskFinished("omero1", Tasks.task("status"),
                new TaskResult.Ok(false, "", Map.of("stdout", "running\u001b]0;owned\u0007\n\tok", "stderr", "\u001b[2J")), Duration.ZERO, false);
        writer.hostLog("omero1", "line\u001b[1A\rover");
        String log = Files.readString(dir.resolve("hosts/omero1.log"), StandardCharsets.UTF_8);
        assertFalse(log.contains("\u001b"), log);
        assertFalse(log.contains("\u0007"), log);
        assertTrue(log.contains("running\\x1b]0;owned\\x07\n    \tok"), log);
        assertTrue(log.contains("stderr: \\x1b[2J"), log);
        assertTrue(log.contains("line\\x1b[1A\\x0dover"), log);
    }
}
