package org.omerofleet.modules;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.TransportException;

/**
 * Wait until the host answers a command over its connection, as Ansible's {@code wait_for_connection}:
 * after {@code delay} seconds, try every {@code sleep} seconds until {@code timeout} (600). Never
 * changed; skipped in check mode, as in Ansible.
 */
public final class WaitForConnectionModule implements Module {

    @Override
    public String name() {
        return "wait_for_connection";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("timeout", "delay", "sleep", "connect_timeout");
    }

    @Override
    public boolean supportsCheckMode() {
        return true;
    }

    @Override
    public boolean needsConnection() {
        return false;
    }

    @Override
    public boolean safeToRepeat() {
        return true;
    }

    @Override
    public TaskResult run(TaskContext context, Args args) {
        long timeout = args.number("timeout", 600);
        long delay = args.number("delay", 0);
        long sleep = Math.max(1, args.number("sleep", 1));
        Map<String, Object> data = new LinkedHashMap<>();
        if (context.checkMode()) {
            data.put("elapsed", 0);
            return new TaskResult.Ok(false, "", data);
        }
        long started = System.nanoTime();
        long end = started + Duration.ofSeconds(timeout + delay).toNanos();
        String last = "";
        try {
            Thread.sleep(Duration.ofSeconds(delay).toMillis());
            while (true) {
                try {
                    if (context.connection().exec(ExecRequest.shell("true").withTimeout(Duration.ofSeconds(args.number("connect_timeout", 5) + 30)))
                            .succeeded()) {
                        data.put("elapsed", (System.nanoTime() - started) / 1_000_000_000L);
                        return new TaskResult.Ok(false, "", data);
                    }
                } catch (TransportException e) {
                    last = e.getMessage();
                }
                if (System.nanoTime() + Duration.ofSeconds(sleep).toNanos() > end) {
                    break;
                }
                Thread.sleep(Duration.ofSeconds(sleep).toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        data.put("elapsed", (System.nanoTime() - started) / 1_000_000_000L);
        return new TaskResult.Failed("timed out waiting for connection" + (last.isEmpty() ? "" : ": " + last), data);
    }
}
