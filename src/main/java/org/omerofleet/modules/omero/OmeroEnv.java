package org.omerofleet.modules.omero;

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
 * Keep the OMERO environment in a profile file ({@code file}, e.g. {@code .bashrc} or
 * {@code /etc/profile.d/omero.sh}) as one block between markers that is replaced, never appended
 * twice: PATH and PYTHONPATH (and OMERO_HOME) for the 4.x layout, PATH and OMERODIR (with OMERO_HOME
 * unset) for 5.x. Pointing it at the stable {@code OMERO.server} link means later upgrades leave it
 * unchanged.
 */
public final class OmeroEnv implements Module {

    private static final String BEGIN = "# BEGIN omero-fleet: OMERO.server environment";
    private static final String END = "# END omero-fleet";

    @Override
    public String name() {
        return "omero_env";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("file", "server_dir", "layout");
    }

    @Override
    public Set<String> required() {
        return Set.of("file", "server_dir");
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
        String dir = args.string("server_dir");
        String layout = args.string("layout", "V4");
        // playbook paths are relative to the login directory; the profile is read from anywhere, so say $HOME
        String d = dir.startsWith("/") ? OmeroShell.q(dir) : "\"$HOME\"/" + OmeroShell.q(dir);
        String block;
        if (layout.equals("V5")) {
            block = BEGIN + "\nexport OMERODIR=" + d + "\nunset OMERO_HOME\nexport PATH=" + d + "/bin:\"$PATH\"\n" + END;
        } else if (layout.equals("V4")) {
            block = BEGIN + "\nexport OMERO_HOME=" + d + "\nexport PATH=" + d + "/bin:\"$PATH\"\nexport PYTHONPATH=" + d
                    + "/lib/python:\"$PYTHONPATH\"\n" + END;
        } else {
            return new TaskResult.Failed("omero_env: layout must be V4 or V5, got '" + layout + "'");
        }
        String f = OmeroShell.q(args.string("file"));
        String strip = "awk -v b=" + OmeroShell.q(BEGIN) + " -v e=" + OmeroShell.q(END)
                + " '$0 == b {skip=1; next} skip && $0 == e {skip=0; next} !skip {print}' " + f;
        String script = "cur=$(cat -- " + f + " 2>/dev/null); new=$({ if [ -f " + f + " ]; then " + strip + "; fi; printf '%s\\n' "
                + OmeroShell.q(block) + "; }); if [ \"$cur\" = \"$new\" ]; then echo same; "
                + (context.checkMode() ? "else echo differs; fi"
                        : "else printf '%s\\n' \"$new\" > " + f + ".fleet-new && if [ -f " + f + " ]; then chmod --reference=" + f + " -- " + f
                          + ".fleet-new; fi && mv -f -- " + f + ".fleet-new " + f + " && echo written; fi");
        CommandResult r = context.connection().exec(ExecRequest.shell(script));
        if (!r.succeeded()) {
            return new TaskResult.Failed("omero_env: " + r.stderr().strip());
        }
        boolean changed = !r.stdout().strip().equals("same");
        return new TaskResult.Ok(changed, "", Map.of("file", args.string("file")));
    }
}
