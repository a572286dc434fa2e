package org.omerofleet.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omerofleet.result.Declaration;
import org.omerofleet.result.TaskResult;
import org.omerofleet.testing.ModuleContext;
import org.omerofleet.testing.RecordingConnection;

/** The {@code fleet_lock} module: one run holds a host at a time, by the run's lock id. */
class LockModuleTest {

    private static final String OURS = "ctl:2026-12-03T08-00-00:00000000000000aa";
    private static final String THEIRS = "other:2026-12-03T07-00-00:00000000000000bb";

    @TempDir
    Path dir;

    private final RecordingConnection host = new RecordingConnection();

    @BeforeEach
    void runId() throws Exception {
        Files.writeString(dir.resolve(LockModule.ID_FILE), OURS + "\n");
    }

    private TaskResult lock(ModuleContext context, Map<String, Object> args) throws Exception {
        return new LockModule().run(context, new Args("fleet_lock", args));
    }

    @Test
    void acquiringAFreeHostChangesItAndOpensTheWindow() throws Exception {
        host.on("mkdir --", 0, "acquired\n", "");
        TaskResult result = lock(ModuleContext.on(host, dir), Map.of("state", "acquired"));
        assertEquals(TaskResult.Status.CHANGED, result.status());
        assertEquals(Declaration.OPENS_WINDOW, result.declared());
        assertEquals(Map.of("lock_id", OURS), result.report());
        assertTrue(host.commands().get(0).contains("id=" + OURS + "\n"), "the owner file names this run: " + host.commands().get(0));
    }

    @Test
    void aHostHeldByAnotherRunFailsWithTheCommandThatReleasesIt() throws Exception {
        host.on("mkdir --", 3, "id=" + THEIRS + "\nrun=/runs/x\nhost=h1\nsince=2026-12-03T07:00:00Z\n", "");
        TaskResult result = lock(ModuleContext.on(host, dir), Map.of("state", "acquired"));
        assertEquals(TaskResult.Status.FAILED, result.status());
        assertEquals(THEIRS, result.data().get("holder"));
        assertTrue(result.message().endsWith("omero-fleet unlock --limit h1 --lock-id '" + THEIRS + "'"), result.message());
    }

    @Test
    void aHostHeldByThisRunIsTakenBackOnResume() throws Exception {
        host.on("mkdir --", 3, "id=" + OURS + "\n", "");
        TaskResult result = lock(ModuleContext.on(host, dir), Map.of("state", "acquired"));
        assertEquals(TaskResult.Status.OK, result.status());
        assertEquals("already held by this run", result.message());
        assertEquals(Declaration.OPENS_WINDOW, result.declared());
    }

    @Test
    void releasingRemovesOnlyOurOwnLock() throws Exception {
        host.once("grep -qxF", 0, "released\n", "").once("grep -qxF", 3, "id=" + THEIRS + "\n", "");
        TaskResult released = lock(ModuleContext.on(host, dir), Map.of("state", "released"));
        assertEquals(TaskResult.Status.CHANGED, released.status());
        assertEquals(Declaration.CLOSES_WINDOW, released.declared());
        assertTrue(host.commands().get(0).contains("grep -qxF -- 'id=" + OURS + "'"), host.commands().get(0));
        TaskResult refused = lock(ModuleContext.on(host, dir), Map.of("state", "released"));
        assertEquals(TaskResult.Status.FAILED, refused.status());
    }

    @Test
    void checkModeLooksButTakesNothing() throws Exception {
        host.on("echo free", 0, "free\n", "");
        TaskResult result = lock(ModuleContext.on(host, dir).checking(), Map.of("state", "acquired"));
        assertEquals(TaskResult.Status.OK, result.status());
        assertEquals("would lock .omero-fleet/locks/omero-fleet", result.message());
        assertTrue(!host.commands().get(0).contains("mkdir"), host.commands().get(0));
    }

    @Test
    void aNameThatIsNotAPlainWordIsRefusedWithoutAskingTheHost() throws Exception {
        assertEquals(TaskResult.Status.FAILED, lock(ModuleContext.on(host, dir), Map.of("state", "acquired", "name", "../x")).status());
        assertEquals(List.of(), host.commands());
    }
}
