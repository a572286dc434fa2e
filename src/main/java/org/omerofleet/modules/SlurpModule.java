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
 * Read a file of the host into the result, base64-encoded, as Ansible's {@code slurp}
 * ({@code content}, {@code encoding: base64}, {@code source}); read with the command channel, so
 * {@code become} applies. Up to {@link HostFile#MAX_SIZE} bytes.
 */
public final class SlurpModule implements Module {

    @Override
    public String name() {
        return "slurp";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("src", "path");
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
        String src = args.optionalString("src").or(() -> args.optionalString("path"))
                .orElseThrow(() -> new IllegalArgumentException("slurp: missing required argument 'src'"));
        String script = "p=" + ShellQuote.quote(src) + "; if [ -d \"$p\" ]; then echo \"source is a directory and must be a file\" >&2; exit 3; fi; "
                + "if [ ! -e \"$p\" ]; then echo \"file not found: $p\" >&2; exit 3; fi; "
                + "if [ \"$(stat -L -c %s -- \"$p\")\" -gt " + HostFile.MAX_SIZE + " ]; then echo \"file is over " + HostFile.MAX_SIZE
                + " bytes: $p\" >&2; exit 3; fi; base64 -w0 < \"$p\"";
        CommandResult r = context.connection().exec(new ExecRequest(script, new byte[0], ExecRequest.DEFAULT_TIMEOUT, (int) (3 * HostFile.MAX_SIZE)));
        if (!r.succeeded()) {
            return new TaskResult.Failed(r.stderr().strip().isEmpty() ? "slurp: cannot read " + src : r.stderr().strip());
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("content", r.stdout().strip());
        data.put("encoding", "base64");
        data.put("source", src);
        return new TaskResult.Ok(false, "", data);
    }
}
