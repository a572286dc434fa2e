package org.omerofleet.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.omerofleet.result.TaskResult;
import org.omerofleet.testing.ModuleContext;
import org.omerofleet.testing.RecordingConnection;

/** The {@code file} module: one script that tests, changes only when needed, and says which. */
class FileModuleTest {

    @TempDir
    Path dir;

    private final RecordingConnection host = new RecordingConnection();

    private TaskResult file(ModuleContext context, Map<String, Object> args) throws Exception {
        return new FileModule().run(context, new Args("file", args));
    }

    @Test
    void aDirectoryThatIsThereWithItsModeIsUnchanged() throws Exception {
        host.on("mkdir -p", 0, "unchanged\n", "");
        TaskResult result = file(ModuleContext.on(host, dir), Map.of("path", "/srv/omero data", "state", "directory", "mode", "0750"));
        assertEquals(TaskResult.Status.OK, result.status());
        String script = host.commands().get(0);
        assertTrue(script.startsWith("if [ -d '/srv/omero data' ] && [ \"$(stat -c %a -- '/srv/omero data')\" = 750 ]; then echo unchanged;"),
                script);
        assertTrue(script.contains("mkdir -p -- '/srv/omero data' && chmod 750 -- '/srv/omero data' && echo changed"), script);
    }

    @Test
    void aDirectoryMadeIsChanged() throws Exception {
        host.on("mkdir -p", 0, "changed\n", "");
        TaskResult result = file(ModuleContext.on(host, dir), Map.of("path", "/srv/new", "state", "directory"));
        assertEquals(TaskResult.Status.CHANGED, result.status());
        assertEquals(Map.of("path", "/srv/new", "state", "directory"), result.data());
    }

    @Test
    void checkModeStopsBeforeTheChange() throws Exception {
        host.on("ln -sfn", 0, "would-change\n", "");
        TaskResult result = file(ModuleContext.on(host, dir).checking(), Map.of("path", "/opt/OMERO.server", "state", "link",
                "src", "/opt/OMERO.server-4.4.1"));
        assertEquals(TaskResult.Status.CHANGED, result.status());
        String script = host.commands().get(0);
        assertTrue(script.indexOf("echo would-change; exit 0; ") < script.indexOf("ln -sfn"), script);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "//", "relative/dir", "/srv/../", "/srv/..", ""})
    void absentRefusesPathsThatAreNotBelowRootWithoutAskingTheHost(String path) throws Exception {
        TaskResult result = file(ModuleContext.on(host, dir), Map.of("path", path, "state", "absent"));
        assertEquals(TaskResult.Status.FAILED, result.status());
        assertEquals(List.of(), host.commands());
    }

    @Test
    void aMissingFileIsAFailureWithTheHostsReason() throws Exception {
        host.on("does not exist", 1, "", "file: /etc/x does not exist (use state=touch to create it)\n");
        TaskResult result = file(ModuleContext.on(host, dir), Map.of("path", "/etc/x"));
        assertEquals(TaskResult.Status.FAILED, result.status());
        assertEquals("file: file: /etc/x does not exist (use state=touch to create it)", result.message());
    }

    @Test
    void anUnknownStateIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> file(ModuleContext.on(host, dir), Map.of("path", "/x", "state", "hard")));
        assertEquals(List.of(), host.commands());
    }
}
