package org.omerofleet.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omerofleet.input.ShellWords;
import org.omerofleet.result.TaskResult;
import org.omerofleet.testing.ModuleContext;
import org.omerofleet.testing.RecordingConnection;

/** The {@code command} and {@code shell} modules: what reaches the host's shell, and how the answer is registered. */
class CommandModuleTest {

    @TempDir
    Path dir;

    private final RecordingConnection host = new RecordingConnection();

    /** {@return the words the host's {@code /bin/sh} would read after {@code exec}} */
    private List<String> execWords() throws Exception {
        String command = host.commands().get(0);
        return ShellWords.texts(command.substring(command.lastIndexOf("exec ") + "exec ".length()), ShellWords.Syntax.SHLEX);
    }

    @Test
    void commandSendsEachWordQuotedSoTheShellExpandsNothing() throws Exception {
        host.on("exec", 0, "ok\n", "");
        TaskResult result = new CommandModule(false).run(ModuleContext.on(host, dir),
                new Args("command", Map.of(Args.RAW, "printf '%s' \"a b\" $HOME;rm `id` *")));
        assertEquals(List.of("printf", "%s", "a b", "$HOME;rm", "`id`", "*"), execWords());
        // words with characters sh would expand reach it inside single quotes
        String command = host.commands().get(0);
        assertTrue(command.endsWith(" 'a b' '$HOME;rm' '`id`' '*'"), command);
        assertEquals(TaskResult.Status.CHANGED, result.status());
        assertEquals("ok", result.data().get("stdout"));
        assertEquals(List.of("ok"), result.data().get("stdout_lines"));
    }

    @Test
    void shellGivesTheWholeLineToShDashC() throws Exception {
        host.on("exec", 0, "", "");
        new CommandModule(true).run(ModuleContext.on(host, dir), new Args("shell", Map.of(Args.RAW, "echo $HOME | wc -c")));
        assertEquals(List.of("/bin/sh", "-c", "echo $HOME | wc -c"), execWords());
    }

    @Test
    void aNonZeroExitIsAFailureCarryingRcAndStderr() throws Exception {
        host.on("exec", 2, "", "no such file\n");
        TaskResult result = new CommandModule(false).run(ModuleContext.on(host, dir), new Args("command", Map.of("cmd", "ls /nope")));
        assertEquals(TaskResult.Status.FAILED, result.status());
        assertEquals("non-zero return code", result.message());
        assertEquals(2, result.data().get("rc"));
        assertEquals("no such file", result.data().get("stderr"));
    }

    @Test
    void createsSkipsTheCommandWhenTheHostSaysThePathExists() throws Exception {
        host.on("exec", 0, "__fleet_skip__\n", "");
        TaskResult result = new CommandModule(false).run(ModuleContext.on(host, dir),
                new Args("command", Map.of("cmd", "touch /tmp/x", "creates", "/tmp/it's here", "chdir", "/srv/a b")));
        String command = host.commands().get(0);
        assertTrue(command.startsWith("cd -- '/srv/a b' || exit 1; if [ -e '/tmp/it'\\''s here' ]; then echo __fleet_skip__; exit 0; fi; "),
                command);
        assertEquals(TaskResult.Status.OK, result.status());
        assertEquals("skipped, since /tmp/it's here exists", result.message());
    }

    @Test
    void stdinIsSentWithATrailingNewlineAndNotOnTheCommandLine() throws Exception {
        host.on("exec", 0, "", "");
        new CommandModule(false).run(ModuleContext.on(host, dir), new Args("command", Map.of("cmd", "cat", "stdin", "s3cret")));
        assertEquals("s3cret\n", new String(host.requests().get(0).stdin(), StandardCharsets.UTF_8));
        assertTrue(!host.commands().get(0).contains("s3cret"), host.commands().get(0));
    }

    @Test
    void argvIsUsedWordForWord() throws Exception {
        host.on("exec", 0, "", "");
        new CommandModule(false).run(ModuleContext.on(host, dir), new Args("command", Map.of("argv", List.of("echo", "a 'b'", ""))));
        assertEquals(List.of("echo", "a 'b'", ""), execWords());
    }

    @Test
    void noCommandOrAnUnclosedQuoteIsRefusedBeforeTheHostIsAsked() {
        assertThrows(IllegalArgumentException.class, () -> new CommandModule(false).run(ModuleContext.on(host, dir), new Args("command", Map.of())));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CommandModule(false).run(ModuleContext.on(host, dir), new Args("command", Map.of("cmd", "echo 'oops"))));
        assertTrue(e.getMessage().contains("column 6"), e.getMessage());
        assertEquals(List.of(), host.commands());
    }
}
