package org.omerofleet.executor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.omerofleet.playbook.Block;
import org.omerofleet.playbook.Include;
import org.omerofleet.playbook.Step;
import org.omerofleet.playbook.Task;

/**
 * Which task a batch runs next, as ansible-core 2.14's linear strategy chooses it: the play's tasks in one
 * list, in document order (blocks with their rescue and always sections), a cursor moving along it, and
 * the tasks of each file an include brings inserted after the include once it has run, one copy per
 * included file (per loop item, or per file a templated name gave), in the order the hosts first included
 * them. Each round runs the first task at or after the cursor that some host has next; the hosts whose
 * next task is another one wait. So hosts that took different paths (a longer included file, a rescue)
 * run their tasks one after the other and meet again at the next task they share.
 *
 * <p>One per batch; not thread-safe (driven by the batch's loop).
 */
final class TaskSchedule {

    /**
     * A task as one host will run it: the task, and the included file it came from ({@code null} outside
     * any include; the pass object the include's hosts share, see {@link IncludeOrder}). Equal by identity.
     */
    static final class Slot {
        final Task task;
        final Object file;

        Slot(Task task, Object file) {
            this.task = task;
            this.file = file;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Slot s && s.task == task && s.file == file;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(task) * 31 + System.identityHashCode(file);
        }
    }

    private final List<Slot> all = new ArrayList<>();
    private int cursor;

    TaskSchedule(List<Step> tasks) {
        all.addAll(slots(tasks, null));
    }

    /** {@return the tasks of {@code steps} as one list, an include standing for itself alone (its tasks come when it runs)} */
    static List<Slot> slots(List<Step> steps, Object file) {
        List<Slot> out = new ArrayList<>();
        for (Step step : steps) {
            if (step instanceof Block block) {
                out.addAll(slots(block.block(), file));
                out.addAll(slots(block.rescue(), file));
                out.addAll(slots(block.always(), file));
            } else if (step instanceof Include include) {
                out.add(new Slot(include.task(), file));
            } else {
                out.add(new Slot((Task) step, file));
            }
        }
        return out;
    }

    /**
     * {@return the task the round runs: the first at or after the cursor that one of {@code next} names,
     * looking from the start again once} The cursor moves past it.
     */
    Slot choose(Collection<Slot> next) {
        for (int pass = 0; pass < 2; pass++) {
            while (cursor < all.size()) {
                Slot slot = all.get(cursor++);
                if (next.contains(slot)) {
                    return slot;
                }
            }
            cursor = 0;
        }
        throw new IllegalStateException("no host's next task is in the play's schedule");
    }

    /** The include just run brought {@code files} (each a pass with its tasks, in shared order): their tasks come next. */
    void included(List<HostIterator.Pass> files) {
        List<Slot> added = new ArrayList<>();
        for (HostIterator.Pass file : files) {
            added.addAll(slots(file.steps(), file));
        }
        all.addAll(cursor, added);
    }
}
