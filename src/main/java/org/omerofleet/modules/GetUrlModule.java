package org.omerofleet.modules;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.ShellQuote;
import org.omerofleet.transport.TransportException;

/**
 * Download a URL on the host to {@code dest}, as Ansible's {@code get_url}, with the host's
 * {@code curl}: an existing {@code dest} is left alone unless {@code force: true}, or unless its
 * {@code checksum} ({@code sha256:<hex>}, also sha1, sha224, sha384, sha512, md5) differs; the download
 * lands in a temporary file beside {@code dest}, must match {@code checksum}, and replaces {@code dest}
 * only when its content differs (changed only then). {@code headers}, {@code timeout},
 * {@code validate_certs}, {@code mode}, {@code owner}, {@code group}, {@code backup}. Check mode says
 * whether it would download, without downloading.
 */
public final class GetUrlModule implements Module {

    private static final Set<String> ALGORITHMS = Set.of("md5", "sha1", "sha224", "sha256", "sha384", "sha512");

    @Override
    public String name() {
        return "get_url";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("url", "dest", "checksum", "force", "headers", "timeout", "validate_certs", "mode", "owner", "group", "backup",
                "tmp_dest", "use_proxy");
    }

    @Override
    public Set<String> required() {
        return Set.of("url", "dest");
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
        String url = args.string("url");
        String dest = args.string("dest");
        String algorithm = "";
        String expected = "";
        if (args.has("checksum") && !args.string("checksum").isBlank()) {
            String[] parts = args.string("checksum").split(":", 2);
            algorithm = parts[0].toLowerCase(Locale.ROOT);
            expected = parts.length == 2 ? parts[1].strip().toLowerCase(Locale.ROOT) : "";
            if (!ALGORITHMS.contains(algorithm) || !expected.matches("[0-9a-f]+")) {
                return new TaskResult.Failed("The checksum parameter has to be in format <algorithm>:<checksum>, with algorithm one of "
                        + new java.util.TreeSet<>(ALGORITHMS));
            }
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("url", url);
        data.put("dest", dest);
        String sum = algorithm.isEmpty() ? "sha1sum" : algorithm + "sum";
        CommandResult existing = context.connection().exec(ExecRequest.shell("d=" + ShellQuote.quote(dest)
                + "; if [ -d \"$d\" ]; then echo directory; elif [ -f \"$d\" ]; then " + sum + " < \"$d\" | cut -d' ' -f1; else echo absent; fi"));
        String there = existing.stdout().strip();
        boolean force = args.bool("force", false);
        if (there.equals("directory")) {
            dest = dest.replaceFirst("/+$", "") + "/" + url.replaceFirst("[?#].*$", "").replaceFirst("^.*/", "");
            data.put("dest", dest);
            force = true;
        } else if (!there.equals("absent") && !force && (expected.isEmpty() || expected.equals(there))) {
            boolean attributes = HostFile.applyAttributes(context, dest, HostFile.Attributes.of(args));
            data.put("msg", "file already exists");
            return new TaskResult.Ok(attributes, "file already exists", data);
        }
        if (context.checkMode()) {
            data.put("msg", "file would be downloaded");
            return new TaskResult.Ok(true, "file would be downloaded", data);
        }
        return download(context, args, new Fetch(url, dest, algorithm, expected), data);
    }

    /** What to fetch and where to, with the checksum it must have ({@code algorithm} empty: none given). */
    private record Fetch(String url, String dest, String algorithm, String expected) {
    }

    private static TaskResult download(TaskContext context, Args args, Fetch fetch, Map<String, Object> data) throws TransportException {
        String url = fetch.url();
        String dest = fetch.dest();
        String algorithm = fetch.algorithm();
        String expected = fetch.expected();
        StringBuilder curl = new StringBuilder("curl -sS -f -L --max-time " + args.number("timeout", 10));
        if (!args.bool("validate_certs", true)) {
            curl.append(" -k");
        }
        Object headers = args.asMap().get("headers");
        if (headers instanceof Map) {
            for (Map.Entry<?, ?> h : ((Map<?, ?>) headers).entrySet()) {
                curl.append(" -H ").append(ShellQuote.quote(h.getKey() + ": " + h.getValue()));
            }
        }
        String sum = algorithm.isEmpty() ? "sha1sum" : algorithm + "sum";
        String script = "d=" + ShellQuote.quote(dest) + "; t=$(mktemp \"$(dirname -- \"$d\")/.fleet-get_url.XXXXXXXX\") || exit 1; "
                + "trap 'rm -f -- \"$t\"' EXIT; " + curl + " -o \"$t\" -- " + ShellQuote.quote(url) + " || exit 90; "
                + "new=$(" + sum + " < \"$t\" | cut -d' ' -f1); echo \"$new\"; wc -c < \"$t\"; "
                + (expected.isEmpty() ? "" : "[ \"$new\" = " + ShellQuote.quote(expected) + " ] || exit 91; ")
                + "if [ -f \"$d\" ] && [ \"$(" + sum + " < \"$d\" | cut -d' ' -f1)\" = \"$new\" ]; then echo same; exit 0; fi; "
                + (args.bool("backup", false) ? "if [ -f \"$d\" ]; then b=\"$d.$$.$(date +%Y-%m-%d@%H:%M:%S)~\"; cp -p -- \"$d\" \"$b\"; echo \"backup $b\"; fi; " : "")
                + "if [ -e \"$d\" ]; then chmod --reference=\"$d\" -- \"$t\"; else chmod \"$(printf %o $(( 0666 & ~$(umask) )))\" -- \"$t\"; fi; "
                + "mv -f -- \"$t\" \"$d\" && trap - EXIT && echo replaced";
        CommandResult r = context.connection().exec(ExecRequest.shell(script).withTimeout(Duration.ofSeconds(args.number("timeout", 10) + 120)));
        List<String> out = r.stdout().lines().toList();
        if (r.rc() == 90) {
            data.put("msg", "Request failed: " + r.stderr().strip());
            return new TaskResult.Failed("Request failed: " + r.stderr().strip(), data);
        }
        if (r.rc() == 91) {
            String msg = "The checksum for " + dest + " did not match " + expected + "; it was " + out.get(0) + ".";
            // Ansible reports this failure as changed (it downloaded), and counts it so
            return new TaskResult.Failed(true, msg, data, Map.of());
        }
        if (!r.succeeded()) {
            return new TaskResult.Failed("get_url: " + (r.stderr() + r.stdout()).strip(), data);
        }
        data.put("checksum_src", out.get(0));
        data.put("size", Long.parseLong(out.get(1).strip()));
        out.stream().filter(l -> l.startsWith("backup ")).findFirst().ifPresent(l -> data.put("backup_file", l.substring(7)));
        boolean changed = out.get(out.size() - 1).equals("replaced");
        boolean attributes = HostFile.applyAttributes(context, dest, HostFile.Attributes.of(args));
        data.put("msg", "OK (" + out.get(1).strip() + " bytes)");
        return new TaskResult.Ok(changed || attributes, "", data);
    }
}
