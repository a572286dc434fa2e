package org.omerofleet.modules.omero;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.omerofleet.modules.Args;
import org.omerofleet.modules.Module;
import org.omerofleet.modules.TaskContext;
import org.omerofleet.modules.TextDiff;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.TransportException;

/**
 * Carry {@code etc/grid/config.xml} from the old install ({@code from}) to the new one ({@code to})
 * byte for byte with its mode, through a temporary name, and check both SHA-256 sums match. With
 * {@code web_config: nginx|apache} it also regenerates the web server stanza from the new release
 * into {@code web_config_dest}.
 */
public final class OmeroConfig implements Module {

    @Override
    public String name() {
        return "omero_config";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("from", "to", "web_config", "web_config_dest");
    }

    @Override
    public Set<String> required() {
        return Set.of("from", "to");
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
        String src = OmeroShell.q(args.string("from") + "/etc/grid/config.xml");
        String dst = OmeroShell.q(args.string("to") + "/etc/grid/config.xml");
        CommandResult same = context.connection().exec(ExecRequest.shell("[ -f " + src + " ] || { echo \"no config.xml at \"" + src
                + " >&2; exit 9; }; if cmp -s -- " + src + " " + dst + " && [ \"$(stat -c %a -- " + src + ")\" = \"$(stat -c %a -- " + dst
                + ")\" ]; then echo same; else echo differs; fi"));
        if (!same.succeeded()) {
            return new TaskResult.Failed("omero_config: " + same.stderr().strip());
        }
        Map<String, Object> data = new LinkedHashMap<>();
        boolean changed = !same.stdout().strip().equals("same");
        if (changed && context.diffMode()) {
            // what the new release's config.xml becomes: the old install's settings
            TextDiff.onHost(context, args.string("to") + "/etc/grid/config.xml", args.string("from") + "/etc/grid/config.xml")
                    .ifPresent(d -> data.put("diff", d));
        }
        if (changed && context.checkMode()) {
            return new TaskResult.Ok(true, "would carry config.xml over", data);
        }
        if (changed) {
            CommandResult copy = context.connection().exec(ExecRequest.shell("set -e; cp -p -- " + src + " " + dst + ".part; mv -f -- " + dst + ".part " + dst
                    + "; a=$(sha256sum -- " + src + " | cut -d' ' -f1); b=$(sha256sum -- " + dst + " | cut -d' ' -f1); "
                    + "[ \"$a\" = \"$b\" ] || { echo 'config.xml differs after copying' >&2; exit 3; }; echo \"$a\""));
            if (!copy.succeeded()) {
                return new TaskResult.Failed(true, "omero_config: " + copy.stderr().strip(), data, Map.of());
            }
            data.put("sha256", copy.stdout().strip());
        }
        if (args.has("web_config") && !context.checkMode()) {
            String kind = args.string("web_config");
            if (!kind.equals("nginx") && !kind.equals("apache")) {
                return new TaskResult.Failed("omero_config: web_config must be nginx or apache, got '" + kind + "'");
            }
            String dest = OmeroShell.q(args.string("web_config_dest", "omero-web-" + kind + ".conf"));
            CommandResult web = context.connection().exec(ExecRequest.shell("new=$(cd -- " + OmeroShell.q(args.string("to"))
                    + " && OMERODIR=$(pwd) && export OMERODIR && bin/omero web config " + kind + ") || exit 4; "
                    + "if [ -f " + dest + " ] && [ \"$(cat -- " + dest + ")\" = \"$new\" ]; then echo same; else printf '%s\\n' \"$new\" > " + dest + "; echo written; fi"));
            if (!web.succeeded()) {
                return new TaskResult.Failed(changed, "omero_config: bin/omero web config " + kind + " failed: " + web.stderr().strip(), data, Map.of());
            }
            changed |= web.stdout().strip().equals("written");
        }
        return new TaskResult.Ok(changed, "", data);
    }
}
