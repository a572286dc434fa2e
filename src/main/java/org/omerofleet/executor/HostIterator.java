package org.omerofleet.executor;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.omerofleet.playbook.Block;
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

    private enum Kind { ROOT, BLOCK, RESCUE, ALWAYS }

    private static final class Frame {
        final List<Step> steps;
        final Kind kind;
        final Block owner;
        final boolean pendingFailure;
        int index;

        Frame(List<Step> steps, Kind kind, Block owner, boolean pendingFailure) {
            this.steps = steps;
            this.kind = kind;
            this.owner = owner;
            this.pendingFailure = pendingFailure;
        }
    }

    private final Deque<Frame> stack = new ArrayDeque<>();
    private boolean failed;
    private int rescues;
    private boolean inRescue;

    HostIterator(List<Step> tasks) {
        stack.push(new Frame(tasks, Kind.ROOT, null, false));
    }

    /** {@return the next task to run, or empty when the host is done (finished or failed)} */
    Optional<Task> next() {
        while (!stack.isEmpty()) {
            Frame top = stack.peek();
            if (top.index < top.steps.size()) {
                Step step = top.steps.get(top.index++);
                if (step instanceof Block) {
                    Block block = (Block) step;
                    stack.push(new Frame(block.block(), Kind.BLOCK, block, false));
                    continue;
                }
                return Optional.of((Task) step);
            }
            stack.pop();
            switch (top.kind) {
                case BLOCK:
                    pushAlways(top.owner, false);
                    break;
                case RESCUE:
                    rescues++;
                    inRescue = false;
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
        return Optional.empty();
    }

    /** Record that the task just returned by {@link #next()} failed on this host. */
    void fail() {
        unwind();
    }

    /** {@return whether the host failed with no rescue left to catch it} */
    boolean failed() {
        return failed;
    }

    /** {@return how many rescue sections completed on this host} */
    int rescues() {
        return rescues;
    }

    /** {@return whether the host is inside a rescue section that has not completed} */
    boolean inRescue() {
        return inRescue;
    }

    /** Stop the host: nothing more runs, not even always sections (unreachable host). */
    void abandon() {
        stack.clear();
    }

    private void unwind() {
        while (!stack.isEmpty()) {
            Frame frame = stack.pop();
            switch (frame.kind) {
                case BLOCK:
                    if (!frame.owner.rescue().isEmpty()) {
                        inRescue = true;
                        stack.push(new Frame(frame.owner.rescue(), Kind.RESCUE, frame.owner, false));
                        return;
                    }
                    if (pushAlways(frame.owner, true)) {
                        return;
                    }
                    break;
                case RESCUE:
                    inRescue = false;
                    if (pushAlways(frame.owner, true)) {
                        return;
                    }
                    break;
                case ALWAYS:
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
