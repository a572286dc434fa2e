package org.omerofleet.executor;

import java.util.LinkedHashSet;
import java.util.Set;
import org.omerofleet.playbook.Play;
import org.omerofleet.playbook.Playbook;
import org.omerofleet.playbook.Step;

/**
 * The names of every task of a playbook, blocks and handlers included, for {@code --start-at-task}.
 */
public final class TaskNames {

    private TaskNames() {
    }

    /** {@return the task names, in playbook order} */
    public static Set<String> of(Playbook playbook) {
        Set<String> names = new LinkedHashSet<>();
        for (Play play : playbook.plays()) {
            Step.tasksIn(play.tasks()).forEach(t -> names.add(t.name()));
        }
        return names;
    }
}
