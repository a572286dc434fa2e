package org.omerofleet.modules;

import java.util.Map;
import java.util.Set;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.ShellQuote;
import org.omerofleet.transport.TransportException;

/**
 * Make a path a file, directory, symlink or absent ({@code state}), with {@code mode}; idempotent.
 * {@code absent} refuses empty, relative and root paths (reliability.md IN-06).
 */
public final class FileModule implements Module {

    @Override
    public String name() {
        return "file";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("path", "state", "mode", "src");
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
        String path = args.string("path");
        String state = args.string("state", "file");
        String p = ShellQuote.quote(path);
        String mode = args.mode("mode").map(m -> Integer.toOctalString(m)).orElse(null);
        String test;
        String make;
        switch (state) {
            case "directory":
                test = "[ -d " + p + " ]";
                make = "mkdir -p -- " + p;
                break;
            case "touch":
                test = "false";
                make = "touch -- " + p;
                break;
            case "file":
                test = "[ -f " + p + " ]";
                make = "echo 'file: " + path.replace("'", "") + " does not exist (use state=touch to create it)' >&2; exit 1";
                break;
            case "link":
                String src = ShellQuote.quote(args.string("src"));
                test = "[ -L " + p + " ] && [ \"$(readlink -- " + p + ")\" = " + src + " ]";
                make = "ln -sfn -- " + src + " " + p;
                break;
            case "absent":
                if (path.isBlank() || !path.startsWith("/") || path.replaceAll("/+", "/").equals("/") || path.contains("/../")
                        || path.endsWith("/..")) {
                    return new TaskResult.Failed("file: refusing to remove '" + path + "': give an absolute path below /");
                }
                test = "[ ! -e " + p + " ] && [ ! -L " + p + " ]";
                make = "rm -rf -- " + p;
                break;
            default:
                throw new IllegalArgumentException("file: state must be file, directory, touch, link or absent, got '" + state + "'");
        }
        String modeTest = mode == null || state.equals("absent") || state.equals("link") ? "true" : "[ \"$(stat -c %a -- " + p + ")\" = " + mode + " ]";
        String script = "if " + test + " && " + modeTest + "; then echo unchanged; exit 0; fi; "
                + (context.checkMode() ? "echo would-change; exit 0; " : "")
                + make + " && " + (mode == null || state.equals("absent") || state.equals("link") ? "true" : "chmod " + mode + " -- " + p)
                + " && echo changed";
        CommandResult r = context.connection().exec(ExecRequest.shell(script));
        if (!r.succeeded()) {
            return new TaskResult.Failed("file: " + r.stderr().strip(), Map.of("rc", r.rc(), "stderr", r.stderr(), "path", path));
        }
        boolean changed = !r.stdout().strip().equals("unchanged");
        return new TaskResult.Ok(changed, "", Map.of("path", path, "state", state));
    }
}
