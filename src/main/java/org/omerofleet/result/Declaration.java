package org.omerofleet.result;

import java.util.Objects;
import java.util.Optional;

/**
 * What a module states about its host beyond the task's own status: an outcome it knows for certain
 * (it verified the old release back, so the host is rolled back), and whether the host has just entered
 * or left the window in which abandoning it would be unsafe (the OMERO server stopped, the database
 * half upgraded, the host locked by this run).
 *
 * @param outcome the host's terminal state as the module knows it; the executor keeps the more severe of this and its own
 * @param window  whether this result opens, closes or keeps the host's in-flight window
 */
public record Declaration(Optional<HostState> outcome, Window window) {

    /** What a result does to the host's in-flight window. */
    public enum Window { KEPT, OPENED, CLOSED }

    /** Nothing declared: the executor derives the host's state from task statuses alone. */
    public static final Declaration NONE = new Declaration(Optional.empty(), Window.KEPT);

    /** The host enters its in-flight window with this result. */
    public static final Declaration OPENS_WINDOW = new Declaration(Optional.empty(), Window.OPENED);

    /** The host leaves its in-flight window with this result. */
    public static final Declaration CLOSES_WINDOW = new Declaration(Optional.empty(), Window.CLOSED);

    public Declaration {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(window, "window");
    }

    /** {@return a declaration of the host's terminal state} */
    public static Declaration outcome(HostState state) {
        return new Declaration(Optional.of(state), Window.KEPT);
    }
}
