package org.omerofleet.executor;

import java.time.Duration;
import java.util.List;
import org.omerofleet.playbook.Play;
import org.omerofleet.playbook.Task;
import org.omerofleet.result.RunSummary;
import org.omerofleet.result.TaskResult;

/**
 * Receive the events of a run. Implementations must be thread-safe: results of different hosts arrive
 * from different threads at once. Every value passed is immutable and already redacted.
 */
public interface RunListener {

    default void runStarted(String runId, java.nio.file.Path runDir) {
    }

    default void playStarted(Play play, List<String> hosts) {
    }

    default void batchStarted(int number, int of, List<String> hosts) {
    }

    /** A task is about to run on these hosts ({@code handler} true for handlers). */
    default void taskStarted(Task task, List<String> hosts, boolean handler) {
    }

    /**
     * One task finished on one host.
     *
     * @param result  what the task did, already redacted (hidden entirely where {@code no_log} asked)
     * @param ignored the task failed but {@code ignore_errors} let the host go on
     */
    default void taskFinished(String host, Task task, TaskResult result, Duration elapsed, boolean ignored) {
    }

    /** A host's rescue section completed: the host recovered from a failure. */
    default void hostRescued(String host) {
    }

    /** A line for the host's own log (command output, module messages). */
    default void hostLog(String host, String line) {
    }

    /** A long step on a host reports how far it has got (every few seconds while it runs). */
    default void hostProgress(String host, org.omerofleet.result.Progress progress) {
    }

    /** The play stopped starting new work (threshold exceeded, all hosts failed, interrupt). */
    default void playAborted(Play play, String reason) {
    }

    default void runFinished(RunSummary summary) {
    }

    /** {@return a listener that passes every event to each of {@code listeners}, in order} */
    static RunListener all(List<RunListener> listeners) {
        List<RunListener> copy = List.copyOf(listeners);
        return new RunListener() {
            @Override
            public void runStarted(String runId, java.nio.file.Path runDir) {
                copy.forEach(l -> l.runStarted(runId, runDir));
            }

            @Override
            public void playStarted(Play play, List<String> hosts) {
                copy.forEach(l -> l.playStarted(play, hosts));
            }

            @Override
            public void batchStarted(int number, int of, List<String> hosts) {
                copy.forEach(l -> l.batchStarted(number, of, hosts));
            }

            @Override
            public void taskStarted(Task task, List<String> hosts, boolean handler) {
                copy.forEach(l -> l.taskStarted(task, hosts, handler));
            }

            @Override
            public void taskFinished(String host, Task task, TaskResult result, Duration elapsed, boolean ignored) {
                copy.forEach(l -> l.taskFinished(host, task, result, elapsed, ignored));
            }

            @Override
            public void hostRescued(String host) {
                copy.forEach(l -> l.hostRescued(host));
            }

            @Override
            public void hostLog(String host, String line) {
                copy.forEach(l -> l.hostLog(host, line));
            }

            @Override
            public void hostProgress(String host, org.omerofleet.result.Progress progress) {
                copy.forEach(l -> l.hostProgress(host, progress));
            }

            @Override
            public void playAborted(Play play, String reason) {
                copy.forEach(l -> l.playAborted(play, reason));
            }

            @Override
            public void runFinished(RunSummary summary) {
                copy.forEach(l -> l.runFinished(summary));
            }
        };
    }
}
