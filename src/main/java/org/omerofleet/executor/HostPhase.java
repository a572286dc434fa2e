package org.omerofleet.executor;

import org.omerofleet.result.HostState;

/**
 * One host's place in a run, moved only by {@link #on(Event)}: the whole transition table of the run's
 * host-state machine is in this file.
 *
 * <p>The executor sends an event for what each task result did to the host, in the order changed,
 * window, then failure; a failure is sent only once it is final (no rescue left to catch it: a failure a
 * rescue catches changes nothing here, as in Ansible). The three active phases differ in what a final
 * failure or a lost connection means: outside the in-flight window the host is known to be as it was
 * (or changed harmlessly), inside it the outcome is unknown and a human must look. The terminal phases
 * absorb every later event (a handler forced onto a failed host does not make it succeed).
 */
enum HostPhase {
    /** Running; nothing changed so far. */
    CLEAN,
    /** Running; some task changed the host. */
    CHANGED,
    /** Running inside the in-flight window a module opened (server stopped, database half upgraded, host locked). */
    IN_FLIGHT,
    /** A task failed for good outside the window. */
    FAILED,
    /** A task failed for good inside the window. */
    FAILED_IN_FLIGHT,
    /** The connection was lost outside the window. */
    UNREACHABLE,
    /** The connection was lost inside the window: whatever ran there may or may not have finished. */
    LOST_IN_FLIGHT,
    /** Stopped before it finished (an interrupt, or never started because the play stopped). */
    STOPPED;

    /** What a task result, or the run, did to the host. */
    enum Event { OK, CHANGED, WINDOW_OPENED, WINDOW_CLOSED, FAILED, UNREACHABLE, STOPPED }

    /** {@return the phase after {@code event}} */
    HostPhase on(Event event) {
        switch (this) {
            case CLEAN:
            case CHANGED:
                switch (event) {
                    case OK:
                    case WINDOW_CLOSED:
                        return this;
                    case CHANGED:
                        return CHANGED;
                    case WINDOW_OPENED:
                        return IN_FLIGHT;
                    case FAILED:
                        return FAILED;
                    case UNREACHABLE:
                        return UNREACHABLE;
                    case STOPPED:
                    default:
                        return STOPPED;
                }
            case IN_FLIGHT:
                switch (event) {
                    case OK:
                    case CHANGED:
                    case WINDOW_OPENED:
                        return IN_FLIGHT;
                    case WINDOW_CLOSED:
                        return CHANGED;
                    case UNREACHABLE:
                        return LOST_IN_FLIGHT;
                    case FAILED:
                    case STOPPED:
                    default:
                        // a host is never stopped inside its window; should it be, its outcome is not known
                        return FAILED_IN_FLIGHT;
                }
            default:
                return this;
        }
    }

    /** {@return whether the host still runs tasks} */
    boolean active() {
        return this == CLEAN || this == CHANGED || this == IN_FLIGHT;
    }

    /** {@return whether the host is inside its in-flight window: a stop lets it run to the end of the window} */
    boolean inFlight() {
        return this == IN_FLIGHT;
    }

    /** {@return the terminal state this phase means when the run ends here} */
    HostState outcome() {
        switch (this) {
            case CLEAN:
                return HostState.UP_TO_DATE;
            case CHANGED:
            case IN_FLIGHT:
                return HostState.SUCCEEDED;
            case UNREACHABLE:
                return HostState.UNREACHABLE;
            case FAILED:
            case STOPPED:
                return HostState.FAILED_NO_CHANGE;
            case FAILED_IN_FLIGHT:
            case LOST_IN_FLIGHT:
            default:
                return HostState.NEEDS_ATTENTION;
        }
    }
}
