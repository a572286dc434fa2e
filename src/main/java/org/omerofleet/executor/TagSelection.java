package org.omerofleet.executor;

import java.util.Set;
import org.omerofleet.playbook.ImplicitFlush;
import org.omerofleet.playbook.Task;

/**
 * Decide whether {@code --tags} and {@code --skip-tags} let a task run, with Ansible's special tags:
 * {@code always} runs unless skipped by name, {@code never} runs only when asked for by name, and
 * {@code all} selects every task not tagged {@code never}.
 */
public final class TagSelection {

    private TagSelection() {
    }

    static boolean selected(Task task, RunOptions options) {
        return selected(task, options.tags(), options.skipTags());
    }

    /** {@return whether {@code --tags wanted --skip-tags skipped} let {@code task} run} */
    public static boolean selected(Task task, Set<String> wanted, Set<String> skipped) {
        if (ImplicitFlush.is(task)) {
            return true; // Ansible keeps the flushes between play sections whatever the tags
        }
        Set<String> tags = task.tags();
        if (tags.stream().anyMatch(skipped::contains)) {
            return false;
        }
        if (wanted.isEmpty() || wanted.contains("all")) {
            return !tags.contains("never") || tags.stream().anyMatch(wanted::contains);
        }
        if (tags.contains("always")) {
            return true;
        }
        if (wanted.contains("tagged") && !tags.isEmpty()) {
            return true;
        }
        if (wanted.contains("untagged") && tags.isEmpty()) {
            return true;
        }
        return tags.stream().anyMatch(wanted::contains);
    }
}
