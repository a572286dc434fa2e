package org.omerofleet.modules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.omerofleet.input.ShellWords;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.ShellQuote;
import org.omerofleet.transport.TransportException;

/**
 * Run a command on the host, as Ansible's {@code command} ({@code shell = false}: the words are passed
 * without shell interpretation, each one quoted) and {@code shell} ({@code shell = true}: the string is
 * given to {@code /bin/sh -c}). Both support {@code chdir}, {@code creates}, {@code removes} and
 * {@code stdin}; a run counts as changed, as in Ansible.
 */
public final class CommandModule implements Module {

    private final boolean shell;

    public CommandModule(boolean shell) {
        this.shell = shell;
    }

    @Override
    public String name() {
        return shell ? "shell" : "command";
    }

    @Override
    public Set<String> parameters() {
        return shell ? Set.of("cmd", "chdir", "creates", "removes", "stdin", "executable")
                : Set.of("cmd", "argv", "chdir", "creates", "removes", "stdin");
    }

    @Override
    public boolean freeForm() {
        return true;
    }

    @Override
    public boolean supportsCheckMode() {
        return false;
    }

    @Override
    public TaskResult run(TaskContext context, Args args) throws TransportException {
        String line = args.optionalString("cmd").or(() -> args.optionalString(Args.RAW)).orElse("");
        List<String> argv = new ArrayList<>();
        args.list("argv").forEach(a -> argv.add(String.valueOf(a)));
        if (line.isBlank() && argv.isEmpty()) {
            throw new IllegalArgumentException(name() + ": no command given");
        }
        String command;
        if (shell) {
            command = ShellQuote.join(List.of(args.string("executable", "/bin/sh"), "-c", line));
        } else {
            command = ShellQuote.join(argv.isEmpty() ? words(line) : argv);
        }
        StringBuilder script = new StringBuilder();
        // as in Ansible, creates and removes are relative to chdir
        if (args.has("chdir")) {
            script.append("cd -- ").append(ShellQuote.quote(args.string("chdir"))).append(" || exit 1; ");
        }
        if (args.has("creates")) {
            script.append("if [ -e ").append(ShellQuote.quote(args.string("creates"))).append(" ]; then echo __fleet_skip__; exit 0; fi; ");
        }
        if (args.has("removes")) {
            script.append("if [ ! -e ").append(ShellQuote.quote(args.string("removes"))).append(" ]; then echo __fleet_skip__; exit 0; fi; ");
        }
        script.append("exec ").append(command);
        ExecRequest request = ExecRequest.shell(script.toString());
        if (args.has("stdin")) {
            request = request.withStdin((args.string("stdin") + "\n").getBytes(StandardCharsets.UTF_8));
        }
        var result = context.connection().exec(request);
        if (result.succeeded() && result.stdout().equals("__fleet_skip__\n")) {
            return new TaskResult.Ok(false, "skipped, since " + (args.has("creates") ? args.string("creates") + " exists"
                    : args.string("removes") + " does not exist"));
        }
        return Results.fromCommand(shell ? line : String.join(" ", argv.isEmpty() ? words(line) : argv), result, true);
    }

    /** {@return the words of a free-form command, split as Ansible's {@code shlex.split} does} */
    private static List<String> words(String line) {
        try {
            return ShellWords.texts(line, ShellWords.Syntax.SHLEX);
        } catch (ShellWords.UnclosedQuote e) {
            throw new IllegalArgumentException("cannot split the command at column " + e.column() + ": " + e.getMessage() + ": " + line);
        }
    }
}
