package org.omerofleet.modules.omero;

import java.util.LinkedHashMap;
import java.util.List;
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
 * Find local changes to the server scripts in {@code lib/scripts} of the old install ({@code from}),
 * a git checkout in real releases, and report them; with {@code carry: true}, copy the added and
 * modified files into the new install ({@code to}) where the new release does not have a file of that
 * name already (those are listed as conflicts to merge by hand, never overwritten).
 */
public final class OmeroScripts implements Module {

    @Override
    public String name() {
        return "omero_scripts";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("from", "to", "carry");
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
        String from = OmeroShell.q(args.string("from") + "/lib/scripts");
        CommandResult status = context.connection().exec(ExecRequest.shell("[ -d " + from + "/.git ] || [ -f " + from + "/.git ] || { echo nogit; exit 0; }; "
                + "git -C " + from + " status --porcelain -z --untracked-files=all"));
        Map<String, Object> data = new LinkedHashMap<>();
        if (!status.succeeded()) {
            return new TaskResult.Failed("omero_scripts: git status failed: " + status.stderr().strip());
        }
        if (status.stdout().strip().equals("nogit")) {
            data.put("local_changes", List.of());
            return new TaskResult.Ok(false, "lib/scripts is not a git checkout; nothing to compare", data);
        }
        List<String> changed = changedFiles(status.stdout());
        data.put("local_changes", changed);
        if (changed.isEmpty() || !args.bool("carry", false)) {
            return new TaskResult.Ok(false, changed.isEmpty() ? "" : "local changes in lib/scripts: " + changed, data);
        }
        if (context.checkMode()) {
            return new TaskResult.Ok(true, "would carry " + changed.size() + " script(s) over", data);
        }
        String to = OmeroShell.q(args.string("to") + "/lib/scripts");
        StringBuilder script = new StringBuilder("set -e; ");
        for (String file : changed) {
            String f = OmeroShell.q(file);
            script.append("if [ -e ").append(to).append('/').append(f).append(" ]; then echo \"conflict=\"").append(f)
                    .append("; else mkdir -p -- \"$(dirname -- ").append(to).append('/').append(f).append(")\"; cp -p -- ")
                    .append(from).append('/').append(f).append(' ').append(to).append('/').append(f).append("; echo \"carried=\"").append(f).append("; fi; ");
        }
        CommandResult copy = context.connection().exec(ExecRequest.shell(script.toString()));
        if (!copy.succeeded()) {
            return new TaskResult.Failed(true, "omero_scripts: " + copy.stderr().strip(), data, Map.of());
        }
        data.put("carried", copy.stdout().lines().filter(l -> l.startsWith("carried=")).map(l -> l.substring(8)).toList());
        data.put("conflicts", copy.stdout().lines().filter(l -> l.startsWith("conflict=")).map(l -> l.substring(9)).toList());
        return new TaskResult.Ok(true, "", data);
    }

    /**
     * {@return the added or modified paths in {@code git status --porcelain -z} output} NUL-separated
     * records are never quoted; a rename or copy record is followed by its old path, which is skipped.
     */
    static List<String> changedFiles(String porcelainZ) {
        List<String> files = new java.util.ArrayList<>();
        String[] records = porcelainZ.split("\0");
        for (int i = 0; i < records.length; i++) {
            String r = records[i];
            if (r.length() < 4) {
                continue;
            }
            char index = r.charAt(0);
            char tree = r.charAt(1);
            if (index == 'R' || index == 'C') {
                i++; // the old path
            }
            if (index != 'D' && tree != 'D') {
                files.add(r.substring(3));
            }
        }
        return List.copyOf(files);
    }
}
