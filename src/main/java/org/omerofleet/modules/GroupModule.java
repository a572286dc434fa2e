package org.omerofleet.modules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.TransportException;

/**
 * Make a group present (with {@code gid}, {@code system}) or absent, as Ansible's {@code group}:
 * {@code getent group} first, then {@code groupadd}, {@code groupmod -g} or {@code groupdel} only when
 * something differs. Needs root on the host ({@code become}). Check mode reads and changes nothing.
 */
public final class GroupModule implements Module {

    @Override
    public String name() {
        return "group";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("name", "state", "gid", "system", "local", "non_unique", "force");
    }

    @Override
    public Set<String> required() {
        return Set.of("name");
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
        String group = args.string("name");
        String state = args.string("state", "present");
        if (!state.equals("present") && !state.equals("absent")) {
            return new TaskResult.Failed("group: state must be present or absent, got '" + state + "'");
        }
        CommandResult entry = context.connection().exec(ExecRequest.argv(List.of("getent", "group", group)));
        boolean exists = entry.succeeded() && !entry.stdout().isBlank();
        String gid = exists ? entry.stdout().strip().split(":", -1)[2] : "";
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", group);
        data.put("state", state);
        List<String> command = null;
        if (state.equals("absent")) {
            if (exists) {
                command = List.of("groupdel", group);
            }
        } else if (!exists) {
            command = new ArrayList<>(List.of("groupadd"));
            if (args.has("gid")) {
                command.addAll(List.of("-g", String.valueOf(args.number("gid", 0))));
                if (args.bool("non_unique", false)) {
                    command.add("-o");
                }
            }
            if (args.bool("system", false)) {
                command.add("-r");
            }
            command.add(group);
        } else if (args.has("gid") && !gid.equals(String.valueOf(args.number("gid", 0)))) {
            command = List.of("groupmod", "-g", String.valueOf(args.number("gid", 0)), group);
        }
        if (command != null && !context.checkMode()) {
            CommandResult r = context.connection().exec(ExecRequest.argv(command));
            if (!r.succeeded()) {
                data.put("rc", r.rc());
                return new TaskResult.Failed(r.stderr().strip().isEmpty() ? String.join(" ", command) + " failed" : r.stderr().strip(), data);
            }
            CommandResult after = context.connection().exec(ExecRequest.argv(List.of("getent", "group", group)));
            gid = after.succeeded() ? after.stdout().strip().split(":", -1)[2] : "";
        }
        if (state.equals("present")) {
            data.put("gid", gid.isEmpty() ? args.number("gid", -1) : Long.parseLong(gid));
            data.put("system", args.bool("system", false));
        }
        data.put("changed", command != null);
        return new TaskResult.Ok(command != null, "", data);
    }
}
