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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.omerofleet.result.TaskResult;

/** The {@code template} module against a sandbox host over real SSH. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TemplateModuleTest {

    SandboxTasks tasks;
    Path home;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        tasks = new SandboxTasks(dir, "t1");
        home = tasks.home("t1");
        Files.createDirectories(tasks.controllerDir.resolve("templates"));
        Files.writeString(tasks.controllerDir.resolve("templates/server.conf.j2"),
                "# {{ ansible_managed }}\nname={{ inventory_hostname }}\n{% for p in ports %}\nport={{ p }}\n{% endfor %}\nend\n\n");
    }

    @AfterAll
    void stop() {
        tasks.close();
    }

    private static final Map<String, Object> VARS = Map.of("ports", List.of(4063, 4064));

    private TaskResult template(String dest, SandboxTasks.Mode mode, Map<String, Object> more) throws Exception {
        Map<String, Object> args = new java.util.HashMap<>(Map.of("src", "server.conf.j2", "dest", dest));
        args.putAll(more);
        return tasks.run(new TemplateModule(), "t1", args, mode.withVars(VARS));
    }

    @Test
    void rendersTheHostsVariablesWithTrimBlocksThenIsUnchanged() throws Exception {
        TaskResult first = template("rendered.conf", SandboxTasks.Mode.NORMAL, Map.of());
        assertInstanceOf(TaskResult.Ok.class, first, first.message());
        assertTrue(first.changed());
        assertEquals("# Ansible managed\nname=t1\nport=4063\nport=4064\nend\n\n", Files.readString(home.resolve("rendered.conf")));
        TaskResult second = template("rendered.conf", SandboxTasks.Mode.NORMAL, Map.of());
        assertFalse(second.changed(), "the same text again changes nothing");
    }

    @Test
    void checkModeChangesNothingAndDiffShowsTheNewLines() throws Exception {
        Files.writeString(home.resolve("check.conf"), "name=old\n");
        TaskResult r = template("check.conf", SandboxTasks.Mode.CHECK_DIFF, Map.of());
        assertTrue(r.changed());
        assertEquals("name=old\n", Files.readString(home.resolve("check.conf")));
        String diff = String.valueOf(((TaskResult.Ok) r).data().get("diff"));
        assertTrue(diff.contains("-name=old") && diff.contains("+name=t1"), diff);
    }

    @Test
    void setsTheModeAndKeepsABackupOfTheOldFile() throws Exception {
        Files.writeString(home.resolve("moded.conf"), "before\n");
        TaskResult r = template("moded.conf", SandboxTasks.Mode.NORMAL, Map.of("mode", "0640", "backup", true));
        assertTrue(r.changed());
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("moded.conf"))));
        String backup = String.valueOf(((TaskResult.Ok) r).data().get("backup_file"));
        assertTrue(backup.matches("moded\\.conf\\.\\d+\\.\\d{4}-\\d\\d-\\d\\d@\\d\\d:\\d\\d:\\d\\d~"), backup);
        assertEquals("before\n", Files.readString(home.resolve(backup)));
        TaskResult modeOnly = template("moded.conf", SandboxTasks.Mode.NORMAL, Map.of("mode", "0600"));
        assertTrue(modeOnly.changed(), "a different mode alone is a change");
        assertEquals("ownership, perms or SE linux context changed", modeOnly.message());
    }

    @Test
    void aFailingValidateLeavesTheOldFile() throws Exception {
        Files.writeString(home.resolve("validated.conf"), "kept\n");
        TaskResult r = template("validated.conf", SandboxTasks.Mode.NORMAL, Map.of("validate", "grep -q nothing-like-this %s"));
        assertInstanceOf(TaskResult.Failed.class, r);
        assertEquals("failed to validate", r.message());
        assertEquals("kept\n", Files.readString(home.resolve("validated.conf")));
        TaskResult ok = template("validated.conf", SandboxTasks.Mode.NORMAL, Map.of("validate", "grep -q 'name=t1' %s"));
        assertTrue(ok.changed(), ok.message());
        try (var files = Files.list(home)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith(".fleet-tmp")), "no temporary file is left");
        }
    }

    @Test
    void anUndefinedVariableFailsWithoutTouchingTheHost() throws Exception {
        Files.writeString(tasks.controllerDir.resolve("broken.j2"), "x={{ not_defined_anywhere }}\n");
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> tasks.run(new TemplateModule(), "t1",
                Map.of("src", "broken.j2", "dest", "broken.conf")));
        assertTrue(e.getMessage().contains("not_defined_anywhere"), e.getMessage());
        assertFalse(Files.exists(home.resolve("broken.conf")));
    }
}
