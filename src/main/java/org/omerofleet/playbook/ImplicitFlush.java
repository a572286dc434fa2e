package org.omerofleet.playbook;

import java.util.Map;
import org.omerofleet.input.SourcePosition;

/**
 * The {@code meta: flush_handlers} Ansible puts between a play's sections: after {@code pre_tasks}, and
 * after {@code roles} and {@code tasks} (the one after {@code post_tasks} is the end of the play, where
 * the notified handlers run anyway). Such a task is not the user's: it is never listed, shown or
 * filtered out by tags. A play without handlers does without them, as does a section boundary with
 * nothing before or nothing after it (the end of the play flushes).
 */
public final class ImplicitFlush {

    /** The name that marks the task as implicit; no task of a playbook is given it. */
    static final String NAME = "meta: flush_handlers (implicit, between play sections)";

    private ImplicitFlush() {
    }

    /** {@return a new implicit flush placed at {@code where} (the play's position)} */
    static Task at(SourcePosition where) {
        return Task.builder(where, NAME, "meta").args(Map.of("_raw_params", "flush_handlers")).build();
    }

    /** {@return whether {@code task} is a flush the loader put between play sections} */
    public static boolean is(Task task) {
        return task.module().equals("meta") && task.name().equals(NAME) && task.tags().isEmpty();
    }
}
