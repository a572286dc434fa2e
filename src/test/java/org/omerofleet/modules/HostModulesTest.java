package org.omerofleet.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.omerofleet.result.TaskResult;

/** {@code slurp}, {@code find}, {@code raw}, {@code script}, {@code pause}, {@code wait_for_connection} against a sandbox host. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostModulesTest {

    SandboxTasks tasks;
    Path home;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        tasks = new SandboxTasks(dir, "o1");
        home = tasks.home("o1");
    }

    @AfterAll
    void stop() {
        tasks.close();
    }

    @SuppressWarnings("unchecked")
    private static <T> T data(TaskResult r, String key) {
        return (T) ((TaskResult.Ok) r).data().get(key);
    }

    @Test
    void slurpReturnsTheFileInBase64() throws Exception {
        byte[] bytes = {0, 1, 2, (byte) 0xff, '\n'};
        Files.write(home.resolve("blob.bin"), bytes);
        TaskResult r = tasks.run(new SlurpModule(), "o1", Map.of("src", "blob.bin"));
        assertFalse(r.changed());
        assertEquals(List.of((byte) 0, (byte) 1, (byte) 2, (byte) 0xff, (byte) '\n'),
                toList(Base64.getDecoder().decode((String) data(r, "content"))));
        TaskResult missing = tasks.run(new SlurpModule(), "o1", Map.of("src", "nothing-here"));
        assertInstanceOf(TaskResult.Failed.class, missing);
        assertEquals("file not found: nothing-here", missing.message());
    }

    private static List<Byte> toList(byte[] b) {
        List<Byte> out = new java.util.ArrayList<>();
        for (byte x : b) {
            out.add(x);
        }
        return out;
    }

    @Test
    void findMatchesGlobsHiddenAndRecursionAsAnsible() throws Exception {
        Path logs = Files.createDirectories(home.resolve("logs/old"));
        Files.writeString(logs.resolve("../Blitz-0.log"), "x");
        Files.writeString(logs.resolve("../.hidden.log"), "x");
        Files.writeString(logs.resolve("../notes.txt"), "x");
        Files.writeString(logs.resolve("Blitz-0.log.1"), "xxxxxxxxxx");
        TaskResult top = tasks.run(new FindModule(), "o1", Map.of("paths", "logs", "patterns", "*.log"));
        assertEquals(1, (int) data(top, "matched"));
        List<Map<String, Object>> files = data(top, "files");
        assertEquals("logs/Blitz-0.log", files.get(0).get("path"));
        TaskResult deep = tasks.run(new FindModule(), "o1", Map.of("paths", List.of("logs"), "patterns", "*.log,*.log.*", "recurse", true,
                "hidden", true));
        assertEquals(3, (int) data(deep, "matched"));
        TaskResult big = tasks.run(new FindModule(), "o1", Map.of("paths", "logs", "recurse", true, "size", "5"));
        assertEquals(1, (int) data(big, "matched"));
        TaskResult dirs = tasks.run(new FindModule(), "o1", Map.of("paths", "logs", "file_type", "directory"));
        assertEquals("logs/old", ((List<Map<String, Object>>) data(dirs, "files")).get(0).get("path"));
        TaskResult regex = tasks.run(new FindModule(), "o1", Map.of("paths", "logs", "patterns", "Blitz-\\d", "use_regex", true));
        assertEquals(1, (int) data(regex, "matched"));
    }

    @Test
    void rawRunsTheTextThroughTheShellAndIsChanged() throws Exception {
        TaskResult r = tasks.run(new RawModule(), "o1", Map.of(Args.RAW, "echo one; echo two >&2"));
        assertTrue(r.changed());
        assertEquals("one", data(r, "stdout"));
        assertEquals("two", data(r, "stderr"));
        assertInstanceOf(TaskResult.Failed.class, tasks.run(new RawModule(), "o1", Map.of(Args.RAW, "exit 3")));
    }

    @Test
    void scriptSendsTheControllerFileRunsItWithArgumentsAndRemovesIt() throws Exception {
        Path script = tasks.controllerDir.resolve("my script.sh");
        Files.writeString(script, "#!/bin/sh\necho \"args: $1|$2\"\necho \"$0\" > script-ran-from\n");
        TaskResult r = tasks.run(new ScriptModule(), "o1", Map.of(Args.RAW, "'my script.sh' first 'second word'"));
        assertTrue(r.changed(), r.message());
        assertEquals("args: first|second word", data(r, "stdout"));
        String ranFrom = Files.readString(home.resolve("script-ran-from"), StandardCharsets.UTF_8).strip();
        assertFalse(Files.exists(Path.of(ranFrom)), "the copy on the host is removed: " + ranFrom);
        TaskResult skipped = tasks.run(new ScriptModule(), "o1", Map.of(Args.RAW, "'my script.sh'", "creates", "script-ran-from"));
        assertFalse(skipped.changed());
    }

    @Test
    void pauseWaitsTheSecondsAndIsNotChanged() throws Exception {
        TaskResult r = tasks.run(new PauseModule(), "o1", Map.of("seconds", 1));
        assertFalse(r.changed());
        assertEquals("Paused for 1 seconds", r.message());
    }

    @Test
    void waitForConnectionReturnsOnceTheHostAnswers() throws Exception {
        TaskResult r = tasks.run(new WaitForConnectionModule(), "o1", Map.of("timeout", 10));
        assertInstanceOf(TaskResult.Ok.class, r, r.message());
        assertFalse(r.changed());
    }
}
