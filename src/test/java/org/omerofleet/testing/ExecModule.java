package org.omerofleet.testing;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.omerofleet.modules.Args;
import org.omerofleet.modules.Module;
import org.omerofleet.modules.TaskContext;
import org.omerofleet.result.Declaration;
import org.omerofleet.result.HostState;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.TransportException;

/**
 * Run {@code cmd} on the host; a smallest-possible module for executor tests, so that they do not
 * depend on the behaviour of the real {@code command} module. {@code in_flight} opens or closes the
 * host's in-flight window, as the OMERO modules do.
 */
public final class ExecModule implements Module {

    @Override
    public String name() {
        return "exec";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("cmd", "in_flight", "declare");
    }

    @Override
    public boolean supportsCheckMode() {
        return false;
    }

    @Override
    public TaskResult run(TaskContext context, Args args) throws TransportException {
        CommandResult r = context.connection().exec(ExecRequest.shell(args.string("cmd")));
        Map<String, Object> data = new java.util.LinkedHashMap<>(Map.of("rc", r.rc(), "stdout", r.stdout(), "stderr", r.stderr()));
        // as omero_facts with rolled_back declares an outcome, and the OMERO modules open and close the window
        Optional<HostState> outcome = args.has("declare") ? Optional.of(HostState.valueOf(args.string("declare"))) : Optional.empty();
        Declaration.Window window = !args.has("in_flight") ? Declaration.Window.KEPT
                : args.bool("in_flight", false) ? Declaration.Window.OPENED : Declaration.Window.CLOSED;
        Declaration declared = new Declaration(outcome, window);
        return r.succeeded() ? new TaskResult.Ok(true, "", data, Map.of(), declared)
                : new TaskResult.Failed(false, "non-zero return code", data, Map.of(), declared);
    }
}
