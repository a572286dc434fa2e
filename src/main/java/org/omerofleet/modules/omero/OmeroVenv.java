package org.omerofleet.modules.omero;

import java.time.Duration;
import java.util.LinkedHashMap;
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
 * Bring a Python package of an OMERO 5.6 virtualenv ({@code omero_venv}: omero-py in the server's,
 * omero-web in OMERO.web's) to {@code version}, or to the newest release when no version is given, as
 * the upgrade guide's {@code pip install --upgrade omero-py} does. The command is the virtualenv's own
 * pip: {@code <venv>/bin/pip install --upgrade -- <package>[==<version>]}. The result holds the version
 * before ({@code previous}, which a rollback passes back as {@code version}) and after; the task is
 * changed only when they differ.
 */
public final class OmeroVenv implements Module {

    private static final Duration TIMEOUT = Duration.ofMinutes(15);

    @Override
    public String name() {
        return "omero_venv";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("venv", "package", "version");
    }

    @Override
    public Set<String> required() {
        return Set.of("venv", "package");
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
        String venv = args.string("venv");
        String pkg = args.string("package");
        String version = args.string("version", "");
        if (!pkg.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            return new TaskResult.Failed("omero_venv: package must be a package name such as omero-py, got '" + pkg + "'");
        }
        if (!version.isEmpty() && !version.matches("[0-9][0-9A-Za-z.+!]*")) {
            return new TaskResult.Failed("omero_venv: version must be a version such as 5.19.4, got '" + version + "'");
        }
        String pip = OmeroShell.q(venv + "/bin/pip");
        String show = pip + " show " + OmeroShell.q(pkg) + " 2>/dev/null | sed -n 's/^Version: //p'";
        CommandResult before = context.connection().exec(ExecRequest.shell("[ -f " + OmeroShell.q(venv + "/pyvenv.cfg") + " ] || { echo 'no virtualenv at '"
                + OmeroShell.q(venv) + " >&2; exit 2; }; " + show));
        if (!before.succeeded()) {
            return new TaskResult.Failed("omero_venv: " + before.stderr().strip());
        }
        String previous = before.stdout().strip();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("venv", venv);
        data.put("package", pkg);
        data.put("previous", previous);
        if (context.checkMode()) {
            boolean would = version.isEmpty() || !version.equals(previous);
            data.put("version", previous);
            return new TaskResult.Ok(would, would ? "would run pip install --upgrade " + requirement(pkg, version) : "", data);
        }
        CommandResult install = context.connection().exec(ExecRequest.shell(pip + " install --upgrade -- " + OmeroShell.q(requirement(pkg, version))
                + " 2>&1; rc=$?; echo \"installed=$(" + show + ")\"; exit $rc").withTimeout(TIMEOUT));
        String out = install.stdout();
        int mark = out.lastIndexOf("installed=");
        String now = mark < 0 ? "" : out.substring(mark + "installed=".length()).strip();
        data.put("version", now);
        data.put("output", (mark < 0 ? out : out.substring(0, mark)).strip());
        if (!install.succeeded()) {
            return new TaskResult.Failed(false, "omero_venv: pip install " + requirement(pkg, version) + " failed (rc " + install.rc() + ") in " + venv,
                    data, Map.of());
        }
        return new TaskResult.Ok(!now.equals(previous), "", data);
    }

    private static String requirement(String pkg, String version) {
        return version.isEmpty() ? pkg : pkg + "==" + version;
    }
}
