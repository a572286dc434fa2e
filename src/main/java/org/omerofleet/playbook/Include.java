package org.omerofleet.playbook;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.omerofleet.input.SourcePosition;

/**
 * A dynamic include ({@code include_tasks}, {@code include_role}): {@link #task()} runs first on each host,
 * with its own {@code when} and tags, and counts as a task as in Ansible; only the hosts on which it ran
 * go on into {@link #steps()}, which the loader has already read when the file name is known at load time.
 * When the name is a template, {@link #files()} reads the file each host names when the include runs, and
 * {@link #steps()} is empty.
 */
public record Include(Task task, List<Step> steps, java.util.Optional<IncludedFiles> files) implements Step {

    public Include {
        Objects.requireNonNull(task, "task");
        steps = List.copyOf(steps);
        Objects.requireNonNull(files, "files");
    }

    /** {@return an include whose file was read at load time} */
    public Include(Task task, List<Step> steps) {
        this(task, steps, java.util.Optional.empty());
    }

    @Override
    public SourcePosition where() {
        return task.where();
    }

    @Override
    public String name() {
        return task.name();
    }

    @Override
    public List<String> when() {
        return task.when();
    }

    @Override
    public Set<String> tags() {
        return task.tags();
    }
}
