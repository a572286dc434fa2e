package org.omerofleet.modules;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.omerofleet.input.ShellWords;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.ShellQuote;
import org.omerofleet.transport.TransportException;

/**
 * Send a controller script to the host and run it there, as Ansible's {@code script}: the free-form
 * text is the script's path (relative to the playbook, or its {@code files/}) followed by its
 * arguments, which the host's shell reads as they are written (as in Ansible); {@code chdir},
 * {@code creates}, {@code removes}, {@code executable}. The script lands in a private temporary
 * directory, removed afterwards. Always changed; skipped in check mode.
 */
public final class ScriptModule implements Module {

    @Override
    public String name() {
        return "script";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("cmd", "chdir", "creates", "removes", "executable");
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
        String line = args.optionalString("cmd").or(() -> args.optionalString(Args.RAW)).orElse("").strip();
        if (line.isEmpty()) {
            throw new IllegalArgumentException("script: no script given");
        }
        List<String> words = ShellWords.shlex(line);
        String scriptName = words.get(0);
        String rest = line.substring(firstWordEnd(line, scriptName)).strip();
        Path local = ControllerFiles.find(context, scriptName, "files");
        if (local == null) {
            return new TaskResult.Failed("Could not find or access '" + scriptName + "' on the Ansible Controller.");
        }
        StringBuilder guard = new StringBuilder();
        if (args.has("chdir")) {
            guard.append("cd -- ").append(ShellQuote.quote(args.string("chdir"))).append(" || exit 1; ");
        }
        if (args.has("creates")) {
            guard.append("if [ -e ").append(ShellQuote.quote(args.string("creates"))).append(" ]; then echo __fleet_skip__; exit 0; fi; ");
        }
        if (args.has("removes")) {
            guard.append("if [ ! -e ").append(ShellQuote.quote(args.string("removes"))).append(" ]; then echo __fleet_skip__; exit 0; fi; ");
        }
        if (guard.length() > 0 && (args.has("creates") || args.has("removes"))) {
            CommandResult skip = context.connection().exec(ExecRequest.shell(guard + "true"));
            if (skip.stdout().startsWith("__fleet_skip__")) {
                String why = args.has("creates") ? args.string("creates") + " exists" : args.string("removes") + " does not exist";
                return new TaskResult.Skipped("skipped, since " + why); // Ansible's script counts it skipped, not ok
            }
        }
        CommandResult dir = context.connection().exec(ExecRequest.shell("mktemp -d \"${TMPDIR:-/tmp}/fleet-script.XXXXXXXX\""));
        if (!dir.succeeded()) {
            return new TaskResult.Failed("script: cannot make a temporary directory on the host: " + dir.stderr().strip());
        }
        String remote = dir.stdout().strip() + "/" + local.getFileName();
        try {
            context.connection().upload(local, remote, 0700, java.util.Optional.empty());
            String run = (args.has("executable") ? ShellQuote.quote(args.string("executable")) + " " : "") + ShellQuote.quote(remote)
                    + (rest.isEmpty() ? "" : " " + rest);
            String chdir = args.has("chdir") ? "cd -- " + ShellQuote.quote(args.string("chdir")) + " || exit 1; " : "";
            return Results.fromCommand(line, context.connection().exec(ExecRequest.shell(chdir + run)), true);
        } finally {
            context.connection().exec(ExecRequest.argv(List.of("rm", "-rf", "--", dir.stdout().strip())));
        }
    }

    /** {@return where, in {@code line}, the first word (written with any quoting) ends} */
    private static int firstWordEnd(String line, String firstWord) {
        for (int end = 1; end < line.length(); end++) {
            if (Character.isWhitespace(line.charAt(end))) {
                try {
                    List<String> w = ShellWords.shlex(line.substring(0, end));
                    if (w.size() == 1 && w.get(0).equals(firstWord)) {
                        return end;
                    }
                } catch (IllegalArgumentException unclosedQuote) {
                    // inside a quoted word: go on
                }
            }
        }
        return line.length();
    }
}
