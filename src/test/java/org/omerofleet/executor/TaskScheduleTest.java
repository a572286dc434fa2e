package org.omerofleet.executor;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.omerofleet.testing.Tasks.block;
import static org.omerofleet.testing.Tasks.task;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.omerofleet.playbook.Include;
import org.omerofleet.playbook.Step;
import org.omerofleet.playbook.Task;

class TaskScheduleTest {

    private static TaskSchedule.Slot slot(Task t) {
        return new TaskSchedule.Slot(t, null);
    }

    @Test
    void aHostBehindRunsFirstAndTheOthersWaitUntilItCatchesUp() {
        Task one = task("one");
        Task two = task("two");
        Task three = task("three");
        TaskSchedule schedule = new TaskSchedule(List.of(one, two, three));

        assertSame(one, schedule.choose(List.of(slot(two), slot(one))).task);
        assertSame(two, schedule.choose(List.of(slot(two), slot(two))).task);
        assertSame(three, schedule.choose(List.of(slot(three))).task);
    }

    @Test
    void aRescueComesAfterTheBlockTasksOfTheHostsThatDidNotFail() {
        Task a = task("a");
        Task b = task("b");
        Task rescue = task("rescue");
        Task after = task("after");
        TaskSchedule schedule = new TaskSchedule(List.<Step>of(block("blk", List.of(a, b), List.of(rescue), List.of()), after));

        assertSame(a, schedule.choose(List.of(slot(a), slot(a))).task);
        assertSame(b, schedule.choose(List.of(slot(rescue), slot(b))).task);
        assertSame(rescue, schedule.choose(List.of(slot(rescue), slot(after))).task);
        assertSame(after, schedule.choose(List.of(slot(after), slot(after))).task);
    }

    @Test
    void theTasksOfEachIncludedFileComeAfterTheIncludeInSharedOrderEachFileItsOwnCopy() {
        Task inc = task("inc", "include_tasks", Map.of("file", "f.yml"));
        Task inner = task("inner");
        Task after = task("after");
        TaskSchedule schedule = new TaskSchedule(List.<Step>of(new Include(inc, List.of(inner)), after));
        assertSame(inc, schedule.choose(List.of(slot(inc))).task);
        HostIterator.Pass a = new HostIterator.Pass(Map.of("item", "a"), List.of(inner));
        HostIterator.Pass b = new HostIterator.Pass(Map.of("item", "b"), List.of(inner));
        schedule.included(List.of(a, b));

        TaskSchedule.Slot inB = new TaskSchedule.Slot(inner, b);
        TaskSchedule.Slot inA = new TaskSchedule.Slot(inner, a);
        assertSame(a, schedule.choose(List.of(inB, inA)).file);
        assertSame(b, schedule.choose(List.of(inB, slot(after))).file);
        assertSame(after, schedule.choose(List.of(slot(after))).task);
    }

    @Test
    void aTaskBehindTheCursorIsFoundFromTheStartAgain() {
        Task one = task("one");
        Task two = task("two");
        TaskSchedule schedule = new TaskSchedule(List.of(one, two));

        assertSame(two, schedule.choose(List.of(slot(two))).task);
        assertSame(one, schedule.choose(List.of(slot(one))).task);
    }
}
