package org.omerofleet.executor;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.omerofleet.playbook.Block;
import org.omerofleet.playbook.Include;
import org.omerofleet.playbook.Step;
import org.omerofleet.playbook.Task;

/**
 * Walk one host through a play's task tree, following Ansible's block rules: a failure inside
 * {@code block} moves to {@code rescue}; {@code always} runs either way; a completed rescue clears
 * the failure; a failure with no rescue runs {@code always} and then propagates outward.
 *
 * <p>Not thread-safe: each host has its own iterator, driven by one thread at a time.
 */
final class HostIterator {

    private enum Kind { ROOT, BLOCK, RESCUE, ALWAYS, INCLUDE }

    static final class Frame {
        final List<Step> steps;
        final Kind kind;
        final Block owner;
        final boolean pendingFailure;
        /** an include's loop variables for this pass through its tasks (empty for other frames) */
        final Map<String, Object> vars;
        /** the pass this include frame makes, shared by the hosts that include the same file (null for other frames) */
        Pass pass;
        int index;

        Frame(List<Step> steps, Kind kind, Block owner, boolean pendingFailure) {
            this(steps, kind, owner, pendingFailure, Map.of());
        }

        Frame(List<Step> steps, Kind kind, Block owner, boolean pendingFailure, Map<String, Object> vars) {
            this.steps = steps;
            this.kind = kind;
            this.owner = owner;
            this.pendingFailure = pendingFailure;
            this.vars = vars;
        }
    }

    private final Deque<Frame> stack = new ArrayDeque<>();
    private boolean failed;
    /** The include whose task {@link #next()} returned last, if it returned one. */
    private Include lastInclude;

    HostIterator(List<Step> tasks) {
        stack.push(new Frame(tasks, Kind.ROOT, null, false));
    }

    /** {@return the next task to run, or empty when the host is done (finished or failed)} */
    Optional<Task> next() {
        while (true) {
            advance();
            if (stack.isEmpty()) {
                return Optional.empty();
            }
            Frame top = stack.peek();
            Step step = top.steps.get(top.index++);
            lastInclude = step instanceof Include include ? include : null;
            if (lastInclude != null) {
                return Optional.of(lastInclude.task());
            }
            if (step instanceof Block) {
                Block block = (Block) step;
                stack.push(new Frame(block.block(), Kind.BLOCK, block, false));
                continue;
            }
            return Optional.of((Task) step);
        }
    }

    /**
     * Close every section that has run to its end: a finished block or rescue moves on to its
     * {@code always}; a finished {@code always} that ran after a failure passes the failure on outward, so
     * that right after the last task of such a section {@link #failed()} already tells whether the host
     * failed for good.
     */
    void advance() {
        while (!stack.isEmpty() && stack.peek().index >= stack.peek().steps.size()) {
            Frame top = stack.pop();
            switch (top.kind) {
                case BLOCK:
                case RESCUE:
                    pushAlways(top.owner, false);
                    break;
                case ALWAYS:
                    if (top.pendingFailure) {
                        unwind();
                    }
                    break;
                case ROOT:
                default:
                    break;
            }
        }
    }

    /**
     * The include task just returned by {@link #next()} ran on this host: its tasks come next, once for each
     * entry of {@code passes} in order (one entry per loop item that ran, holding that item's loop variables;
     * a single empty entry for an include without a loop).
     */
    void enterInclude(List<Map<String, Object>> passes) {
        List<Step> steps = lastInclude == null ? List.of() : lastInclude.steps();
        enter(passes.stream().map(vars -> new Pass(vars, steps)).toList());
    }

    /**
     * One pass through the tasks an include runs.
     *
     * @param vars  the loop variables of the item that made this pass (empty without a loop)
     * @param steps the tasks: those of the include, or of the file this pass named when the name is a template
     */
    record Pass(Map<String, Object> vars, List<Step> steps) {
    }

    /** The include task just returned by {@link #next()} ran on this host: {@code passes} come next, in order. */
    void enter(List<Pass> passes) {
        for (int i = passes.size() - 1; i >= 0; i--) {
            if (!passes.get(i).steps().isEmpty()) {
                Map<String, Object> vars = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(passes.get(i).vars()));
                Frame frame = new Frame(passes.get(i).steps(), Kind.INCLUDE, null, false, vars);
                frame.pass = passes.get(i);
                stack.push(frame);
            }
        }
        lastInclude = null;
    }

    /** Where the iterator stands: its frames, top first, with their positions; whether it failed; its last include. */
    record Position(List<Frame> frames, int[] indexes, boolean failed, Include lastInclude) {
    }

    /** {@return where the iterator stands now, to go back to with {@link #restore}} */
    Position position() {
        List<Frame> frames = new java.util.ArrayList<>(stack);
        return new Position(frames, frames.stream().mapToInt(f -> f.index).toArray(), failed, lastInclude);
    }

    /** Go back to {@code position}: the task {@link #next()} returned since was not run, and will be asked for again. */
    void restore(Position position) {
        stack.clear();
        for (int i = 0; i < position.frames().size(); i++) {
            position.frames().get(i).index = position.indexes()[i];
            stack.addLast(position.frames().get(i));
        }
        failed = position.failed();
        lastInclude = position.lastInclude();
    }

    /** {@return the included file the task {@link #next()} returned last comes from: the innermost include's pass, or null} */
    Object file() {
        for (Frame frame : stack) {
            if (frame.kind == Kind.INCLUDE) {
                return frame.pass;
            }
        }
        return null;
    }

    /** {@return the dynamic include whose task {@link #next()} returned last, if that task was one and has not been entered} */
    Optional<Include> lastInclude() {
        return Optional.ofNullable(lastInclude);
    }

    /**
     * {@return the loop variables of the includes the host is inside, the innermost's winning} The tasks
     * an include runs see its loop variable, as in Ansible.
     */
    Map<String, Object> includeVars() {
        Map<String, Object> vars = new LinkedHashMap<>();
        for (java.util.Iterator<Frame> it = stack.descendingIterator(); it.hasNext(); ) {
            vars.putAll(it.next().vars);
        }
        return vars;
    }

    /** Record that the task just returned by {@link #next()} failed on this host. */
    void fail() {
        unwind();
    }

    /**
     * {@return whether the host failed with no rescue left to catch it} Right after {@link #fail()} this is
     * false while an {@code always} section still has to run; the failure becomes final when the
     * {@link #next()} after that section finds nothing to catch it.
     */
    boolean failed() {
        return failed;
    }

    /**
     * {@return whether a failure of the task just returned would be caught by a rescue} True when the task
     * lies, at any depth, in the {@code block} section of a block that has a {@code rescue} (Ansible counts
     * such a failure as rescued, not failed).
     */
    boolean caughtByRescue() {
        return stack.stream().anyMatch(f -> f.kind == Kind.BLOCK && !f.owner.rescue().isEmpty());
    }

    /** {@return whether the host is running a rescue or always section (any_errors_fatal lets it finish)} */
    boolean recovering() {
        return stack.stream().anyMatch(f -> f.kind == Kind.RESCUE || f.kind == Kind.ALWAYS);
    }

    /** {@return whether no task is left (the host finished, failed, or was abandoned)} */
    boolean done() {
        advance();
        return stack.isEmpty();
    }

    /** Stop the host without failing it: nothing more runs, not even always sections (unreachable host, meta: end_host). */
    void abandon() {
        stack.clear();
    }

    private void unwind() {
        while (!stack.isEmpty()) {
            Frame frame = stack.pop();
            switch (frame.kind) {
                case BLOCK:
                    if (!frame.owner.rescue().isEmpty()) {
                        stack.push(new Frame(frame.owner.rescue(), Kind.RESCUE, frame.owner, false));
                        return;
                    }
                    if (pushAlways(frame.owner, true)) {
                        return;
                    }
                    break;
                case RESCUE:
                    if (pushAlways(frame.owner, true)) {
                        return;
                    }
                    break;
                case ALWAYS:
                case INCLUDE:
                    break;
                case ROOT:
                default:
                    stack.clear();
                    failed = true;
                    return;
            }
        }
        failed = true;
    }

    private boolean pushAlways(Block block, boolean pendingFailure) {
        if (block.always().isEmpty()) {
            return false;
        }
        stack.push(new Frame(block.always(), Kind.ALWAYS, block, pendingFailure));
        return true;
    }
}
