package org.omerofleet.playbook;

import java.util.List;
import java.util.Set;
import org.omerofleet.input.SourcePosition;

/**
 * One entry of a task list: a {@link Task} or a {@link Block}.
 */
public sealed interface Step permits Task, Block {

    SourcePosition where();

    String name();

    /** {@return the {@code when:} conditions, ANDed} */
    List<String> when();

    Set<String> tags();

    /** {@return the tasks of {@code steps} in document order, each block's block, rescue and always sections in turn} */
    static List<Task> tasksIn(List<? extends Step> steps) {
        List<Task> tasks = new java.util.ArrayList<>();
        for (Step step : steps) {
            if (step instanceof Block block) {
                tasks.addAll(tasksIn(block.block()));
                tasks.addAll(tasksIn(block.rescue()));
                tasks.addAll(tasksIn(block.always()));
            } else {
                tasks.add((Task) step);
            }
        }
        return tasks;
    }
}
