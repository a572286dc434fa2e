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
 * Wait on the host for a TCP port to accept connections (or stop accepting), or for a file to exist
 * (optionally containing {@code search_regex}) or vanish, polling every {@code sleep} seconds up to
 * {@code timeout}. The loop runs on the host, so a long wait costs one channel.
 */
public final class WaitForModule implements Module {

    @Override
    public String name() {
        return "wait_for";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("host", "port", "path", "state", "timeout", "delay", "sleep", "search_regex", "msg");
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
        String state = args.string("state", "started");
        long timeout = args.number("timeout", 300);
        long delay = args.number("delay", 0);
        long sleep = Math.max(1, args.number("sleep", 1));
        String probe;
        String what;
        if (args.has("port")) {
            long port = args.number("port", 0);
            String host = args.string("host", "127.0.0.1");
            // dash has no /dev/tcp; bash does, and nc is the fallback
            probe = "{ bash -c " + ShellQuote.quote("exec 3<>/dev/tcp/\"$0\"/\"$1\"") + " " + ShellQuote.quote(host) + " " + port
                    + " || nc -z " + ShellQuote.quote(host) + " " + port + "; } >/dev/null 2>&1";
            what = "port " + host + ":" + port;
        } else if (args.has("path")) {
            String p = ShellQuote.quote(args.string("path"));
            probe = args.has("search_regex") ? "grep -Eq -- " + ShellQuote.quote(args.string("search_regex")) + " " + p + " 2>/dev/null" : "[ -e " + p + " ]";
            what = "path " + args.string("path");
        } else {
            return new TaskResult.Failed("wait_for: give port or path");
        }
        boolean wantPresent;
        switch (state) {
            case "started":
            case "present":
                wantPresent = true;
                break;
            case "stopped":
            case "absent":
                wantPresent = false;
                break;
            default:
                return new TaskResult.Failed("wait_for: state must be started, stopped, present or absent, got '" + state + "'");
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("state", state);
        if (context.checkMode()) {
            return new TaskResult.Ok(false, "would wait for " + what, data);
        }
        String condition = wantPresent ? probe : "! { " + probe + "; }";
        String script = "sleep " + delay + "; end=$(( $(date +%s) + " + timeout + " )); "
                + "while :; do if " + condition + "; then exit 0; fi; "
                + "if [ \"$(date +%s)\" -ge \"$end\" ]; then exit 1; fi; sleep " + sleep + "; done";
        long started = System.nanoTime();
        CommandResult r = context.connection().exec(ExecRequest.shell(script).withTimeout(java.time.Duration.ofSeconds(timeout + delay + 60)));
        data.put("elapsed", (System.nanoTime() - started) / 1_000_000_000L);
        if (r.succeeded()) {
            return new TaskResult.Ok(false, "", data);
        }
        return new TaskResult.Failed(args.string("msg", "Timeout when waiting for " + what + " to be " + state), data);
    }
}
