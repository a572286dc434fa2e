package org.omerofleet.modules.omero;

import java.nio.charset.StandardCharsets;
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
 * Make a new OMERO 5.6 release run its command line from a Python 3 virtualenv with omero-py, as the OME
 * role sets a host up ({@code omero_venv_setup}): on a 5.4 or 5.5 host going to 5.6 the new release's own
 * {@code bin/omero} needs omero-py, which such a host does not have.
 *
 * <ol>
 * <li>the virtualenv {@code venv} is created with {@code python3 -m venv} when it is missing and
 * {@code create} is true (else the task fails, changing nothing);</li>
 * <li>omero-py is installed in it with its own pip ({@code pip install -- omero-py[==version]}) when it
 * has none, or another version than {@code version};</li>
 * <li>{@code <release_dir>/bin/omero} becomes a wrapper, as the role's: {@code OMERODIR} defaults to the
 * server path {@code server_dir} (the symlink, so it follows the upgrade), the virtualenv's {@code bin}
 * goes first on PATH, and the virtualenv's {@code omero} runs;</li>
 * <li>the wrapper is tried: {@code bin/omero version} must print the omero-py version, and
 * {@code bin/omero config get} must succeed with {@code OMERODIR} the new release.</li>
 * </ol>
 * Each step is skipped when already so: a second run changes nothing. It runs while the old server is
 * still up: nothing the old release uses is touched. In check mode it says what it would do.
 * The result holds {@code venv}, {@code created}, {@code omero_py} and {@code previous_omero_py}.
 */
public final class OmeroVenvSetup implements Module {

    private static final Duration TIMEOUT = Duration.ofMinutes(15);

    @Override
    public String name() {
        return "omero_venv_setup";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("venv", "release_dir", "server_dir", "create", "version");
    }

    @Override
    public Set<String> required() {
        return Set.of("venv", "release_dir", "server_dir");
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
        String version = args.string("version", "");
        if (!version.isEmpty() && !version.matches("[0-9][0-9A-Za-z.+!]*")) {
            return new TaskResult.Failed("omero_venv_setup: version must be a version such as 5.19.4, got '" + version + "'");
        }
        Map<String, String> state = OmeroFacts.keyValues(context.connection().exec(ExecRequest.shell(probe(args))).stdout());
        String venv = state.getOrDefault("venv", "");
        String releaseDir = state.getOrDefault("release_dir", "");
        // in check mode the release is not unpacked: its bin/omero would be written
        if (venv.isEmpty() || !context.checkMode() && (releaseDir.isEmpty() || state.getOrDefault("server", "").isEmpty())) {
            return new TaskResult.Failed("omero_venv_setup: no new release at " + args.string("release_dir") + " or no server path " + args.string("server_dir"));
        }
        boolean exists = state.getOrDefault("exists", "").equals("yes");
        String previous = state.getOrDefault("omero_py", "");
        boolean create = args.bool("create", false);
        if (!exists && !create) {
            return new TaskResult.Failed("omero_venv_setup: no Python 3 virtualenv at " + venv + " (set omero_venv_create: true to create it)");
        }
        boolean install = previous.isEmpty() || !version.isEmpty() && !version.equals(previous);
        String wrapper = wrapper(venv, state.get("server"));
        boolean rewrite = !wrapper.equals(unhex(state.getOrDefault("current_hex", "")));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("venv", venv);
        data.put("created", !exists);
        data.put("previous_omero_py", previous);
        if (context.checkMode()) {
            data.put("omero_py", previous);
            return new TaskResult.Ok(!exists || install || rewrite, plan(exists, install, rewrite, venv, requirement(version)), data);
        }
        StringBuilder out = new StringBuilder();
        if (!exists) {
            CommandResult made = context.connection().exec(ExecRequest.shell("python3 -m venv " + OmeroShell.q(venv) + " 2>&1").withTimeout(TIMEOUT));
            out.append(made.stdout());
            if (!made.succeeded()) {
                return failed("python3 -m venv " + venv + " failed (rc " + made.rc() + "): " + made.stdout().strip(), data, out);
            }
        }
        if (install) {
            CommandResult pip = context.connection().exec(ExecRequest.shell(OmeroShell.q(venv + "/bin/pip") + " install --upgrade -- "
                    + OmeroShell.q(requirement(version)) + " 2>&1").withTimeout(TIMEOUT));
            out.append(pip.stdout());
            if (!pip.succeeded()) {
                return failed("pip install " + requirement(version) + " failed (rc " + pip.rc() + ") in " + venv, data, out);
            }
        }
        CommandResult written = context.connection().exec(ExecRequest.shell(writeAndTry(releaseDir, venv)).withStdin(wrapper.getBytes(StandardCharsets.UTF_8)));
        Map<String, String> tried = OmeroFacts.keyValues(written.stdout());
        String now = tried.getOrDefault("omero_py", "");
        data.put("omero_py", now);
        out.append(written.stderr());
        if (!written.succeeded() || now.isEmpty() || !now.equals(tried.getOrDefault("runs", ""))) {
            return failed("the new release's bin/omero does not run omero-py from " + venv + " (rc " + written.rc() + "): " + written.stderr().strip(), data, out);
        }
        data.put("output", out.toString().strip());
        return new TaskResult.Ok(!exists || install || rewrite, "", data);
    }

    /** What the host has now: the virtualenv's absolute path, whether it exists, its omero-py, the release's bin/omero in hex. */
    private static String probe(Args args) {
        String venv = OmeroShell.q(args.string("venv"));
        String server = OmeroShell.q(args.string("server_dir"));
        return "v=" + venv + "; case $v in /*) ;; *) v=$(pwd)/$v ;; esac; echo \"venv=$v\"; "
                + "if [ -f \"$v/pyvenv.cfg\" ]; then echo exists=yes; echo \"omero_py=$(\"$v/bin/pip\" show omero-py 2>/dev/null | sed -n 's/^Version: //p')\"; fi; "
                + "s=" + server + "; echo \"server=$(cd -- \"$(dirname -- \"$s\")\" 2>/dev/null && pwd)/$(basename -- \"$s\")\"; "
                + "r=$(cd -P -- " + OmeroShell.q(args.string("release_dir")) + " 2>/dev/null && pwd -P) && [ -f \"$r/bin/omero\" ] && { echo \"release_dir=$r\"; "
                + "printf 'current_hex=%s\\n' \"$(head -c 4096 \"$r/bin/omero\" | od -An -v -tx1 | tr -d ' \\n')\"; }; true";
    }

    /** Write the wrapper from standard input (atomically, executable), then run it twice, as the upgrade will. */
    private static String writeAndTry(String releaseDir, String venv) {
        String omero = OmeroShell.q(releaseDir + "/bin/omero");
        return "cat > " + omero + ".fleet-tmp && chmod 755 " + omero + ".fleet-tmp && mv -f " + omero + ".fleet-tmp " + omero + " || exit 1; "
                + "echo \"omero_py=$(" + OmeroShell.q(venv + "/bin/pip") + " show omero-py 2>/dev/null | sed -n 's/^Version: //p')\"; "
                + "echo \"runs=$(" + omero + " version | head -n 1)\"; OMERODIR=" + OmeroShell.q(releaseDir) + " " + omero + " config get >/dev/null";
    }

    /** {@return the release's bin/omero as the OME role's template has it, in sh: OMERODIR defaults to the server path, the venv first on PATH} */
    static String wrapper(String venv, String serverPath) {
        return "#!/bin/sh\n# OMERO 5.6 command line (written by omero-fleet, as the OME server role does): omero-py's omero from the\n"
                + "# Python 3 virtualenv below, with OMERODIR the server path unless set\n"
                + "[ -n \"${OMERODIR-}\" ] || OMERODIR=" + OmeroShell.q(serverPath) + "\nexport OMERODIR\n"
                + "PATH=" + OmeroShell.q(venv + "/bin") + ":\"$PATH\"\nexport PATH\n"
                + "exec " + OmeroShell.q(venv + "/bin/omero") + " \"$@\"\n";
    }

    private static String plan(boolean exists, boolean install, boolean rewrite, String venv, String requirement) {
        StringBuilder text = new StringBuilder();
        if (!exists) {
            text.append("would run python3 -m venv ").append(venv).append("; ");
        }
        if (install) {
            text.append("would run pip install ").append(requirement).append("; ");
        }
        if (rewrite) {
            text.append("would make bin/omero run ").append(venv).append("/bin/omero");
        }
        return text.toString().replaceFirst("; $", "");
    }

    private static String requirement(String version) {
        return version.isEmpty() ? "omero-py" : "omero-py==" + version;
    }

    private static TaskResult failed(String message, Map<String, Object> data, StringBuilder output) {
        data.put("output", output.toString().strip());
        return new TaskResult.Failed(false, "omero_venv_setup: " + message, data, Map.of());
    }

    private static String unhex(String hex) {
        if (hex.length() % 2 != 0) {
            return "";
        }
        byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
