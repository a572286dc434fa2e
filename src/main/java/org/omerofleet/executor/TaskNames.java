package org.omerofleet.executor;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.omerofleet.playbook.Block;
import org.omerofleet.playbook.Play;
import org.omerofleet.playbook.Playbook;
import org.omerofleet.playbook.Step;
import org.omerofleet.playbook.Task;

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
            collect(play.tasks(), names);
        }
        return names;
    }

    private static void collect(List<? extends Step> steps, Set<String> names) {
        for (Step step : steps) {
            if (step instanceof Block block) {
                collect(block.block(), names);
                collect(block.rescue(), names);
                collect(block.always(), names);
            } else {
                names.add(((Task) step).name());
            }
        }
    }
}
