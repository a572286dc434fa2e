package org.omerofleet.modules;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.ShellQuote;
import org.omerofleet.transport.TransportException;

/**
 * Start, stop, restart or reload a service and enable or disable it at boot, as Ansible's
 * {@code systemd} (also {@code systemd_service}) and {@code service}: the unit's state is read first
 * ({@code systemctl show}, {@code systemctl is-enabled}), and only what differs is done, so a started
 * service asked to be started is unchanged; {@code restarted} and {@code reloaded} always change.
 * {@code daemon_reload} runs {@code systemctl daemon-reload} first (not a change, as in Ansible).
 * {@code service} uses systemd when the host booted with it ({@code /run/systemd/system}), and
 * otherwise the SysV {@code service} command ({@code service NAME status} for the state). Check mode
 * reads the state and says what would be done.
 */
public final class ServiceModule implements Module {

    private final String name;

    public ServiceModule(String name) {
        this.name = name;
    }

    /** {@return the three names: {@code systemd}, {@code systemd_service}, {@code service}} */
    static List<Module> all() {
        return List.of(new ServiceModule("systemd"), new ServiceModule("systemd_service"), new ServiceModule("service"));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<String> parameters() {
        return name.equals("service") ? Set.of("name", "state", "enabled", "sleep", "pattern", "arguments", "args", "runlevel", "use")
                : Set.of("name", "unit", "service", "state", "enabled", "masked", "daemon_reload", "daemon-reload", "daemon_reexec",
                        "scope", "no_block", "force");
    }

    @Override
    public Set<String> required() {
        return name.equals("service") ? Set.of("name") : Set.of();
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
        Optional<String> unit = args.optionalString("name").or(() -> args.optionalString("unit")).or(() -> args.optionalString("service"));
        Optional<String> state = args.optionalString("state");
        if (state.isPresent() && !List.of("started", "stopped", "restarted", "reloaded").contains(state.get())) {
            return new TaskResult.Failed(name + ": value of state must be one of: reloaded, restarted, started, stopped, got: " + state.get());
        }
        Optional<Boolean> enabled = args.has("enabled") ? Optional.of(args.bool("enabled", false)) : Optional.empty();
        boolean systemd = !name.equals("service") || usesSystemd(context, args);
        Map<String, Object> data = new LinkedHashMap<>();
        unit.ifPresent(u -> data.put("name", u));
        if (systemd) {
            String scope = args.string("scope", "system");
            Systemctl ctl = new Systemctl(context, scope.equals("system") ? "systemctl" : "systemctl --" + scope);
            if ((args.bool("daemon_reload", false) || args.bool("daemon-reload", false)) && !context.checkMode()) {
                ctl.require("daemon-reload", "");
            }
            if (args.bool("daemon_reexec", false) && !context.checkMode()) {
                ctl.require("daemon-reexec", "");
            }
            if (unit.isEmpty()) {
                if (state.isPresent() || enabled.isPresent() || args.has("masked")) {
                    return new TaskResult.Failed(name + ": state, enabled and masked need name");
                }
                return new TaskResult.Ok(false, "", data);
            }
            return ctl.converge(unit.get(), state, enabled, args, data);
        }
        if (unit.isEmpty()) {
            return new TaskResult.Failed("service: missing required argument 'name'");
        }
        return sysv(context, unit.get(), state, enabled, data);
    }

    private static boolean usesSystemd(TaskContext context, Args args) throws TransportException {
        String use = args.string("use", "auto");
        if (!use.equals("auto")) {
            return use.equals("systemd");
        }
        return context.connection().exec(ExecRequest.shell("[ -d /run/systemd/system ] && command -v systemctl >/dev/null")).succeeded();
    }

    /** The systemctl side: read the unit, then do what differs. */
    private record Systemctl(TaskContext context, String command) {

        CommandResult exec(String verb, String unit) throws TransportException {
            return context.connection().exec(ExecRequest.shell(command + " " + verb + (unit.isEmpty() ? "" : " " + ShellQuote.quote(unit))));
        }

        void require(String verb, String unit) throws TransportException {
            CommandResult r = exec(verb, unit);
            if (!r.succeeded()) {
                throw new IllegalStateException("Unable to " + verb + " service " + unit + ": " + (r.stderr() + r.stdout()).strip());
            }
        }

        TaskResult converge(String unit, Optional<String> state, Optional<Boolean> enabled, Args args, Map<String, Object> data)
                throws TransportException {
            Map<String, String> status = show(unit);
            data.put("status", status);
            boolean found = !"not-found".equals(status.get("LoadState"));
            boolean changed = false;
            if (args.has("masked")) {
                boolean masked = "masked".equals(status.get("LoadState")) || "masked".equals(status.get("UnitFileState"));
                boolean want = args.bool("masked", false);
                if (masked != want) {
                    changed = true;
                    if (!context.checkMode()) {
                        require(want ? "mask" : "unmask", unit);
                        status = show(unit);
                        found = !"not-found".equals(status.get("LoadState"));
                    }
                }
                data.put("masked", want);
            }
            if ((state.isPresent() || enabled.isPresent()) && !found) {
                return new TaskResult.Failed("Could not find the requested service " + unit + ": host", data);
            }
            if (enabled.isPresent()) {
                CommandResult is = exec("is-enabled", unit);
                boolean now = is.succeeded(); // as Ansible reads it: exit 0 (enabled, static, alias...) is enabled
                if (now != enabled.get()) {
                    changed = true;
                    if (!context.checkMode()) {
                        require(enabled.get() ? "enable" : "disable", unit);
                    }
                }
                data.put("enabled", enabled.get());
            }
            if (state.isPresent()) {
                String active = status.getOrDefault("ActiveState", "");
                boolean running = active.equals("active") || active.equals("activating") || active.equals("reloading");
                String verb = switch (state.get()) {
                    case "started" -> running ? null : "start";
                    case "stopped" -> running || active.equals("deactivating") ? "stop" : null;
                    case "restarted" -> "restart";
                    default -> running ? "reload" : "start";
                };
                if (verb != null) {
                    changed = true;
                    if (!context.checkMode()) {
                        require((args.bool("no_block", false) ? "--no-block " : "") + verb, unit);
                    }
                }
                data.put("state", state.get());
            }
            data.put("changed", changed);
            return new TaskResult.Ok(changed, "", data);
        }

        Map<String, String> show(String unit) throws TransportException {
            CommandResult r = exec("show", unit);
            if (!r.succeeded()) {
                throw new IllegalStateException("systemctl show " + unit + " failed: " + (r.stderr() + r.stdout()).strip());
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (String line : r.stdout().lines().toList()) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    out.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            return out;
        }
    }

    /** A host without systemd: {@code service NAME status|start|stop|restart|reload}; enabling is not supported there. */
    private TaskResult sysv(TaskContext context, String unit, Optional<String> state, Optional<Boolean> enabled, Map<String, Object> data)
            throws TransportException {
        if (enabled.isPresent()) {
            return new TaskResult.Failed("service: enabled is only supported with systemd here; this host did not boot with systemd");
        }
        boolean changed = false;
        if (state.isPresent()) {
            boolean running = context.connection().exec(ExecRequest.argv(List.of("service", unit, "status"))).succeeded();
            String verb = switch (state.get()) {
                case "started" -> running ? null : "start";
                case "stopped" -> running ? "stop" : null;
                case "restarted" -> "restart";
                default -> running ? "reload" : "start";
            };
            if (verb != null) {
                changed = true;
                if (!context.checkMode()) {
                    CommandResult r = context.connection().exec(ExecRequest.argv(List.of("service", unit, verb)));
                    if (!r.succeeded()) {
                        return new TaskResult.Failed("Unable to " + verb + " service " + unit + ": " + (r.stderr() + r.stdout()).strip(), data);
                    }
                }
            }
            data.put("state", state.get());
        }
        data.put("changed", changed);
        return new TaskResult.Ok(changed, "", data);
    }
}
