package org.omerofleet.testing;

import java.util.Map;
import java.util.Set;
import org.omerofleet.modules.Args;
import org.omerofleet.modules.Module;
import org.omerofleet.modules.TaskContext;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.TransportException;

/**
 * Run {@code cmd} on the host; a smallest-possible module for executor tests, so that they do not
 * depend on the behaviour of the real {@code command} module.
 */
public final class ExecModule implements Module {

    @Override
    public String name() {
        return "exec";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("cmd");
    }

    @Override
    public boolean supportsCheckMode() {
        return false;
    }

    @Override
    public TaskResult run(TaskContext context, Args args) throws TransportException {
        CommandResult r = context.connection().exec(ExecRequest.shell(args.string("cmd")));
        Map<String, Object> data = Map.of("rc", r.rc(), "stdout", r.stdout(), "stderr", r.stderr());
        return r.succeeded() ? new TaskResult.Ok(true, "", data) : new TaskResult.Failed("non-zero return code", data);
    }
}
