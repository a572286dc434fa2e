package org.omerofleet.modules.omero;

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
 * Point the stable server path ({@code link}, e.g. {@code OMERO.server}) at a release directory
 * ({@code target}) by an atomic symlink swap. The old install is never touched: when {@code link} is
 * still a real directory (a 4.x install unpacked in place), it is first renamed to {@code keep_as}
 * (default {@code <link>-old}, the name the upgrade guide uses). The result's {@code previous} is
 * where the link pointed before, so a rescue can switch back with the same module.
 */
public final class OmeroLink implements Module {

    @Override
    public String name() {
        return "omero_link";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("link", "target", "keep_as");
    }

    @Override
    public Set<String> required() {
        return Set.of("link", "target");
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
        String link = args.string("link").replaceFirst("/+$", "");
        String l = OmeroShell.q(link);
        String t = OmeroShell.q(args.string("target"));
        String keep = OmeroShell.q(args.string("keep_as", link + "-old"));
        String probe = "[ -d " + t + " ] || { echo \"no release directory at \"" + t + " >&2; exit 2; }; "
                + "want=$(cd -- " + t + " && pwd -P); "
                + "if [ -L " + l + " ]; then echo \"kind=link\"; echo \"previous=$(cd -P -- " + l + " 2>/dev/null && pwd -P)\"; "
                + "elif [ -d " + l + " ]; then echo \"kind=dir\"; echo \"previous=$(cd -P -- " + l + " && pwd -P)\"; else echo kind=none; fi; "
                + "echo \"want=$want\"; "
                // what this step switched away from, should it already have switched before the controller stopped
                + "if [ -f " + OmeroShell.q(link + ".fleet-previous") + " ]; then sed -n 's/^/recorded_/p' " + OmeroShell.q(link + ".fleet-previous") + "; fi";
        CommandResult state = context.connection().exec(ExecRequest.shell(probe));
        if (state.rc() == 2 && context.checkMode()) {
            return new TaskResult.Ok(true, "would point " + link + " at " + args.string("target") + " (not unpacked yet)",
                    Map.of("previous", "", "target", args.string("target")));
        }
        if (!state.succeeded()) {
            return new TaskResult.Failed("omero_link: " + state.stderr().strip());
        }
        Map<String, String> values = OmeroFacts.keyValues(state.stdout());
        Map<String, Object> data = new LinkedHashMap<>();
        String kind = values.get("kind");
        data.put("previous", values.getOrDefault("previous", ""));
        data.put("target", values.get("want"));
        if (kind.equals("link") && values.get("want").equals(values.get("previous"))) {
            if (context.stepKey().equals(values.get("recorded_step"))) {
                // this very step switched the link before a resume: report what it switched away from
                data.put("previous", values.getOrDefault("recorded_previous", ""));
                return new TaskResult.Ok(true, "", data);
            }
            return new TaskResult.Ok(false, "", data);
        }
        if (context.checkMode()) {
            return new TaskResult.Ok(true, "would point " + link + " at " + values.get("want"), data);
        }
        if (kind.equals("none") && context.stepKey().equals(values.get("recorded_step"))) {
            // this very step moved a real install aside and stopped before the new link was made
            data.put("previous", values.getOrDefault("recorded_previous", ""));
        }
        if (kind.equals("dir")) {
            data.put("previous", args.string("keep_as", link + "-old"));
            data.put("kept_as", args.string("keep_as", link + "-old"));
        }
        // written first, so that a repeat of this step after the controller stopped knows what it switched away from
        StringBuilder script = new StringBuilder("set -e; printf 'step=%s\\nprevious=%s\\n' ").append(OmeroShell.q(context.stepKey()))
                .append(' ').append(OmeroShell.q(String.valueOf(data.get("previous")))).append(" > ")
                .append(OmeroShell.q(link + ".fleet-previous")).append("; ");
        if (kind.equals("dir")) {
            script.append("[ ! -e ").append(keep).append(" ] || { echo \"cannot keep the old install: \"").append(keep)
                    .append("\" already exists\" >&2; exit 3; }; mv -- ").append(l).append(' ').append(keep).append("; ");
        }
        script.append("ln -sfn -- ").append(OmeroShell.q(values.get("want"))).append(' ').append(OmeroShell.q(link + ".fleet-new"))
                .append("; mv -fT -- ").append(OmeroShell.q(link + ".fleet-new")).append(' ').append(l);
        CommandResult r = context.connection().exec(ExecRequest.shell(script.toString()));
        if (!r.succeeded()) {
            return new TaskResult.Failed(kind.equals("dir"), "omero_link: " + r.stderr().strip(), data, Map.of());
        }
        return new TaskResult.Ok(true, "", data);
    }
}
