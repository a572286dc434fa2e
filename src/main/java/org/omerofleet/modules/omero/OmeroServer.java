package org.omerofleet.modules.omero;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.omerofleet.modules.Args;
import org.omerofleet.modules.Module;
import org.omerofleet.modules.TaskContext;
import org.omerofleet.result.Declaration;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.TransportException;

/**
 * Start, stop or restart OMERO.server ({@code omero_server}) or the OMERO.web bundled with it
 * ({@code omero_web}) through {@code bin/omero}, checked by the status subcommand afterwards. A
 * server that fails to start has {@code bin/omero admin diagnostics} captured in the result.
 * Stopping the server opens the host's in-flight window: from there until the upgrade is verified
 * or rolled back, a failure leaves the host NEEDS_ATTENTION unless a rescue repairs it.
 */
public final class OmeroServer implements Module {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(10);

    private final boolean web;

    /** @param web manage OMERO.web ({@code omero_web}) instead of the server */
    public OmeroServer(boolean web) {
        this.web = web;
    }

    @Override
    public String name() {
        return web ? "omero_web" : "omero_server";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("server_dir", "state", "upgrade", "systemd_unit", "systemd_sudo");
    }

    @Override
    public Set<String> required() {
        return Set.of("server_dir", "state");
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
        String state = args.string("state");
        if (!Set.of("started", "stopped", "restarted").contains(state)) {
            return new TaskResult.Failed(name() + ": state must be started, stopped or restarted, got '" + state + "'");
        }
        if (!args.string("systemd_unit", "").isEmpty()) {
            return SystemdUnit.run(context, args, label(), state); // 5.6 as the OME roles deploy it
        }
        String cd = OmeroShell.cd(args.string("server_dir"));
        String component = web ? "web" : "admin";
        boolean running = running(context, cd);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("was_running", running);
        // stopping for an upgrade opens the host's in-flight window, whatever this stop finds
        Declaration window = state.equals("stopped") && args.bool("upgrade", false) ? Declaration.OPENS_WINDOW : Declaration.NONE;
        boolean wanted = !state.equals("stopped");
        boolean nothingToDo = state.equals("started") && running || state.equals("stopped") && !running;
        if (nothingToDo) {
            data.put("running", running);
            return new TaskResult.Ok(false, "", data, Map.of(), window);
        }
        if (context.checkMode()) {
            return new TaskResult.Ok(true, "would " + (wanted ? "start" : "stop") + " " + label(), data, Map.of(), window);
        }
        StringBuilder out = new StringBuilder();
        if (running) {
            CommandResult stop = context.connection().exec(ExecRequest.shell(cd + "bin/omero " + component + " stop").withTimeout(START_TIMEOUT));
            out.append(stop.stdout()).append(stop.stderr());
            if (running(context, cd)) {
                data.put("output", out.toString().strip());
                return new TaskResult.Failed(true, label() + " is still running after stop (rc " + stop.rc() + ")", data, Map.of(), window);
            }
        }
        if (wanted) {
            CommandResult start = context.connection().exec(ExecRequest.shell(cd + "bin/omero " + component + " start").withTimeout(START_TIMEOUT));
            out.append(start.stdout()).append(start.stderr());
            data.put("output", out.toString().strip());
            if (!start.succeeded() || !running(context, cd)) {
                if (!web) {
                    CommandResult diagnostics = context.connection().exec(ExecRequest.shell(cd + "bin/omero admin diagnostics"));
                    data.put("diagnostics", diagnostics.stdout() + diagnostics.stderr());
                }
                return new TaskResult.Failed(true, label() + " did not start (rc " + start.rc() + "): " + lastLine(out.toString()), data, Map.of(), window);
            }
        } else {
            data.put("output", out.toString().strip());
        }
        data.put("running", wanted);
        return new TaskResult.Ok(true, "", data, Map.of(), window);
    }

    private boolean running(TaskContext context, String cd) throws TransportException {
        String status = web ? "bin/omero web status" : "bin/omero admin status";
        CommandResult r = context.connection().exec(ExecRequest.shell(cd + status + " >/dev/null 2>&1"));
        if (r.rc() == OmeroShell.NO_SERVER_DIR) {
            throw new IllegalStateException(r.stderr().strip());
        }
        return r.succeeded();
    }

    private String label() {
        return web ? "OMERO.web" : "OMERO.server";
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1];
    }
}
