package org.omerofleet.modules;

import java.util.Set;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.ShellQuote;
import org.omerofleet.transport.TransportException;

/**
 * Run a command line as it is, through the login shell of the host, as Ansible's {@code raw}
 * ({@code executable} runs it with another shell instead); always changed, as in Ansible; not run in
 * check mode. The command is the playbook's own text: it is not quoted, by design.
 */
public final class RawModule implements Module {

    @Override
    public String name() {
        return "raw";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("executable");
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
        String line = args.string(Args.RAW, "");
        if (line.isBlank()) {
            throw new IllegalArgumentException("raw: no command given");
        }
        String command = args.has("executable") ? ShellQuote.join(java.util.List.of(args.string("executable"), "-c", line)) : line;
        return Results.fromCommand(line, context.connection().exec(ExecRequest.shell(command)), true);
    }
}
