package org.omerofleet.modules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** The {@code copy} module: compare by SHA-256 and mode first, upload only what differs. */
class CopyModuleTest {

    @TempDir
    Path dir;

    private final RecordingConnection host = new RecordingConnection();

    private TaskResult copy(ModuleContext context, Map<String, Object> args) throws Exception {
        return new CopyModule().run(context, new Args("copy", args));
    }

    @Test
    void aFileTheHostHoldsWithTheSameModeIsNotSentAgain() throws Exception {
        byte[] content = "omero.db.name=omero\n".getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("omero.properties"), content);
        host.on("sha256sum", 0, RecordingConnection.sha256(content) + "\n600\n", "");
        TaskResult result = copy(ModuleContext.on(host, dir), Map.of("src", "omero.properties", "dest", "/etc/omero it's.properties",
                "mode", "0600"));
        assertEquals(TaskResult.Status.OK, result.status());
        assertEquals(List.of(), host.uploads());
        assertTrue(host.commands().get(0).contains("'/etc/omero it'\\''s.properties'"), host.commands().get(0));
    }

    @Test
    void aDifferentModeAloneSendsTheFileWithTheModeAsked() throws Exception {
        byte[] content = "x".getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("x"), content);
        host.on("sha256sum", 0, RecordingConnection.sha256(content) + "\n644\n", "");
        TaskResult result = copy(ModuleContext.on(host, dir), Map.of("src", "x", "dest", "/tmp/x", "mode", "0600"));
        assertEquals(TaskResult.Status.CHANGED, result.status());
        RecordingConnection.Upload upload = host.uploads().get(0);
        assertEquals("/tmp/x", upload.remotePath());
        assertEquals(0600, upload.mode());
        assertArrayEquals(content, upload.content());
        assertEquals(RecordingConnection.sha256(content), result.data().get("checksum"));
    }

    @Test
    void contentIsSentAsTheFileWithMode0644ByDefault() throws Exception {
        host.on("sha256sum", 0, "", "");
        TaskResult result = copy(ModuleContext.on(host, dir), Map.of("content", "hello\n", "dest", "/tmp/hello"));
        assertEquals(TaskResult.Status.CHANGED, result.status());
        assertEquals("hello\n", new String(host.uploads().get(0).content(), StandardCharsets.UTF_8));
        assertEquals(0644, host.uploads().get(0).mode());
    }

    @Test
    void checkModeSaysItWouldCopyAndSendsNothing() throws Exception {
        Files.writeString(dir.resolve("x"), "new");
        host.on("sha256sum", 0, "0".repeat(64) + "\n644\n", "");
        TaskResult result = copy(ModuleContext.on(host, dir).checking(), Map.of("src", "x", "dest", "/tmp/x"));
        assertEquals(TaskResult.Status.CHANGED, result.status());
        assertEquals("would copy x to /tmp/x", result.message());
        assertEquals(List.of(), host.uploads());
    }

    @Test
    void aMissingSourceFailsWithoutAskingTheHost() throws Exception {
        TaskResult result = copy(ModuleContext.on(host, dir), Map.of("src", "nope.txt", "dest", "/tmp/x"));
        assertEquals(TaskResult.Status.FAILED, result.status());
        assertEquals("copy: source " + dir.resolve("nope.txt") + " is not a file", result.message());
        assertEquals(List.of(), host.commands());
    }
}
