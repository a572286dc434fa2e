package org.omerofleet.modules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.TransportException;

/**
 * Make a user account present or absent, as Ansible's {@code user} on Linux: {@code getent passwd} and
 * {@code id -Gn} first, then {@code useradd}, {@code usermod} (only the options that differ) or
 * {@code userdel} ({@code remove: true} adds {@code -r}). {@code uid}, {@code group}, {@code groups}
 * with {@code append}, {@code shell}, {@code home}, {@code create_home}, {@code system},
 * {@code comment}, {@code password} (an already hashed value, set with {@code chpasswd -e} on its
 * standard input, never on a command line, and compared with the shadow entry). Needs root on the
 * host. Check mode reads and changes nothing.
 */
public final class UserModule implements Module {

    @Override
    public String name() {
        return "user";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("name", "state", "uid", "group", "groups", "append", "shell", "home", "create_home", "createhome", "system",
                "comment", "password", "update_password", "remove", "force", "move_home", "non_unique");
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

    /** A passwd entry. */
    private record Account(String uid, String gid, String comment, String home, String shell) {
    }

    @Override
    public TaskResult run(TaskContext context, Args args) throws TransportException {
        String user = args.string("name");
        String state = args.string("state", "present");
        if (!state.equals("present") && !state.equals("absent")) {
            return new TaskResult.Failed("user: state must be present or absent, got '" + state + "'");
        }
        args.optionalString("password").ifPresent(context::addSecret);
        Account account = lookup(context, user);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", user);
        data.put("state", state);
        List<List<String>> commands = new ArrayList<>();
        if (state.equals("absent")) {
            if (account != null) {
                List<String> del = new ArrayList<>(List.of("userdel"));
                if (args.bool("remove", false)) {
                    del.add("-r");
                }
                if (args.bool("force", false)) {
                    del.add("-f");
                }
                del.add(user);
                commands.add(del);
            }
        } else if (account == null) {
            commands.add(useradd(args, user));
        } else {
            List<String> mod = usermod(context, args, user, account);
            if (!mod.isEmpty()) {
                commands.add(mod);
            }
        }
        boolean password = state.equals("present") && args.has("password") && passwordDiffers(context, args, user, account);
        boolean changed = !commands.isEmpty() || password;
        if (changed && !context.checkMode()) {
            for (List<String> command : commands) {
                CommandResult r = context.connection().exec(ExecRequest.argv(command));
                if (!r.succeeded()) {
                    data.put("rc", r.rc());
                    return new TaskResult.Failed(r.stderr().strip().isEmpty() ? command.get(0) + " failed" : r.stderr().strip(), data);
                }
            }
            if (password) {
                CommandResult r = context.connection().exec(ExecRequest.argv(List.of("chpasswd", "-e"))
                        .withStdin((user + ":" + args.string("password") + "\n").getBytes(StandardCharsets.UTF_8)));
                if (!r.succeeded()) {
                    return new TaskResult.Failed("cannot set the password of " + user + ": " + r.stderr().strip(), data);
                }
            }
        }
        Account now = context.checkMode() ? account : lookup(context, user);
        if (state.equals("present") && now != null) {
            data.put("uid", Long.parseLong(now.uid()));
            data.put("group", Long.parseLong(now.gid()));
            data.put("home", now.home());
            data.put("shell", now.shell());
            data.put("comment", now.comment());
        }
        data.put("changed", changed);
        return new TaskResult.Ok(changed, "", data);
    }

    private static Account lookup(TaskContext context, String user) throws TransportException {
        CommandResult r = context.connection().exec(ExecRequest.argv(List.of("getent", "passwd", user)));
        if (!r.succeeded() || r.stdout().isBlank()) {
            return null;
        }
        String[] f = r.stdout().strip().split(":", -1);
        return new Account(f[2], f[3], f[4], f[5], f[6]);
    }

    private static List<String> useradd(Args args, String user) {
        List<String> c = new ArrayList<>(List.of("useradd"));
        if (args.has("uid")) {
            c.addAll(List.of("-u", String.valueOf(args.number("uid", 0))));
            if (args.bool("non_unique", false)) {
                c.add("-o");
            }
        }
        args.optionalString("group").ifPresent(g -> c.addAll(List.of("-g", g)));
        List<String> groups = groups(args);
        if (!groups.isEmpty()) {
            c.addAll(List.of("-G", String.join(",", groups)));
        }
        args.optionalString("comment").ifPresent(v -> c.addAll(List.of("-c", v)));
        args.optionalString("home").ifPresent(v -> c.addAll(List.of("-d", v)));
        args.optionalString("shell").ifPresent(v -> c.addAll(List.of("-s", v)));
        boolean system = args.bool("system", false);
        if (system) {
            c.add("-r");
        }
        boolean createHome = args.bool("create_home", args.bool("createhome", true));
        c.add(createHome ? "-m" : "-M");
        c.add(user);
        return c;
    }

    private static List<String> usermod(TaskContext context, Args args, String user, Account account) throws TransportException {
        List<String> c = new ArrayList<>();
        if (args.has("uid") && !account.uid().equals(String.valueOf(args.number("uid", 0)))) {
            c.addAll(List.of("-u", String.valueOf(args.number("uid", 0))));
        }
        if (args.has("group")) {
            String wanted = args.string("group");
            CommandResult g = context.connection().exec(ExecRequest.argv(List.of("getent", "group", wanted)));
            String gid = g.succeeded() ? g.stdout().strip().split(":", -1)[2] : wanted;
            if (!gid.equals(account.gid())) {
                c.addAll(List.of("-g", wanted));
            }
        }
        List<String> wantedGroups = groups(args);
        if (args.has("groups")) {
            CommandResult r = context.connection().exec(ExecRequest.argv(List.of("id", "-Gn", user)));
            Set<String> current = new LinkedHashSet<>(Arrays.asList(r.stdout().strip().split("\\s+")));
            CommandResult primary = context.connection().exec(ExecRequest.argv(List.of("id", "-gn", user)));
            current.remove(primary.stdout().strip());
            boolean append = args.bool("append", false);
            boolean differs = append ? !current.containsAll(wantedGroups) : !current.equals(new LinkedHashSet<>(wantedGroups));
            if (differs) {
                if (append) {
                    c.add("-a");
                }
                c.addAll(List.of("-G", String.join(",", wantedGroups)));
            }
        }
        if (args.has("comment") && !args.string("comment").equals(account.comment())) {
            c.addAll(List.of("-c", args.string("comment")));
        }
        if (args.has("home") && !args.string("home").equals(account.home())) {
            c.addAll(List.of("-d", args.string("home")));
            if (args.bool("move_home", false)) {
                c.add("-m");
            }
        }
        if (args.has("shell") && !args.string("shell").equals(account.shell())) {
            c.addAll(List.of("-s", args.string("shell")));
        }
        if (c.isEmpty()) {
            return c;
        }
        c.add(0, "usermod");
        c.add(user);
        return c;
    }

    private static List<String> groups(Args args) {
        List<String> out = new ArrayList<>();
        for (Object o : args.list("groups")) {
            for (String g : String.valueOf(o).split(",")) {
                if (!g.isBlank()) {
                    out.add(g.strip());
                }
            }
        }
        return out;
    }

    private static boolean passwordDiffers(TaskContext context, Args args, String user, Account account) throws TransportException {
        if (account == null) {
            return true;
        }
        if (args.string("update_password", "always").equals("on_create")) {
            return false;
        }
        CommandResult r = context.connection().exec(ExecRequest.argv(List.of("getent", "shadow", user)));
        String[] f = r.stdout().strip().split(":", -1);
        return f.length < 2 || !f[1].equals(args.string("password"));
    }
}
