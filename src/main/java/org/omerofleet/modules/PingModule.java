package org.omerofleet.modules;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.Connection;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.TransportException;

/**
 * Ansible's {@code ping}: connect, authenticate, verify the host key, and run {@code echo pong} through
 * the host's shell; never changes anything. The result's data also names the algorithms the connection
 * negotiated ({@code negotiated}).
 */
public final class PingModule implements Module {

    @Override
    public String name() {
        return "ping";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("data");
    }

    @Override
    public boolean supportsCheckMode() {
        return true;
    }

    @Override
    public boolean safeToRepeat() {
        return true;
    }

    @Override
    public TaskResult run(TaskContext context, Args args) throws TransportException {
        Connection connection = context.connection();
        CommandResult r = connection.exec(ExecRequest.shell("echo pong"));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("ping", args.string("data", "pong"));
        data.put("negotiated", connection.negotiated());
        if (!r.succeeded() || !r.stdout().strip().equals("pong")) {
            return new TaskResult.Failed("echo pong: rc=" + r.rc() + " " + r.stderr().strip(), data);
        }
        return new TaskResult.Ok(false, "pong", data);
    }
}
