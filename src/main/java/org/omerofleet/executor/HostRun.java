package org.omerofleet.executor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.omerofleet.result.HostState;
import org.omerofleet.result.HostStats;
import org.omerofleet.result.TaskResult;

/**
 * Keep one host's state during a run: variables set by tasks, counters, notified handlers, and
 * what is needed to decide its terminal state.
 *
 * <p>Confined to one thread at a time; the executor hands it between rounds with a happens-before
 * edge (the fork pool's futures).
 */
final class HostRun {

    private final String name;
    private final Map<String, Object> runtimeVars = new LinkedHashMap<>();
    private final Map<String, Object> report = new LinkedHashMap<>();
    private final Set<String> notified = new LinkedHashSet<>();
    private final List<StepRecord> steps = new ArrayList<>();
    private HostStats stats = HostStats.EMPTY;
    private boolean changedSomething;
    private boolean inFlight;
    private boolean reachedStartTask;
    private boolean unreachable;
    private boolean failed;
    private boolean rescued;
    private boolean rescueFailed;
    private boolean notStarted;
    private String message = "";
    private HostState declaredState;

    HostRun(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    /** {@return facts and registered variables set so far (they outrank play and task vars)} */
    Map<String, Object> runtimeVars() {
        return runtimeVars;
    }

    Map<String, Object> report() {
        return report;
    }

    Set<String> notified() {
        return notified;
    }

    List<StepRecord> steps() {
        return steps;
    }

    void count(TaskResult.Status status) {
        stats = stats.plus(status);
        if (status == TaskResult.Status.CHANGED) {
            changedSomething = true;
        }
    }

    void countIgnored() {
        stats = stats.plusIgnored();
    }

    void countRescued() {
        stats = stats.plusRescued();
        rescued = true;
    }

    void markChanged() {
        changedSomething = true;
    }

    /**
     * Record whether the host is inside a window where stopping is unsafe (an OMERO module opens it when
     * it stops the server and closes it once the host is verified or rolled back).
     */
    void inFlight(boolean value) {
        inFlight = value;
    }

    boolean reachedStartTask() {
        return reachedStartTask;
    }

    void reachStartTask() {
        reachedStartTask = true;
    }

    boolean inFlight() {
        return inFlight;
    }

    void markUnreachable(String why) {
        unreachable = true;
        message = why;
    }

    void markFailed(String why, boolean duringRescue) {
        failed = true;
        rescueFailed |= duringRescue;
        message = why;
    }

    /** A task failed inside a block whose rescue will run: remember why, in case the report needs it. */
    void noteFailure(String why) {
        message = why;
    }

    void markNotStarted(String why) {
        notStarted = true;
        message = why;
    }

    /** Let a module state the host's outcome outright (an OMERO module knows it rolled back). */
    void declare(HostState state) {
        declaredState = state;
    }

    /** {@return whether a module declared this host failed (rolled back, or needing attention)} */
    boolean declaredFailure() {
        return declaredState != null && declaredState != HostState.SUCCEEDED && declaredState != HostState.UP_TO_DATE;
    }

    boolean active() {
        return !unreachable && !failed && !notStarted;
    }

    boolean unreachable() {
        return unreachable;
    }

    boolean failed() {
        return failed;
    }

    HostStats stats() {
        return stats;
    }

    /**
     * {@return the host's one terminal state} A generic playbook cannot say whether a change before a
     * failure was harmful, so the rule turns on the in-flight window that the OMERO modules open and close:
     * lost or failed inside it (and not rescued): NEEDS_ATTENTION; outside it: UNREACHABLE or
     * FAILED_NO_CHANGE. A failure inside a rescue: NEEDS_ATTENTION. A completed rescue: FAILED_ROLLED_BACK.
     * Otherwise SUCCEEDED when something changed, UP_TO_DATE when nothing did. A state a module declared
     * wins where it is at least as severe as the derived one.
     */
    HostState finalState() {
        HostState derived = derive();
        if (declaredState != null && severity(declaredState) >= severity(derived)) {
            return declaredState;
        }
        return derived;
    }

    private HostState derive() {
        if (notStarted) {
            return HostState.FAILED_NO_CHANGE;
        }
        if (unreachable) {
            return inFlight ? HostState.NEEDS_ATTENTION : HostState.UNREACHABLE;
        }
        if (failed) {
            return rescueFailed || inFlight ? HostState.NEEDS_ATTENTION : HostState.FAILED_NO_CHANGE;
        }
        if (rescued) {
            return HostState.FAILED_ROLLED_BACK;
        }
        return changedSomething ? HostState.SUCCEEDED : HostState.UP_TO_DATE;
    }

    private static int severity(HostState state) {
        switch (state) {
            case UP_TO_DATE:
                return 0;
            case SUCCEEDED:
                return 1;
            case UNREACHABLE:
                return 2;
            case FAILED_NO_CHANGE:
                return 3;
            case FAILED_ROLLED_BACK:
                return 4;
            case NEEDS_ATTENTION:
            default:
                return 5;
        }
    }

    String message() {
        return message;
    }

    HostOutcome outcome() {
        return new HostOutcome(name, finalState(), stats, message, report, steps);
    }
}
