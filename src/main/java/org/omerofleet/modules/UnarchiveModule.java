package org.omerofleet.modules;

import java.nio.file.Files;
import java.nio.file.Path;
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
 * Unpack a zip or a tar archive (plain, gzip, bzip2, xz) into the existing directory {@code dest}, as
 * Ansible's {@code unarchive}: {@code src} is a controller file sent to the host first, or with
 * {@code remote_src: true} a file already there; {@code creates} skips the task when that path exists.
 * The archive is listed first and refused when an entry is absolute or climbs out with {@code ..};
 * it is unpacked into a scratch directory beside {@code dest}, refused when a symbolic link points out
 * of it, and compared file by file (content, mode, links) with {@code dest}: unchanged when every entry
 * is already there, as Ansible's is; otherwise copied over {@code dest} (files not in the archive stay).
 * Check mode unpacks into the scratch directory only, to tell whether it would change anything.
 */
public final class UnarchiveModule implements Module {

    @Override
    public String name() {
        return "unarchive";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("src", "dest", "remote_src", "creates", "list_files", "keep_newer", "copy");
    }

    @Override
    public Set<String> required() {
        return Set.of("src", "dest");
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
        String dest = UnzipModule.dashSafe(args.string("dest").replaceFirst("(.)/+$", "$1"));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("dest", dest);
        if (args.has("creates")
                && context.connection().exec(ExecRequest.argv(List.of("test", "-e", args.string("creates")))).succeeded()) {
            return new TaskResult.Skipped("skipped, since " + args.string("creates") + " exists");
        }
        if (!context.connection().exec(ExecRequest.argv(List.of("test", "-d", dest))).succeeded()) {
            return new TaskResult.Failed("dest '" + dest + "' must be an existing dir", data);
        }
        boolean remote = args.bool("remote_src", false) || !args.bool("copy", true);
        CommandResult made = context.connection().exec(ExecRequest.shell("mktemp -d \"${TMPDIR:-/tmp}/fleet-unarchive.XXXXXXXX\""));
        if (!made.succeeded()) {
            return new TaskResult.Failed("unarchive: cannot make a scratch directory on the host: " + made.stderr().strip(), data);
        }
        String scratch = made.stdout().strip();
        String q = ShellQuote.quote(scratch);
        try {
            String src;
            if (remote) {
                src = UnzipModule.dashSafe(args.string("src"));
            } else {
                Path local = ControllerFiles.find(context, args.string("src"), "files");
                if (local == null) {
                    return new TaskResult.Failed("Could not find or access '" + args.string("src") + "' on the Ansible Controller.", data);
                }
                src = scratch + "/archive";
                context.connection().upload(local, src, 0600, java.util.Optional.empty());
            }
            data.put("src", src);
            return unpack(context, args, src, q, data);
        } finally {
            context.connection().exec(ExecRequest.shell("rm -rf -- " + q));
        }
    }

    private TaskResult unpack(TaskContext context, Args args, String src, String scratch, Map<String, Object> data) throws TransportException {
        String s = ShellQuote.quote(src);
        CommandResult kind = context.connection().exec(ExecRequest.shell("[ -f " + s + " ] || { echo missing; exit 0; }; "
                + "if unzip -Z1 " + s + " >/dev/null 2>&1; then echo zip; elif tar -tf " + s + " >/dev/null 2>&1; then echo tar; else echo unknown; fi"));
        String handler = kind.stdout().strip();
        if (handler.equals("missing")) {
            return new TaskResult.Failed("Source '" + src + "' does not exist", data);
        }
        if (handler.equals("unknown")) {
            return new TaskResult.Failed("Failed to find handler for \"" + src + "\". Make sure the required command to extract the file is "
                    + "installed (unzip, tar).", data);
        }
        data.put("handler", handler.equals("zip") ? "ZipArchive" : "TgzArchive");
        CommandResult listing = context.connection().exec(ExecRequest.shell(handler.equals("zip") ? "unzip -Z1 " + s : "tar -tf " + s));
        List<String> entries = listing.stdout().lines().filter(l -> !l.isEmpty()).toList();
        List<String> escaping = entries.stream().filter(e -> UnzipModule.escapes(e.startsWith("./") ? e.substring(2) : e)).toList();
        if (!escaping.isEmpty()) {
            return new TaskResult.Failed("unarchive: refusing " + src + ": entries escape the destination: " + escaping, data);
        }
        if (args.bool("list_files", false)) {
            data.put("files", entries);
        }
        String d = ShellQuote.quote(data.get("dest").toString());
        String script = "set -e; mkdir -p -- " + scratch + "/x; "
                + (handler.equals("zip") ? "unzip -q -o " + s + " -d " + scratch + "/x" : "tar -xf " + s + " -C " + scratch + "/x") + "; "
                + "cd -- " + scratch + "/x; base=$(pwd -P); "
                + "find . -type l | while IFS= read -r l; do r=$(realpath -m -- \"$l\"); "
                + "case \"$r\" in \"$base\"/*) ;; *) echo \"link escapes: $l -> $r\" >&2; exit 3;; esac; done; "
                + "find . -mindepth 1 | while IFS= read -r f; do t=" + d + "/\"$f\"; "
                + "if [ -L \"$f\" ]; then { [ -L \"$t\" ] && [ \"$(readlink -- \"$f\")\" = \"$(readlink -- \"$t\")\" ]; } || echo \"$f\"; "
                + "elif [ -d \"$f\" ]; then { [ -d \"$t\" ] && [ ! -L \"$t\" ]; } || echo \"$f\"; "
                + "else { [ -f \"$t\" ] && cmp -s -- \"$f\" \"$t\" && [ \"$(stat -c %a -- \"$f\")\" = \"$(stat -c %a -- \"$t\")\" ]; } || echo \"$f\"; fi; "
                + "done > ../differ; "
                + "if [ -s ../differ ] && [ " + (context.checkMode() ? "no" : "yes") + " = yes ]; then cp -a -- . " + d + "/; fi; "
                + "wc -l < ../differ";
        CommandResult r = context.connection().exec(ExecRequest.shell(script));
        Map<String, Object> extract = new LinkedHashMap<>();
        extract.put("rc", r.rc());
        extract.put("out", r.stdout());
        extract.put("err", r.stderr());
        data.put("extract_results", extract);
        if (!r.succeeded()) {
            return new TaskResult.Failed("unarchive: cannot unpack " + src + ": " + (r.stderr() + r.stdout()).strip(), data);
        }
        boolean changed = Long.parseLong(r.stdout().strip()) > 0;
        return new TaskResult.Ok(changed, "", data);
    }
}
