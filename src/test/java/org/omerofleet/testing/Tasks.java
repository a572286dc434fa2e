package org.omerofleet.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.omerofleet.input.SourcePosition;
import org.omerofleet.playbook.Block;
import org.omerofleet.playbook.Step;
import org.omerofleet.playbook.Task;

/**
 * Build playbook model objects in tests without YAML.
 */
public final class Tasks {

    private static final SourcePosition HERE = SourcePosition.of(java.nio.file.Path.of("test.yml"));

    private Tasks() {
    }

    public static Task task(String name) {
        return task(name, "debug", Map.of("msg", name));
    }

    public static Task task(String name, String module, Map<String, Object> args) {
        return new Task(HERE, name, module, args, Map.of(), List.of(), Optional.empty(), List.of(), List.of(), false, false, false,
                Set.of(), List.of(), List.of(), 0, List.of(), Duration.ZERO, Optional.empty(), false, false, Optional.empty(), 0);
    }

    public static Task tagged(String name, String... tags) {
        Task t = task(name);
        return new Task(t.where(), t.name(), t.module(), t.args(), t.vars(), t.when(), t.register(), t.failedWhen(), t.changedWhen(),
                t.ignoreErrors(), t.ignoreUnreachable(), t.noLog(), Set.of(tags), t.notifies(), t.listen(), t.retries(), t.until(),
                t.delay(), t.checkMode(), t.runOnce(), t.become(), t.becomeUser(), t.throttle());
    }

    /** {@return {@code t} with {@code ignore_errors: true}} */
    public static Task ignoringErrors(Task t) {
        return new Task(t.where(), t.name(), t.module(), t.args(), t.vars(), t.when(), t.register(), t.failedWhen(), t.changedWhen(),
                true, t.ignoreUnreachable(), t.noLog(), t.tags(), t.notifies(), t.listen(), t.retries(), t.until(),
                t.delay(), t.checkMode(), t.runOnce(), t.become(), t.becomeUser(), t.throttle());
    }

    public static Block block(String name, List<Step> body, List<Step> rescue, List<Step> always) {
        return new Block(HERE, name, body, rescue, always, List.of(), Set.of());
    }
}
