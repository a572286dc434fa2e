package org.omerofleet.result;

/**
 * Name the one terminal state every host ends a run in (reliability.md INV-3).
 */
public enum HostState {
    /** Every task ran and something changed. */
    SUCCEEDED,
    /** Every task ran and nothing needed changing. */
    UP_TO_DATE,
    /** A task failed outside the host's in-flight window (before the OMERO change began, or after it was undone). */
    FAILED_NO_CHANGE,
    /** A task failed and the rescue put the host back as it was. */
    FAILED_ROLLED_BACK,
    /** The outcome is unknown or partial: a failure or lost connection inside the in-flight window, or a failed rescue. */
    NEEDS_ATTENTION,
    /** The host could not be reached before anything was changed. */
    UNREACHABLE
}
