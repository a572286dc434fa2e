package org.omerofleet.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omerofleet.input.SourcePosition;
import org.omerofleet.inventory.Group;
import org.omerofleet.inventory.Host;
import org.omerofleet.inventory.Inventory;
import org.omerofleet.modules.LockModule;
import org.omerofleet.modules.ModuleRegistry;
import org.omerofleet.playbook.Play;
import org.omerofleet.playbook.Playbook;
import org.omerofleet.playbook.Templating;
import org.omerofleet.result.RunSummary;
import org.omerofleet.testing.FakeConnectionFactory;
import org.omerofleet.testing.Tasks;
import org.omerofleet.transport.HostKeyPolicy;
import org.omerofleet.transport.SshTarget;

/** A host lock names its run so that no other controller's run can take it for its own (reliability.md CTL-05). */
class LockIdentityTest {

    @TempDir
    Path dir;

    private final Clock sameSecond = Clock.fixed(Instant.parse("2026-12-01T09:00:00Z"), ZoneOffset.UTC);

    /** {@return the lock id a run under {@code runsDir} reports for its host} */
    private String lockIdOfARunIn(Path runsDir) throws Exception {
        PlaybookExecutor executor = new PlaybookExecutor(new ModuleRegistry(List.of(new LockModule())), new Templating(), new PlaybookExecutor.Reach(new FakeConnectionFactory(),
                (host, vars) -> new SshTarget(host, "127.0.0.1", 22, "u", List.of(), Optional.empty(), dir.resolve("known_hosts"),
                        HostKeyPolicy.STRICT, Duration.ofSeconds(1), 0, Duration.ZERO, Optional.empty(), List.of())),
                sameSecond, new Random(1));
        Playbook playbook = new Playbook(Path.of("site.yml"), List.of(Play.of(SourcePosition.of(Path.of("site.yml")), "lock", "all",
                List.of(Tasks.task("lock the host", "fleet_lock", Map.of("state", "acquired"))))));
        Inventory inventory = new Inventory(Path.of("inventory.yml"), Map.of("omero1", new Host("omero1", Map.of(), List.of("all", "ungrouped"))),
                Map.of("all", new Group("all", Map.of(), List.of(), List.of("ungrouped")),
                        "ungrouped", new Group("ungrouped", Map.of(), List.of("omero1"), List.of())));
        RunSummary summary = executor.run(playbook, inventory, RunOptions.defaults().withRunsDir(runsDir), new RunListener() { });
        String id = String.valueOf(summary.hosts().get(0).report().get("lock_id"));
        assertEquals(id, Files.readString(summary.runDir().resolve(LockModule.ID_FILE)).strip(), "the id is kept for a resume");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(summary.runDir().resolve(LockModule.ID_FILE))));
        assertTrue(id.matches(".+:" + summary.runDir().getFileName() + ":[0-9a-f]{16}"), id);
        return id;
    }

    @Test
    void CTL05_twoControllersStartingARunInTheSameSecondNeverShareALockId() throws Exception {
        // two laptops of the same name, or both without one ("controller"), each with its own runs directory
        assertNotEquals(lockIdOfARunIn(dir.resolve("alice/runs")), lockIdOfARunIn(dir.resolve("bob/runs")));
    }
}
