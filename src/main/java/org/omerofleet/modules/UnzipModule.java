package org.omerofleet.modules;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 *
 * <p>Zip bombs are refused from the archive's listing, before anything is extracted (reliability.md IN-08):
 * more than {@code max_entries} entries, more than {@code max_total_size} bytes unpacked, or an entry of
 * over 1 MiB unpacked that is compressed more than {@code max_ratio} to 1. The defaults are far above an
 * OMERO.server release (100-300 MB zipped, a few thousand entries, mostly jars that barely compress and
 * text at under 10:1), and far below what a bomb needs (deflate reaches about 1030:1).
 */
public final class UnzipModule implements Module {

    /** Default {@code max_total_size}: 20 GiB, some 40 times an unpacked OMERO.server. */
    static final long MAX_TOTAL_SIZE = 20L * 1024 * 1024 * 1024;
    /** Default {@code max_entries}: some 50 times the entries of an OMERO.server release. */
    static final long MAX_ENTRIES = 200_000;
    /** Default {@code max_ratio}: unpacked to compressed size of one entry. */
    static final long MAX_RATIO = 200;
    /** Entries up to this size unpacked are not held to the ratio: a small entry of zeros is no bomb. */
    static final long RATIO_FLOOR = 1024 * 1024;
    /** One line of {@code unzip -Zl}: permissions, version, OS, size, type, compressed size, method, date, time, name. */
    private static final Pattern LONG_LISTING = Pattern.compile("^\\S+\\s+\\S+\\s+\\S+\\s+(\\d+)\\s+\\S+\\s+(\\d+)\\s+\\S+\\s+\\S+\\s+\\S+ (.*)$");

    private final SecureRandom random = new SecureRandom();

    @Override
    public String name() {
        return "unzip";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("src", "dest", "strip_top_dir", "max_total_size", "max_entries", "max_ratio");
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
        Limits limits = new Limits(args.bytes("max_total_size", MAX_TOTAL_SIZE), args.number("max_entries", MAX_ENTRIES),
                args.number("max_ratio", MAX_RATIO));
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
        if (entries.size() > limits.entries()) {
            return new TaskResult.Failed("unzip: refusing " + src + ": " + entries.size() + " entries, over max_entries "
                    + limits.entries() + " (zip bomb?); raise max_entries for an archive you trust", data);
        }
        CommandResult sizes = context.connection().exec(ExecRequest.argv(List.of("unzip", "-Zl", src)));
        if (!sizes.succeeded()) {
            return new TaskResult.Failed("unzip: cannot list the sizes in " + src + ": " + (sizes.stderr() + sizes.stdout()).strip(), data);
        }
        Optional<String> tooBig = limits.refusal(sizes.stdout(), entries.size());
        if (tooBig.isPresent()) {
            return new TaskResult.Failed("unzip: refusing " + src + ": " + tooBig.get(), data);
        }
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

    /** The bomb limits of one task. */
    record Limits(long totalSize, long entries, long ratio) {

        /**
         * {@return why the archive listed by {@code unzip -Zl} is refused, if it is} Every one of the
         * {@code expected} entries must have its sizes listed: an entry the listing hides is not waved through.
         */
        Optional<String> refusal(String longListing, int expected) {
            long total = 0;
            int listed = 0;
            for (String line : longListing.lines().toList()) {
                Matcher m = LONG_LISTING.matcher(line);
                if (!m.matches()) {
                    continue;
                }
                listed++;
                long size = parse(m.group(1));
                long compressed = parse(m.group(2));
                total = size > Long.MAX_VALUE - total ? Long.MAX_VALUE : total + size;
                if (size > RATIO_FLOOR && (compressed == 0 || (double) size / compressed > ratio)) {
                    return Optional.of("entry '" + m.group(3) + "' unpacks to " + size + " bytes from " + compressed
                            + " (" + (compressed == 0 ? "unbounded" : size / compressed + ":1") + "), over max_ratio " + ratio
                            + ":1 (zip bomb?); raise max_ratio for an archive you trust");
                }
            }
            if (listed != expected) {
                return Optional.of("the listing gives sizes for " + listed + " of " + expected + " entries");
            }
            if (total > totalSize) {
                return Optional.of("it unpacks to " + total + " bytes, over max_total_size " + totalSize
                        + " (zip bomb?); raise max_total_size for an archive you trust");
            }
            return Optional.empty();
        }

        private static long parse(String digits) {
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException e) {
                return Long.MAX_VALUE;
            }
        }
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
