package org.omerofleet.result;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Record the outcome of one task on one host.
 *
 * <p>Callers branch on {@link #status()} with an exhaustive {@code switch}. {@link #data()} is what a
 * {@code register:} makes visible to later tasks (Ansible's {@code rc}, {@code stdout}, {@code msg}...);
 * {@link #report()} holds the fields a module contributes to the host's row in the run report
 * (release before and after, backup path and SHA-256...); {@link #declared()} is what the module states
 * about the host itself (a known outcome, its in-flight window), typed, never a key in {@code data()}.
 */
public sealed interface TaskResult permits TaskResult.Ok, TaskResult.Skipped, TaskResult.Failed, TaskResult.Unreachable {

    /** The task outcome, in Ansible's vocabulary. */
    enum Status { OK, CHANGED, SKIPPED, FAILED, UNREACHABLE }

    Status status();

    String message();

    Map<String, Object> data();

    Map<String, Object> report();

    /** {@return whether the task modified the host (a failed task may have, before it failed)} */
    boolean changed();

    /** {@return what the module declares about the host: a known outcome, or entering or leaving its in-flight window} */
    Declaration declared();

    /** The task ran; {@code changed} says whether it modified the host. */
    record Ok(boolean changed, String message, Map<String, Object> data, Map<String, Object> report, Declaration declared)
            implements TaskResult {
        public Ok {
            message = Objects.requireNonNull(message, "message");
            data = copy(data);
            report = copy(report);
            Objects.requireNonNull(declared, "declared");
        }

        public Ok(boolean changed, String message, Map<String, Object> data, Map<String, Object> report) {
            this(changed, message, data, report, Declaration.NONE);
        }

        public Ok(boolean changed, String message) {
            this(changed, message, Map.of(), Map.of());
        }

        public Ok(boolean changed, String message, Map<String, Object> data) {
            this(changed, message, data, Map.of());
        }

        @Override
        public Status status() {
            return changed ? Status.CHANGED : Status.OK;
        }
    }

    /** The task did not run (a {@code when:} was false, or check mode). */
    record Skipped(String message, Map<String, Object> extra) implements TaskResult {
        public Skipped {
            message = Objects.requireNonNull(message, "message");
            extra = copy(extra);
        }

        public Skipped(String message) {
            this(message, Map.of());
        }

        @Override
        public boolean changed() {
            return false;
        }

        @Override
        public Status status() {
            return Status.SKIPPED;
        }

        @Override
        public Map<String, Object> data() {
            Map<String, Object> data = new LinkedHashMap<>(extra);
            data.put("skipped", true);
            data.put("changed", false);
            data.put("skip_reason", message);
            return java.util.Collections.unmodifiableMap(data);
        }

        @Override
        public Map<String, Object> report() {
            return Map.of();
        }

        @Override
        public Declaration declared() {
            return Declaration.NONE;
        }
    }

    /** The task ran and failed; {@code changed} says whether it modified the host before failing. */
    record Failed(boolean changed, String message, Map<String, Object> data, Map<String, Object> report, Declaration declared)
            implements TaskResult {
        public Failed {
            message = Objects.requireNonNull(message, "message");
            data = copy(data);
            report = copy(report);
            Objects.requireNonNull(declared, "declared");
        }

        public Failed(boolean changed, String message, Map<String, Object> data, Map<String, Object> report) {
            this(changed, message, data, report, Declaration.NONE);
        }

        public Failed(String message) {
            this(false, message, Map.of(), Map.of());
        }

        public Failed(String message, Map<String, Object> data) {
            this(false, message, data, Map.of());
        }

        @Override
        public Status status() {
            return Status.FAILED;
        }
    }

    /** The host could not be reached or the connection broke; never counted as a failure. */
    record Unreachable(String message) implements TaskResult {
        public Unreachable {
            message = Objects.requireNonNull(message, "message");
        }

        @Override
        public boolean changed() {
            return false;
        }

        @Override
        public Status status() {
            return Status.UNREACHABLE;
        }

        @Override
        public Map<String, Object> data() {
            return Map.of("unreachable", true, "changed", false, "msg", message);
        }

        @Override
        public Map<String, Object> report() {
            return Map.of();
        }

        @Override
        public Declaration declared() {
            return Declaration.NONE;
        }
    }

    /** Copy a map that may hold nulls (registered results do), keeping its order. */
    private static Map<String, Object> copy(Map<String, Object> map) {
        return map == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
