package org.omerofleet.result;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Record one task's run on one host for the report's timeline.
 *
 * @param ignored the task failed and {@code ignore_errors} let the host go on
 */
public record StepRecord(String task, String module, TaskResult.Status status, Instant started, Duration elapsed,
                         String message, boolean ignored) {

    public StepRecord {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(elapsed, "elapsed");
        Objects.requireNonNull(message, "message");
    }
}
