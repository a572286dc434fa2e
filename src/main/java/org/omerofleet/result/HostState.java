package org.omerofleet.result;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * Name the one terminal state every host ends a run in (reliability.md INV-3), in the one severity
 * order from which both a host's final state (when several facts apply) and the run's exit code are
 * derived.
 */
public enum HostState {
    /** Every task ran and something changed. */
    SUCCEEDED(1),
    /** Every task ran and nothing needed changing. */
    UP_TO_DATE(0),
    /** A task failed outside the host's in-flight window (before the OMERO change began, or after it was undone). */
    FAILED_NO_CHANGE(3),
    /** A task failed and the rescue put the host back as it was (a module verified it). */
    FAILED_ROLLED_BACK(4),
    /** The outcome is unknown or partial: a failure or lost connection inside the in-flight window. */
    NEEDS_ATTENTION(5),
    /** The host could not be reached before anything was changed. */
    UNREACHABLE(2);

    /** Least severe first: UP_TO_DATE, SUCCEEDED, UNREACHABLE, FAILED_NO_CHANGE, FAILED_ROLLED_BACK, NEEDS_ATTENTION. */
    public static final Comparator<HostState> BY_SEVERITY = Comparator.comparingInt(s -> s.severity);

    private final int severity;

    HostState(int severity) {
        this.severity = severity;
    }

    /** {@return whether the host did not end as asked: it counts against failure thresholds and the exit code} */
    public boolean failure() {
        return this != SUCCEEDED && this != UP_TO_DATE;
    }

    /** {@return the more severe of the two} */
    public HostState worse(HostState other) {
        return BY_SEVERITY.compare(this, other) >= 0 ? this : other;
    }

    /** {@return the most severe of the states, empty when there are none} */
    public static Optional<HostState> worst(Collection<HostState> states) {
        return states.stream().max(BY_SEVERITY);
    }
}
