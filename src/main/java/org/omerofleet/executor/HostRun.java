package org.omerofleet.executor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.omerofleet.result.Declaration;
import org.omerofleet.result.HostOutcome;
import org.omerofleet.result.HostState;
import org.omerofleet.result.HostStats;
import org.omerofleet.result.StepRecord;
import org.omerofleet.result.TaskResult;

/**
 * Keep one host's state during a run: variables set by tasks, counters, notified handlers, and its
 * {@link HostPhase} with what modules declared, from which its terminal state is derived.
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
    private HostPhase phase = HostPhase.CLEAN;
    private Optional<HostState> declared = Optional.empty();
    private boolean reachedStartTask;
    private String message = "";

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

    HostStats stats() {
        return stats;
    }

    /** Count one task in the recap (Ansible's counters: see {@link HostStats}). */
    void count(HostStats counted) {
        stats = stats.plus(counted);
    }

    /**
     * Apply what one task result did to the host: that it changed it, what its module declared (an
     * outcome, the in-flight window), and, when {@code finalFailure}, that it failed with no rescue left, or
     * when {@code lost}, that the connection was lost (and not ignored); {@code why} is the result's message as
     * it may be shown (redacted).
     */
    void apply(TaskResult result, String why, boolean finalFailure, boolean lost) {
        if (result.changed()) {
            move(HostPhase.Event.CHANGED);
        }
        Declaration d = result.declared();
        d.outcome().ifPresent(s -> declared = Optional.of(declared.map(s::worse).orElse(s)));
        if (d.window() == Declaration.Window.OPENED) {
            move(HostPhase.Event.WINDOW_OPENED);
        } else if (d.window() == Declaration.Window.CLOSED) {
            move(HostPhase.Event.WINDOW_CLOSED);
        }
        if (lost) {
            fail(HostPhase.Event.UNREACHABLE, why);
        } else if (finalFailure) {
            fail(HostPhase.Event.FAILED, why);
        }
    }

    /** The host failed for good, not through a task of its own (another host failed and any_errors_fatal is set, or the batch exceeded max_fail_percentage). */
    void failFromOutside(String why) {
        fail(HostPhase.Event.FAILED, why);
    }

    /** The host stops here without finishing (the run was interrupted, or the play stopped before its batch). */
    void stop(String why) {
        fail(HostPhase.Event.STOPPED, why);
    }

    /** A task failed and a rescue or always section will run first: remember why, for the report and for {@link #failAfterAlways()}. */
    void noteFailure(String why) {
        message = why;
    }

    /** The always section that ran after a failure is done, and nothing caught the failure: the host failed for good. */
    void failAfterAlways() {
        fail(HostPhase.Event.FAILED, message);
    }

    private void fail(HostPhase.Event event, String why) {
        if (phase.active()) {
            message = why;
        }
        move(event);
    }

    private void move(HostPhase.Event event) {
        phase = phase.on(event);
    }

    boolean reachedStartTask() {
        return reachedStartTask;
    }

    void reachStartTask() {
        reachedStartTask = true;
    }

    /** {@return whether the host is inside its in-flight window, where a stop lets it finish} */
    boolean inFlight() {
        return phase.inFlight();
    }

    boolean active() {
        return phase.active();
    }

    boolean unreachable() {
        return phase == HostPhase.UNREACHABLE || phase == HostPhase.LOST_IN_FLIGHT;
    }

    /** {@return whether the host counts as failed for max_fail_percentage and any_errors_fatal} */
    boolean failedForThresholds() {
        return finalState().failure();
    }

    /**
     * {@return the host's one terminal state} The phase's outcome, or what a module declared where that is
     * more severe (a rescue that verified the old release back declares FAILED_ROLLED_BACK).
     */
    HostState finalState() {
        HostState derived = phase.outcome();
        return declared.map(derived::worse).orElse(derived);
    }

    String message() {
        return message;
    }

    HostOutcome outcome() {
        return new HostOutcome(name, finalState(), stats, message, report, steps);
    }
}
