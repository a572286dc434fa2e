package org.omerofleet.modules.omero;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.omerofleet.modules.Args;
import org.omerofleet.modules.TaskContext;
import org.omerofleet.result.Declaration;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.TransportException;

/**
 * Start, stop or restart OMERO.server or OMERO.web through its systemd unit, as a host the OME roles
 * deployed runs them: {@code omero_server} and {@code omero_web} come here when given
 * {@code systemd_unit}. Stopping the server with {@code bin/omero admin stop} behind systemd's back
 * would leave the unit failed and the next {@code systemctl start} confused; this keeps systemd in
 * charge. Whether the unit runs is {@code systemctl is-active}; the verbs run as
 * {@code sudo -n systemctl} unless {@code systemd_sudo: false} (a login that may run systemctl itself);
 * with the host's become password ({@code -K}, {@code ansible_become_password}) sudo is given it on its
 * input ({@link org.omerofleet.transport.SudoShell}).
 * A unit that fails to start has {@code systemctl status} and the unit's journal in the result.
 */
final class SystemdUnit {

    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private SystemdUnit() {
    }

    static TaskResult run(TaskContext context, Args args, String label, String state) throws TransportException {
        String unit = args.string("systemd_unit");
        if (!unit.matches("[A-Za-z0-9@._-]+")) {
            return new TaskResult.Failed("systemd_unit must be a unit name, got '" + unit + "'");
        }
        boolean sudo = args.bool("systemd_sudo", true);
        boolean running = active(context, unit);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("was_running", running);
        data.put("unit", unit);
        Declaration window = state.equals("stopped") && args.bool("upgrade", false) ? Declaration.OPENS_WINDOW : Declaration.NONE;
        boolean wanted = !state.equals("stopped");
        if (state.equals("started") && running || state.equals("stopped") && !running) {
            data.put("running", running);
            return new TaskResult.Ok(false, "", data, Map.of(), window);
        }
        String verb = state.equals("stopped") ? "stop" : running ? "restart" : "start";
        if (context.checkMode()) {
            return new TaskResult.Ok(true, "would " + verb + " " + unit, data, Map.of(), window);
        }
        ExecRequest request = ExecRequest.shell((sudo ? context.sudo().define() + "fleet_sudo " : "") + "systemctl " + verb + " " + OmeroShell.q(unit))
                .withTimeout(TIMEOUT);
        CommandResult r = sudo ? context.sudo().exec(context.connection(), request) : context.connection().exec(request);
        data.put("output", (r.stdout() + r.stderr()).strip());
        boolean now = active(context, unit);
        data.put("running", now);
        if (now != wanted || !r.succeeded()) {
            if (wanted) {
                CommandResult status = context.connection().exec(ExecRequest.shell("systemctl status " + OmeroShell.q(unit)
                        + " 2>&1; journalctl -u " + OmeroShell.q(unit) + " -n 50 --no-pager 2>/dev/null"));
                data.put("diagnostics", status.stdout());
            }
            return new TaskResult.Failed(true, label + " (" + unit + ") did not " + verb + " (systemctl rc " + r.rc() + "): "
                    + lastLine(r.stdout() + r.stderr()), data, Map.of(), window);
        }
        return new TaskResult.Ok(true, "", data, Map.of(), window);
    }

    private static boolean active(TaskContext context, String unit) throws TransportException {
        return context.connection().exec(ExecRequest.shell("systemctl is-active " + OmeroShell.q(unit) + " >/dev/null 2>&1")).succeeded();
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines.length == 0 ? "" : lines[0];
    }
}
