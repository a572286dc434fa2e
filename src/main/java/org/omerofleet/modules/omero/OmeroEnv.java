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
    public TaskResult run(TaskContext context, Args args) throws TransportException {
        String dir = args.string("server_dir");
        String layout = args.string("layout", "V4");
        String d = OmeroShell.q(dir);
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
        String script = "touch -- " + f + " && awk -v b=" + OmeroShell.q(BEGIN) + " -v e=" + OmeroShell.q(END)
                + " '$0 == b {skip=1; next} skip && $0 == e {skip=0; next} !skip {print}' " + f + " > " + f + ".fleet-new && "
                + "printf '%s\\n' " + OmeroShell.q(block) + " >> " + f + ".fleet-new && "
                + "if cmp -s -- " + f + " " + f + ".fleet-new; then rm -f -- " + f + ".fleet-new; echo same; "
                + (context.checkMode() ? "else rm -f -- " + f + ".fleet-new; echo differs; fi"
                        : "else chmod --reference=" + f + " -- " + f + ".fleet-new; mv -f -- " + f + ".fleet-new " + f + "; echo written; fi");
        CommandResult r = context.connection().exec(ExecRequest.shell(script));
        if (!r.succeeded()) {
            return new TaskResult.Failed("omero_env: " + r.stderr().strip());
        }
        boolean changed = !r.stdout().strip().equals("same");
        return new TaskResult.Ok(changed, "", Map.of("file", args.string("file")));
    }
}
