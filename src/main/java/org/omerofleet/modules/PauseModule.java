package org.omerofleet.modules;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.omerofleet.result.TaskResult;

/**
 * Wait {@code seconds} or {@code minutes} on the controller, as Ansible's {@code pause}; a
 * {@code prompt} is shown but not waited for (omero-fleet does not read the terminal during a run), as
 * Ansible does when its input is not a terminal. Never changed; runs in check mode too.
 */
public final class PauseModule implements Module {

    @Override
    public String name() {
        return "pause";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("seconds", "minutes", "prompt", "echo");
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
        long seconds = args.number("seconds", 0) + 60 * args.number("minutes", 0);
        Instant start = context.clock().instant();
        if (seconds > 0) {
            try {
                Thread.sleep(Duration.ofSeconds(seconds).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new TaskResult.Failed("pause: interrupted");
            }
        }
        Instant stop = context.clock().instant();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("start", start.toString());
        data.put("stop", stop.toString());
        data.put("delta", Duration.between(start, stop).toSeconds());
        data.put("echo", args.bool("echo", true));
        data.put("user_input", "");
        String msg = seconds > 0 ? "Paused for " + seconds + " seconds" : args.has("prompt") ? "not waiting for input: " + args.string("prompt") : "";
        data.put("stdout", msg);
        return new TaskResult.Ok(false, msg, data);
    }
}
