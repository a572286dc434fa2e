package org.omerofleet.modules;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.ShellQuote;
import org.omerofleet.transport.TransportException;

/**
 * Report on a path: {@code stat.exists}, {@code isdir}, {@code isreg}, {@code islnk}, {@code lnk_target},
 * {@code mode}, {@code size}, {@code uid}, {@code gid}, {@code mtime}, and {@code checksum} (SHA-256,
 * not Ansible's SHA-1) for regular files.
 */
public final class StatModule implements Module {

    @Override
    public String name() {
        return "stat";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("path", "checksum");
    }

    @Override
    public Set<String> required() {
        return Set.of("path");
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
        String p = ShellQuote.quote(args.string("path"));
        boolean checksum = args.bool("checksum", true);
        String script = "if [ ! -e " + p + " ] && [ ! -L " + p + " ]; then echo absent; exit 0; fi; "
                + "stat -c '%F|%a|%s|%u|%g|%Y' -- " + p + "; readlink -- " + p + " || echo; "
                + (checksum ? "if [ -f " + p + " ]; then sha256sum -- " + p + " | cut -d' ' -f1; fi" : "true");
        CommandResult r = context.connection().exec(ExecRequest.shell(script));
        if (!r.succeeded()) {
            return new TaskResult.Failed("stat: " + r.stderr().strip(), Map.of("rc", r.rc(), "stderr", r.stderr()));
        }
        Map<String, Object> stat = new LinkedHashMap<>();
        String[] lines = r.stdout().split("\n");
        if (lines[0].equals("absent")) {
            stat.put("exists", false);
        } else {
            String[] f = lines[0].split("\\|");
            stat.put("exists", true);
            stat.put("isdir", f[0].equals("directory"));
            stat.put("isreg", f[0].startsWith("regular"));
            stat.put("islnk", f[0].equals("symbolic link"));
            stat.put("mode", String.format("%04o", Integer.parseInt(f[1], 8)));
            stat.put("size", Long.parseLong(f[2]));
            stat.put("uid", Integer.parseInt(f[3]));
            stat.put("gid", Integer.parseInt(f[4]));
            stat.put("mtime", Long.parseLong(f[5]));
            stat.put("lnk_target", lines.length > 1 ? lines[1] : "");
            if (lines.length > 2 && !lines[2].isBlank()) {
                stat.put("checksum", lines[2].strip());
            }
        }
        return new TaskResult.Ok(false, "", Map.of("stat", stat));
    }
}
