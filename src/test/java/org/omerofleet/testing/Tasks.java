package org.omerofleet.testing;

import java.util.List;
import java.util.Map;
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
        return Task.builder(HERE, name, module).args(args).build();
    }

    public static Task tagged(String name, String... tags) {
        return task(name).toBuilder().tags(Set.of(tags)).build();
    }

    /** {@return {@code t} with {@code ignore_errors: true}} */
    public static Task ignoringErrors(Task t) {
        return t.toBuilder().ignoreErrors(true).build();
    }

    public static Block block(String name, List<Step> body, List<Step> rescue, List<Step> always) {
        return new Block(HERE, name, body, rescue, always, List.of(), Set.of());
    }
}
