package org.omerofleet.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.omerofleet.result.TaskResult;

/**
 * {@code systemd} and {@code service} on a sandbox host over real SSH, with a stand-in
 * {@code systemctl} in the host's {@code ~/bin} that keeps unit states in files (no real systemd runs
 * here): which commands run, and that a second run does nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceModuleTest {

    SandboxTasks tasks;
    Path home;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        tasks = new SandboxTasks(dir, "s1");
        home = tasks.home("s1");
        Path bin = Files.createDirectories(home.resolve("bin"));
        try (var in = getClass().getResourceAsStream("systemctl")) {
            Files.write(bin.resolve("systemctl"), in.readAllBytes());
        }
        Files.setPosixFilePermissions(bin.resolve("systemctl"), PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterAll
    void stop() {
        tasks.close();
    }

    @BeforeEach
    void unit() throws Exception {
        Path units = home.resolve(".units");
        if (Files.exists(units)) {
            try (var walk = Files.walk(units)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Path u = Files.createDirectories(units.resolve("omero-server.service"));
        Files.writeString(u.resolve("active"), "inactive\n");
        Files.writeString(u.resolve("enabled"), "disabled\n");
    }

    private List<String> log() throws Exception {
        Path log = home.resolve(".units/log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Test
    void startedAndEnabledStartsAndEnablesOnceThenIsUnchanged() throws Exception {
        Map<String, Object> args = Map.of("name", "omero-server.service", "state", "started", "enabled", true);
        TaskResult first = tasks.run(new ServiceModule("systemd"), "s1", args);
        assertTrue(first.changed(), first.message());
        assertEquals(List.of("enable omero-server.service", "start omero-server.service"), log());
        TaskResult second = tasks.run(new ServiceModule("systemd"), "s1", args);
        assertFalse(second.changed());
        assertEquals(2, log().size(), "nothing more ran: " + log());
    }

    @Test
    void restartedAlwaysChangesAndDaemonReloadComesFirst() throws Exception {
        TaskResult r = tasks.run(new ServiceModule("systemd"), "s1",
                Map.of("name", "omero-server.service", "state", "restarted", "daemon_reload", true));
        assertTrue(r.changed());
        assertEquals(List.of("daemon-reload", "restart omero-server.service"), log());
    }

    @Test
    void stoppedOnAStoppedUnitIsUnchanged() throws Exception {
        TaskResult r = tasks.run(new ServiceModule("systemd"), "s1", Map.of("name", "omero-server.service", "state", "stopped"));
        assertFalse(r.changed());
        assertEquals(List.of(), log());
    }

    @Test
    void checkModeReadsTheStateAndChangesNothing() throws Exception {
        TaskResult r = tasks.run(new ServiceModule("systemd"), "s1", Map.of("name", "omero-server.service", "state", "started",
                "enabled", true, "daemon_reload", true), SandboxTasks.Mode.CHECK);
        assertTrue(r.changed());
        assertEquals(List.of(), log());
    }

    @Test
    void anUnknownUnitFails() throws Exception {
        TaskResult r = tasks.run(new ServiceModule("systemd"), "s1", Map.of("name", "nope.service", "state", "started"));
        assertInstanceOf(TaskResult.Failed.class, r);
        assertTrue(r.message().startsWith("Could not find the requested service nope.service"), r.message());
    }

    @Test
    void aUnitNameIsQuotedAsOneWord() throws Exception {
        tasks.commands.clear();
        tasks.run(new ServiceModule("systemd"), "s1", Map.of("name", "x; touch pwned", "state", "started"));
        assertTrue(tasks.commands.contains("systemctl show 'x; touch pwned'"), tasks.commands.toString());
        assertFalse(Files.exists(home.resolve("pwned")));
    }

    @Test
    void serviceWithUseSystemdGoesThroughSystemctl() throws Exception {
        TaskResult r = tasks.run(new ServiceModule("service"), "s1", Map.of("name", "omero-server.service", "state", "reloaded", "use", "systemd"));
        assertTrue(r.changed());
        assertEquals(List.of("start omero-server.service"), log(), "reloading a stopped unit starts it, as Ansible does");
    }
}
