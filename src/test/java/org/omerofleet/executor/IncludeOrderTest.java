package org.omerofleet.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.omerofleet.testing.Tasks.task;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.omerofleet.playbook.Task;

class IncludeOrderTest {

    private static final Task INCLUDE = task("inc", "include_tasks", Map.of("file", "t.yml"));

    private static List<Map<String, Object>> items(String... names) {
        return java.util.Arrays.stream(names).map(n -> Map.<String, Object>of("item", n)).toList();
    }

    @Test
    void aHostRunsItsItemsInTheOrderTheHostsBeforeItFirstIncludedThem() {
        IncludeOrder order = new IncludeOrder();

        assertEquals(items("a", "c"), order.order(INCLUDE, "h1", items("a", "c")));
        assertEquals(items("a", "c", "b"), order.order(INCLUDE, "h2", items("a", "b", "c")));
        assertEquals(items("c", "b", "d"), order.order(INCLUDE, "h3", items("b", "c", "d")));
    }

    @Test
    void anItemIncludedTwiceByOneHostRunsTwiceInItemOrder() {
        IncludeOrder order = new IncludeOrder();

        assertEquals(items("a", "b", "a"), order.order(INCLUDE, "h1", items("a", "b", "a")));
        assertEquals(items("a", "b"), order.order(INCLUDE, "h2", items("b", "a")));
    }

    @Test
    void eachIncludeTaskHasItsOwnOrder() {
        IncludeOrder order = new IncludeOrder();
        Task other = task("other", "include_tasks", Map.of("file", "u.yml"));

        order.order(INCLUDE, "h1", items("b", "a"));
        assertEquals(items("a", "b"), order.order(other, "h2", items("a", "b")));
    }
}
