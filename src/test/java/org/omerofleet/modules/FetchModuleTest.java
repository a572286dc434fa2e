package org.omerofleet.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omerofleet.result.TaskResult;
import org.omerofleet.testing.ModuleContext;
import org.omerofleet.testing.RecordingConnection;

/** The {@code fetch} module: by SHA-256 first, into {@code dest/<host>/<src>} unless {@code flat}. */
class FetchModuleTest {

    @TempDir
    Path dir;

    private final RecordingConnection host = new RecordingConnection();
    private final byte[] config = "<icegrid/>\n".getBytes(StandardCharsets.UTF_8);

    private TaskResult fetch(ModuleContext context, Map<String, Object> args) throws Exception {
        return new FetchModule().run(context, new Args("fetch", args));
    }

    @Test
    void aFileLandsUnderTheHostsNameWithItsRemotePath() throws Exception {
        host.on("sha256sum", 0, RecordingConnection.sha256(config) + "  /etc/grid/config.xml\n", "").file("/etc/grid/config.xml", config);
        TaskResult result = fetch(ModuleContext.on(host, dir), Map.of("src", "/etc/grid/config.xml", "dest", "saved"));
        assertEquals(TaskResult.Status.CHANGED, result.status());
        assertEquals("<icegrid/>\n", Files.readString(dir.resolve("saved/h1/etc/grid/config.xml")));
        assertEquals(RecordingConnection.sha256(config), result.data().get("checksum"));
    }

    @Test
    void aCopyThatIsAlreadyHereIsNotDownloadedAgain() throws Exception {
        Files.createDirectories(dir.resolve("saved"));
        Files.write(dir.resolve("saved/config.xml"), config);
        host.on("sha256sum", 0, RecordingConnection.sha256(config) + "  /etc/grid/config.xml\n", "");
        TaskResult result = fetch(ModuleContext.on(host, dir), Map.of("src", "/etc/grid/config.xml", "dest", "saved/config.xml", "flat", true));
        assertEquals(TaskResult.Status.OK, result.status());
        assertEquals(List.of(), host.downloads());
    }

    @Test
    void aMissingRemoteFileFailsUnlessFailOnMissingIsFalse() throws Exception {
        host.on("sha256sum", 1, "", "sha256sum: /nope: No such file or directory\n");
        assertEquals(TaskResult.Status.FAILED, fetch(ModuleContext.on(host, dir), Map.of("src", "/nope", "dest", "saved")).status());
        TaskResult tolerated = fetch(ModuleContext.on(host, dir), Map.of("src", "/nope", "dest", "saved", "fail_on_missing", false));
        assertEquals(TaskResult.Status.OK, tolerated.status());
        assertEquals("fetch: cannot read /nope on the host: sha256sum: /nope: No such file or directory", tolerated.message());
    }

    @Test
    void aSourceThatWouldClimbOutOfTheHostsDirectoryIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> fetch(ModuleContext.on(host, dir), Map.of("src", "../../h2/secret", "dest", "saved")));
        assertEquals(List.of(), host.commands());
    }

    @Test
    void checkModeDownloadsNothing() throws Exception {
        host.on("sha256sum", 0, RecordingConnection.sha256(config) + "  /etc/x\n", "");
        TaskResult result = fetch(ModuleContext.on(host, dir).checking(), Map.of("src", "/etc/x", "dest", "saved"));
        assertEquals(TaskResult.Status.CHANGED, result.status());
        assertEquals(List.of(), host.downloads());
        assertEquals(false, Files.exists(dir.resolve("saved")));
    }
}
