package org.omerofleet.modules;

import java.util.Set;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.TransportException;

/**
 * Do one kind of task on one host: the SPI every task module implements.
 *
 * <p>A module sees its templated arguments and a {@link TaskContext}, nothing global. It returns a
 * {@link TaskResult} for every outcome it can judge (a non-zero exit is a {@code Failed}, not an
 * exception) and lets a {@link TransportException} escape only when the host could not be talked to.
 */
public interface Module {

    /** {@return the short name used in playbooks, e.g. {@code command}} */
    String name();

    /** {@return the argument keys this module accepts; used by the strict playbook loader} */
    Set<String> parameters();

    /** {@return the argument keys that must be present} */
    default Set<String> required() {
        return Set.of();
    }

    /** {@return whether the module takes a free-form string ({@code command: echo hi}) as {@code _raw_params}} */
    default boolean freeForm() {
        return false;
    }

    /**
     * {@return whether the module can honour check mode} A module that returns true must change nothing
     * when {@link TaskContext#checkMode()} is set, and report what it would change.
     */
    boolean supportsCheckMode();

    /** {@return whether the module needs an SSH connection (debug, set_fact, assert and fail do not)} */
    default boolean needsConnection() {
        return true;
    }

    /**
     * {@return whether running the module again is safe when the controller stopped while it ran and its
     * outcome is unknown} True for a module that reads before it writes and converges (a second run finds
     * the work done), or that attaches to the job it started (see {@link TaskContext#stepKey()}). A resumed
     * run repeats such a step; for any other the host is left NEEDS_ATTENTION (reliability.md INV-5).
     */
    default boolean safeToRepeat() {
        return false;
    }

    TaskResult run(TaskContext context, Args args) throws TransportException;
}
