package org.omerofleet.modules;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.omerofleet.input.ShellWords;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.ShellQuote;
import org.omerofleet.transport.TransportException;

/**
 * Install Python packages with pip, as Ansible's {@code pip}: {@code name} (one or a list, with
 * version specifiers) and {@code version}, or {@code requirements}; {@code virtualenv} is created
 * first when it has no {@code bin/python} ({@code virtualenv_command}, default {@code virtualenv};
 * {@code virtualenv_site_packages}, {@code virtualenv_python}); {@code state} present, latest, absent,
 * forcereinstall; {@code extra_args}, {@code chdir}, {@code executable}. What is installed is read
 * with {@code pip freeze} before anything runs: present packages are not reinstalled, and the task is
 * changed only when the freeze differs afterwards (or the virtualenv was created), as in Ansible.
 */
public final class PipModule implements Module {

    @Override
    public String name() {
        return "pip";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("name", "version", "requirements", "virtualenv", "virtualenv_command", "virtualenv_python", "virtualenv_site_packages",
                "state", "extra_args", "chdir", "executable", "editable", "umask");
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
        List<String> names = new ArrayList<>();
        args.list("name").forEach(n -> names.add(String.valueOf(n).strip()));
        if (names.isEmpty() && !args.has("requirements")) {
            throw new IllegalArgumentException("pip: one of the following is required: name, requirements");
        }
        if (args.has("version") && names.size() != 1) {
            throw new IllegalArgumentException("pip: version is incompatible with several names");
        }
        String state = args.string("state", "present");
        if (!List.of("present", "latest", "absent", "forcereinstall").contains(state)) {
            throw new IllegalArgumentException("pip: state must be one of: absent, forcereinstall, latest, present, got '" + state + "'");
        }
        String cd = args.has("chdir") ? "cd -- " + ShellQuote.quote(args.string("chdir")) + " || exit 1; " : "";
        Map<String, Object> data = new LinkedHashMap<>();
        boolean created = false;
        String pip;
        if (args.has("virtualenv")) {
            String venv = args.string("virtualenv");
            data.put("virtualenv", venv);
            pip = ShellQuote.quote(venv + "/bin/pip");
            boolean exists = context.connection().exec(ExecRequest.shell(cd + "[ -x " + ShellQuote.quote(venv + "/bin/python") + " ]")).succeeded();
            if (!exists) {
                created = true;
                if (context.checkMode()) {
                    data.put("changed", true);
                    return new TaskResult.Ok(true, "would create the virtualenv " + venv, data);
                }
                List<String> make = new ArrayList<>(ShellWords.shlex(args.string("virtualenv_command", "virtualenv")));
                if (args.bool("virtualenv_site_packages", false)) {
                    make.add("--system-site-packages");
                }
                args.optionalString("virtualenv_python").ifPresent(py -> make.addAll(List.of("-p", py)));
                make.add(venv);
                CommandResult r = context.connection().exec(ExecRequest.shell(cd + ShellQuote.join(make)).withTimeout(Duration.ofMinutes(10)));
                if (!r.succeeded()) {
                    return new TaskResult.Failed("pip: cannot create the virtualenv " + venv + ": " + (r.stderr() + r.stdout()).strip(), data);
                }
            }
        } else {
            pip = ShellQuote.quote(args.string("executable", "pip3"));
        }
        List<String> specs = new ArrayList<>();
        for (String n : names) {
            specs.add(args.has("version") ? n + "==" + args.string("version") : n);
        }
        Map<String, String> before = freeze(context, cd, pip);
        List<String> todo = todo(state, specs, before);
        if (todo.isEmpty() && !args.has("requirements")) {
            data.put("changed", created);
            return new TaskResult.Ok(created, "", data);
        }
        if (context.checkMode()) {
            data.put("changed", true);
            return new TaskResult.Ok(true, "", data);
        }
        StringBuilder command = new StringBuilder(cd + pip + (state.equals("absent") ? " uninstall -y" : " install"));
        if (state.equals("latest")) {
            command.append(" -U");
        } else if (state.equals("forcereinstall")) {
            command.append(" -U --force-reinstall");
        }
        args.optionalString("extra_args").ifPresent(extra -> command.append(' ').append(ShellQuote.join(ShellWords.shlex(extra))));
        if (args.has("requirements") && !state.equals("absent")) {
            command.append(" -r ").append(ShellQuote.quote(args.string("requirements")));
        }
        for (String spec : todo) {
            command.append(' ').append(ShellQuote.quote(spec));
        }
        CommandResult r = context.connection().exec(ExecRequest.shell(command.toString()).withTimeout(Duration.ofMinutes(30)));
        data.put("cmd", command.toString());
        data.put("stdout", r.stdout());
        data.put("stderr", r.stderr());
        if (!r.succeeded()) {
            return new TaskResult.Failed("pip: " + (r.stderr() + r.stdout()).strip(), data);
        }
        boolean changed = created || !freeze(context, cd, pip).equals(before);
        data.put("changed", changed);
        return new TaskResult.Ok(changed, "", data);
    }

    private static List<String> todo(String state, List<String> specs, Map<String, String> installed) {
        List<String> out = new ArrayList<>();
        for (String spec : specs) {
            String[] nv = spec.split("(==|>=|<=|~=|!=|>|<)", 2);
            String name = normal(nv[0]);
            boolean has = installed.containsKey(name);
            boolean exact = spec.contains("==") && nv.length == 2;
            switch (state) {
                case "present" -> {
                    if (!has || exact && !installed.get(name).equals(nv[1].strip())) {
                        out.add(spec);
                    }
                }
                case "absent" -> {
                    if (has) {
                        out.add(nv[0].strip());
                    }
                }
                default -> out.add(spec);
            }
        }
        return out;
    }

    private static Map<String, String> freeze(TaskContext context, String cd, String pip) throws TransportException {
        CommandResult r = context.connection().exec(ExecRequest.shell(cd + pip + " freeze --all 2>/dev/null || " + pip + " freeze"));
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : r.stdout().lines().toList()) {
            String[] nv = line.split("==", 2);
            if (nv.length == 2) {
                out.put(normal(nv[0]), nv[1].strip());
            } else if (line.contains(" @ ")) {
                out.put(normal(line.substring(0, line.indexOf(" @ "))), line);
            }
        }
        return out;
    }

    /** PEP 503: names compare lower-cased, with runs of -, _ and . as one -. */
    private static String normal(String name) {
        return name.strip().toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
    }
}
