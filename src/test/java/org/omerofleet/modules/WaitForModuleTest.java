package org.omerofleet.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omerofleet.result.TaskResult;
import org.omerofleet.testing.ModuleContext;
import org.omerofleet.testing.RecordingConnection;

/** The {@code wait_for} module: one loop on the host, bounded by its timeout, and a command timeout above it. */
class WaitForModuleTest {

    @TempDir
    Path dir;

    private final RecordingConnection host = new RecordingConnection();

    private TaskResult waitFor(ModuleContext context, Map<String, Object> args) throws Exception {
        return new WaitForModule().run(context, new Args("wait_for", args));
    }

    @Test
    void aPortThatOpensIsOkAndTheLoopIsBoundedOnTheHostAndOnTheController() throws Exception {
        host.on("/dev/tcp", 0, "", "");
        TaskResult result = waitFor(ModuleContext.on(host, dir), Map.of("port", 4064, "host", "db host", "timeout", 30, "delay", 2));
        assertEquals(TaskResult.Status.OK, result.status());
        String script = host.commands().get(0);
        assertTrue(script.startsWith("sleep 2; end=$(( $(date +%s) + 30 )); "), script);
        assertTrue(script.contains(" 'db host' 4064 ") && script.contains("nc -z 'db host' 4064"), script);
        assertEquals(Duration.ofSeconds(30 + 2 + 60), host.requests().get(0).timeout());
    }

    @Test
    void aTimeoutIsAFailureNamingWhatWasAwaited() throws Exception {
        host.on("grep -Eq", 1, "", "");
        TaskResult result = waitFor(ModuleContext.on(host, dir), Map.of("path", "/var/log/omero.log", "search_regex", "Server ready"));
        assertEquals(TaskResult.Status.FAILED, result.status());
        assertEquals("Timeout when waiting for path /var/log/omero.log to be started", result.message());
    }

    @Test
    void stoppedWaitsForTheProbeToFail() throws Exception {
        host.on("[ -e", 0, "", "");
        waitFor(ModuleContext.on(host, dir), Map.of("path", "/tmp/omero.pid", "state", "absent", "msg", "still running"));
        assertTrue(host.commands().get(0).contains("if ! { [ -e /tmp/omero.pid ]; }; then exit 0; fi"), host.commands().get(0));
    }

    @Test
    void checkModeAndBadArgumentsAskNothingOfTheHost() throws Exception {
        assertEquals(TaskResult.Status.OK, waitFor(ModuleContext.on(host, dir).checking(), Map.of("port", 22)).status());
        assertEquals(TaskResult.Status.FAILED, waitFor(ModuleContext.on(host, dir), Map.of("timeout", 1)).status());
        assertEquals(TaskResult.Status.FAILED, waitFor(ModuleContext.on(host, dir), Map.of("port", 22, "state", "drained")).status());
        assertEquals(List.of(), host.commands());
    }
}
