package org.omerofleet.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.omerofleet.testing.Tasks.block;
import static org.omerofleet.testing.Tasks.task;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.omerofleet.playbook.Step;
import org.omerofleet.playbook.Task;

class HostIteratorTest {

    /** Walk the iterator, failing the tasks named in {@code failing}; return the names run. */
    private static List<String> walk(HostIterator it, Set<String> failing) {
        List<String> ran = new ArrayList<>();
        for (Optional<Task> t = it.next(); t.isPresent(); t = it.next()) {
            ran.add(t.get().name());
            if (failing.contains(t.get().name())) {
                it.fail();
            }
        }
        return ran;
    }

    @Test
    void tasksRunInOrder() {
        HostIterator it = new HostIterator(List.of(task("a"), task("b"), task("c")));
        assertEquals(List.of("a", "b", "c"), walk(it, Set.of()));
        assertFalse(it.failed());
    }

    @Test
    void failureOutsideABlockStopsTheHost() {
        HostIterator it = new HostIterator(List.of(task("a"), task("b"), task("c")));
        assertEquals(List.of("a", "b"), walk(it, Set.of("b")));
        assertTrue(it.failed());
    }

    @Test
    void failureInBlockRunsRescueThenAlwaysAndTheHostGoesOn() {
        List<Step> tasks = List.of(block("b", List.of(task("b1"), task("b2"), task("b3")), List.of(task("r1")), List.of(task("al"))),
                task("after"));
        HostIterator it = new HostIterator(tasks);
        assertEquals(List.of("b1", "b2", "r1", "al", "after"), walk(it, Set.of("b2")));
        assertFalse(it.failed());
    }

    @Test
    void blockWithoutFailureSkipsRescueAndRunsAlways() {
        HostIterator it = new HostIterator(List.of(block("b", List.of(task("b1")), List.of(task("r1")), List.of(task("al")))));
        assertEquals(List.of("b1", "al"), walk(it, Set.of()));
        assertFalse(it.failed());
    }

    @Test
    void aFailureIsFinalRightAfterTheLastTaskOfItsAlwaysSection() {
        HostIterator it = new HostIterator(List.of(block("b", List.of(task("b1")), List.of(), List.of(task("a1"), task("a2"))), task("after")));
        assertEquals("b1", it.next().orElseThrow().name());
        assertFalse(it.caughtByRescue(), "a block with only always catches nothing");
        it.fail();
        assertFalse(it.failed(), "always runs first");
        assertEquals("a1", it.next().orElseThrow().name());
        assertTrue(it.recovering());
        assertEquals("a2", it.next().orElseThrow().name());
        it.advance();
        assertTrue(it.failed(), "nothing caught the failure once always is done");
    }

    @Test
    void aFailureAtAnyDepthUnderABlockWithRescueIsCaught() {
        List<Step> inner = List.of(block("inner", List.of(task("i1")), List.of(), List.of(task("ia"))));
        HostIterator it = new HostIterator(List.of(block("outer", inner, List.of(task("r1")), List.of())));
        assertEquals("i1", it.next().orElseThrow().name());
        assertTrue(it.caughtByRescue());
        it.fail();
        assertEquals("ia", it.next().orElseThrow().name());
        assertTrue(it.caughtByRescue(), "the inner always lies under the outer block too");
        assertEquals("r1", it.next().orElseThrow().name());
        assertFalse(it.caughtByRescue(), "a failure inside the rescue itself is not caught");
    }

    @Test
    void failureInRescueRunsAlwaysThenFailsTheHost() {
        List<Step> tasks = List.of(block("b", List.of(task("b1")), List.of(task("r1"), task("r2")), List.of(task("al"))), task("after"));
        HostIterator it = new HostIterator(tasks);
        assertEquals(List.of("b1", "r1", "al"), walk(it, Set.of("b1", "r1")));
        assertTrue(it.failed());
    }

    @Test
    void failureWithoutRescueRunsAlwaysThenPropagates() {
        List<Step> tasks = List.of(block("b", List.of(task("b1"), task("b2")), List.of(), List.of(task("al"))), task("after"));
        HostIterator it = new HostIterator(tasks);
        assertEquals(List.of("b1", "al"), walk(it, Set.of("b1")));
        assertTrue(it.failed());
    }

    @Test
    void innerFailureIsCaughtByTheOuterRescue() {
        List<Step> inner = List.of(block("inner", List.of(task("i1"), task("i2")), List.of(), List.of(task("inner-always"))));
        List<Step> tasks = List.of(block("outer", inner, List.of(task("outer-rescue")), List.of()), task("after"));
        HostIterator it = new HostIterator(tasks);
        assertEquals(List.of("i1", "inner-always", "outer-rescue", "after"), walk(it, Set.of("i1")));
        assertFalse(it.failed());
    }

    @Test
    void abandonedHostRunsNothingMore() {
        HostIterator it = new HostIterator(List.of(block("b", List.of(task("b1")), List.of(task("r")), List.of(task("al")))));
        assertEquals("b1", it.next().orElseThrow().name());
        it.abandon();
        assertTrue(it.next().isEmpty());
    }

    /** Walk the iterator, entering every include with {@code passes}; return each task run with the include variables it saw. */
    private static List<String> walkIncluding(HostIterator it, List<java.util.Map<String, Object>> passes, Set<String> failing) {
        List<String> ran = new ArrayList<>();
        for (Optional<Task> t = it.next(); t.isPresent(); t = it.next()) {
            ran.add(t.get().name() + it.includeVars());
            if (t.get().module().equals("include_tasks")) {
                it.enterInclude(passes);
            } else if (failing.contains(t.get().name())) {
                it.fail();
            }
        }
        return ran;
    }

    private static org.omerofleet.playbook.Include include(String name, List<Step> steps) {
        return new org.omerofleet.playbook.Include(task(name, "include_tasks", java.util.Map.of("file", "t.yml")), steps);
    }

    @Test
    void aLoopingIncludeRunsItsTasksOncePerPassEachWithItsLoopVariable() {
        HostIterator it = new HostIterator(List.of(include("inc", List.of(task("i1"), task("i2"))), task("after")));
        List<java.util.Map<String, Object>> passes = List.of(java.util.Map.of("svc", "a"), java.util.Map.of("svc", "b"));

        assertEquals(List.of("inc{}", "i1{svc=a}", "i2{svc=a}", "i1{svc=b}", "i2{svc=b}", "after{}"), walkIncluding(it, passes, Set.of()));
        assertFalse(it.failed());
    }

    @Test
    void aFailureInOnePassOfALoopingIncludeStopsThePassesLeft() {
        HostIterator it = new HostIterator(List.of(include("inc", List.of(task("i1"), task("i2"))), task("after")));
        List<java.util.Map<String, Object>> passes = List.of(java.util.Map.of("item", 1), java.util.Map.of("item", 2));

        assertEquals(List.of("inc{}", "i1{item=1}", "i2{item=1}"), walkIncluding(it, passes, Set.of("i2")));
        assertTrue(it.failed());
    }
}
