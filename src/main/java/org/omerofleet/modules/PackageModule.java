package org.omerofleet.modules;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.ShellQuote;
import org.omerofleet.transport.TransportException;

/**
 * Install, upgrade or remove system packages, as Ansible's {@code apt}, {@code dnf} (also {@code yum})
 * and {@code package} (which picks apt-get, dnf or yum, whichever the host has): what is installed is
 * read first ({@code dpkg-query}, {@code rpm -q}), and only the packages that differ are passed to the
 * package manager, so a second run is unchanged. {@code state}: present (installed), latest (changed
 * only when the manager would upgrade something: {@code apt-get -s}, {@code dnf check-update}),
 * absent (removed; {@code purge}, {@code autoremove} with apt). {@code update_cache} (with
 * {@code cache_valid_time} for apt) refreshes the lists first and is not itself a change. Needs root
 * on the host ({@code become}); check mode reads and changes nothing.
 */
public final class PackageModule implements Module {

    private final String name;

    PackageModule(String name) {
        this.name = name;
    }

    static List<Module> all() {
        return List.of(new PackageModule("package"), new PackageModule("apt"), new PackageModule("dnf"), new PackageModule("yum"));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<String> parameters() {
        return switch (name) {
            case "apt" -> Set.of("name", "pkg", "package", "state", "update_cache", "update-cache", "cache_valid_time", "install_recommends",
                    "purge", "autoremove", "default_release", "force_apt_get", "lock_timeout");
            case "package" -> Set.of("name", "state", "use");
            default -> Set.of("name", "pkg", "state", "update_cache", "autoremove", "enablerepo", "disablerepo", "disable_gpg_check");
        };
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
        List<String> packages = new ArrayList<>();
        for (String key : List.of("name", "pkg", "package")) {
            for (Object o : args.list(key)) {
                for (String p : String.valueOf(o).split(",")) {
                    if (!p.isBlank()) {
                        packages.add(p.strip());
                    }
                }
            }
        }
        String state = switch (args.string("state", "present")) {
            case "installed", "present" -> "present";
            case "removed", "absent" -> "absent";
            case "latest" -> "latest";
            default -> throw new IllegalArgumentException(name + ": state must be present, installed, latest, absent or removed, got '"
                    + args.string("state") + "'");
        };
        String manager = manager(context, args);
        Map<String, Object> data = new LinkedHashMap<>();
        if (args.bool("update_cache", args.bool("update-cache", false)) && !context.checkMode()) {
            data.put("cache_updated", updateCache(context, args, manager));
        }
        if (packages.isEmpty()) {
            data.put("changed", false);
            return new TaskResult.Ok(false, "", data);
        }
        List<String> todo = new ArrayList<>();
        for (String p : packages) {
            boolean installed = installed(context, manager, p);
            if (state.equals("present") && !installed || state.equals("absent") && installed) {
                todo.add(p);
            } else if (state.equals("latest") && (!installed || upgradable(context, manager, p))) {
                todo.add(p);
            }
        }
        data.put("packages", todo);
        if (todo.isEmpty()) {
            data.put("changed", false);
            return new TaskResult.Ok(false, "", data);
        }
        if (!context.checkMode()) {
            CommandResult r = context.connection().exec(ExecRequest.shell(command(manager, state, args, todo))
                    .withTimeout(Duration.ofMinutes(30)));
            data.put("rc", r.rc());
            data.put("stdout", r.stdout());
            data.put("stderr", r.stderr());
            if (!r.succeeded()) {
                return new TaskResult.Failed(name + ": " + manager + " failed: " + r.stderr().strip(), data);
            }
        }
        data.put("changed", true);
        return new TaskResult.Ok(true, "", data);
    }

    private String manager(TaskContext context, Args args) throws TransportException {
        if (name.equals("apt")) {
            return "apt";
        }
        if (name.equals("dnf") || name.equals("yum")) {
            return name;
        }
        String use = args.string("use", "auto");
        if (!use.equals("auto")) {
            return use;
        }
        CommandResult r = context.connection().exec(ExecRequest.shell(
                "if command -v apt-get >/dev/null; then echo apt; elif command -v dnf >/dev/null; then echo dnf; "
                        + "elif command -v yum >/dev/null; then echo yum; else echo none; fi"));
        String found = r.stdout().strip();
        if (found.equals("none")) {
            throw new IllegalStateException("package: no apt-get, dnf or yum on the host");
        }
        return found;
    }

    private static boolean updateCache(TaskContext context, Args args, String manager) throws TransportException {
        String command;
        if (manager.equals("apt")) {
            long valid = args.number("cache_valid_time", 0);
            command = (valid > 0 ? "s=/var/lib/apt/periodic/update-success-stamp; [ -e \"$s\" ] || s=/var/lib/apt/lists; "
                    + "if [ $(( $(date +%s) - $(stat -c %Y -- \"$s\") )) -lt " + valid + " ]; then echo fresh; exit 0; fi; " : "")
                    + "apt-get update -q";
        } else {
            command = manager + " -q makecache";
        }
        CommandResult r = context.connection().exec(ExecRequest.shell(command).withTimeout(Duration.ofMinutes(10)));
        if (!r.succeeded()) {
            throw new IllegalStateException("Failed to update the package cache: " + r.stderr().strip());
        }
        return !r.stdout().strip().equals("fresh");
    }

    private static boolean installed(TaskContext context, String manager, String spec) throws TransportException {
        if (manager.equals("apt")) {
            String[] nv = spec.split("=", 2);
            CommandResult r = context.connection().exec(ExecRequest.argv(List.of("dpkg-query", "-W", "-f=${Status}|${Version}", "--", nv[0])));
            String[] out = r.stdout().strip().split("\\|", 2);
            return r.succeeded() && out[0].endsWith(" installed") && (nv.length == 1 || out.length == 2 && out[1].startsWith(nv[1]));
        }
        return context.connection().exec(ExecRequest.argv(List.of("rpm", "-q", "--whatprovides", "--", spec))).succeeded();
    }

    private static boolean upgradable(TaskContext context, String manager, String spec) throws TransportException {
        if (manager.equals("apt")) {
            CommandResult r = context.connection().exec(ExecRequest.shell("apt-get -s -q install -- " + ShellQuote.quote(spec)));
            return r.stdout().lines().anyMatch(l -> l.startsWith("Inst "));
        }
        return context.connection().exec(ExecRequest.argv(List.of(manager, "-q", "check-update", "--", spec))).rc() == 100;
    }

    private static String command(String manager, String state, Args args, List<String> packages) {
        List<String> argv = new ArrayList<>();
        if (manager.equals("apt")) {
            argv.addAll(List.of("apt-get", "-y", "-q", "-o", "Dpkg::Options::=--force-confdef", "-o", "Dpkg::Options::=--force-confold"));
            if (state.equals("absent")) {
                argv.add("remove");
                if (args.bool("purge", false)) {
                    argv.add("--purge");
                }
                if (args.bool("autoremove", false)) {
                    argv.add("--auto-remove");
                }
            } else {
                argv.add("install");
                if (args.has("install_recommends")) {
                    argv.add(args.bool("install_recommends", true) ? "--install-recommends" : "--no-install-recommends");
                }
                args.optionalString("default_release").ifPresent(r -> argv.addAll(List.of("-t", r)));
            }
            argv.add("--");
            argv.addAll(packages);
            return "DEBIAN_FRONTEND=noninteractive " + ShellQuote.join(argv);
        }
        argv.addAll(List.of(manager, "-y", "-q"));
        argv.add(state.equals("absent") ? "remove" : state.equals("latest") ? "upgrade" : "install");
        if (state.equals("latest")) {
            // dnf upgrade does not install what is missing: install first, then upgrade
            return ShellQuote.join(List.of(manager, "-y", "-q", "install", "--")) + " " + join(packages) + " && "
                    + ShellQuote.join(List.of(manager, "-y", "-q", "upgrade", "--")) + " " + join(packages);
        }
        argv.add("--");
        argv.addAll(packages);
        return ShellQuote.join(argv);
    }

    private static String join(List<String> words) {
        return ShellQuote.join(words);
    }
}
