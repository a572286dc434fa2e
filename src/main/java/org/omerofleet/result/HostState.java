package org.omerofleet.result;

/**
 * Name the one terminal state every host ends a run in (reliability.md INV-3).
 */
public enum HostState {
    /** Every task ran and something changed. */
    SUCCEEDED,
    /** Every task ran and nothing needed changing. */
    UP_TO_DATE,
    /** A task failed before anything on the host was modified. */
    FAILED_NO_CHANGE,
    /** A task failed and the rescue put the host back as it was. */
    FAILED_ROLLED_BACK,
    /** The outcome is unknown or partial; the report carries recovery commands. */
    NEEDS_ATTENTION,
    /** The host could not be reached before anything was changed. */
    UNREACHABLE
}
