package org.omerofleet.modules;

import java.security.SecureRandom;
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
 * Unpack a zip that is already on the host into a fresh directory {@code dest}, with the host's
 * {@code unzip}. Entries with an absolute path, a {@code ..} component or a symbolic link leading out
 * are refused before anything lands. The archive is unpacked beside {@code dest} and renamed into
 * place, so {@code dest} is either absent or complete; an existing {@code dest} is left alone
 * (unchanged). With {@code strip_top_dir: true} the archive's single top-level directory becomes
 * {@code dest}, as for OMERO.server release zips.
 */
public final class UnzipModule implements Module {

    private final SecureRandom random = new SecureRandom();

    @Override
    public String name() {
        return "unzip";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("src", "dest", "strip_top_dir");
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
        // Info-ZIP's unzip reads "--" as an option of its own, and find reads a leading '-' as an expression:
        // a relative path is made to start with "./" instead
        String src = dashSafe(args.string("src"));
        String dest = dashSafe(args.string("dest").replaceFirst("/+$", ""));
        boolean stripTop = args.bool("strip_top_dir", false);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("src", src);
        data.put("dest", dest);
        CommandResult exists = context.connection().exec(ExecRequest.argv(List.of("test", "-e", dest)));
        if (exists.succeeded()) {
            return new TaskResult.Ok(false, dest + " already exists", data);
        }
        if (context.checkMode() && !context.connection().exec(ExecRequest.argv(List.of("test", "-f", src))).succeeded()) {
            // in check mode an earlier task that would have put the archive there did not run
            return new TaskResult.Ok(true, "would unpack " + src + " into " + dest + " (not on the host yet)", data);
        }
        CommandResult listing = context.connection().exec(ExecRequest.argv(List.of("unzip", "-Z1", src)));
        if (!listing.succeeded()) {
            return new TaskResult.Failed("unzip: cannot read " + src + ": " + (listing.stderr() + listing.stdout()).strip(), data);
        }
        List<String> entries = listing.stdout().lines().filter(l -> !l.isEmpty()).toList();
        List<String> escaping = new ArrayList<>();
        for (String entry : entries) {
            if (escapes(entry)) {
                escaping.add(entry);
            }
        }
        if (!escaping.isEmpty()) {
            return new TaskResult.Failed("unzip: refusing " + src + ": entries escape the destination: " + escaping, data);
        }
        String top = entries.isEmpty() ? "" : entries.get(0).split("/", 2)[0];
        boolean singleTop = !top.isEmpty() && entries.stream().allMatch(e -> e.equals(top) || e.startsWith(top + "/"));
        if (stripTop && !singleTop) {
            return new TaskResult.Failed("unzip: strip_top_dir needs one top-level directory in " + src, data);
        }
        data.put("entries", entries.size());
        if (context.checkMode()) {
            return new TaskResult.Ok(true, "would unpack " + entries.size() + " entries into " + dest, data);
        }
        String work = dest + ".part-" + Long.toHexString(random.nextLong());
        String q = ShellQuote.quote(work);
        String unpacked = stripTop ? ShellQuote.quote(work + "/" + top) : q;
        String script = "set -e; mkdir -- " + q + "; unzip -q " + ShellQuote.quote(src) + " -d " + q + "; "
                // a symlink whose target resolves outside the unpacked tree would let a later write escape
                + "base=$(cd -P -- " + q + " && pwd); "
                + "find " + q + " -type l | while IFS= read -r l; do r=$(realpath -m -- \"$l\"); "
                + "case \"$r\" in \"$base\"/*) ;; *) echo \"link escapes: $l -> $r\" >&2; exit 3;; esac; done; "
                + "mv -T -- " + unpacked + " " + ShellQuote.quote(dest) + "; rm -rf -- " + q;
        CommandResult r = context.connection().exec(ExecRequest.shell(script));
        if (!r.succeeded()) {
            context.connection().exec(ExecRequest.argv(List.of("rm", "-rf", "--", work)));
            return new TaskResult.Failed("unzip: " + (r.stderr() + r.stdout()).strip(), data);
        }
        return new TaskResult.Ok(true, "", data);
    }

    static String dashSafe(String path) {
        return path.startsWith("-") ? "./" + path : path;
    }

    static boolean escapes(String entry) {
        if (entry.startsWith("/") || entry.startsWith("\\")) {
            return true;
        }
        for (String part : entry.split("[/\\\\]")) {
            if (part.equals("..")) {
                return true;
            }
        }
        return false;
    }
}
