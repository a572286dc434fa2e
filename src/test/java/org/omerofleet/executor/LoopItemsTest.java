package org.omerofleet.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.omerofleet.playbook.Loop;

class LoopItemsTest {

    private static Loop loop(String keyword) {
        return new Loop(keyword, List.of(), "item", Optional.of("i"), Optional.empty(), Duration.ZERO, true);
    }

    @Test
    void withItemsFlattensOneLevelAndWithListDoesNot() {
        List<Object> nested = List.of("a", List.of("b", List.of("c")));

        assertEquals(List.of("a", "b", List.of("c")), LoopItems.of(loop("with_items"), nested));
        assertEquals(nested, LoopItems.of(loop("with_list"), nested));
        assertEquals(List.of("one"), LoopItems.of(loop("with_items"), "one"));
    }

    @Test
    void withDictGivesKeyAndValuePairsInOrder() {
        Map<String, Object> dict = new LinkedHashMap<>();
        dict.put("b", 2);
        dict.put("a", 1);

        assertEquals(List.of(Map.of("key", "b", "value", 2), Map.of("key", "a", "value", 1)), LoopItems.of(loop("with_dict"), dict));
    }

    @Test
    void loopOverSomethingOtherThanAListFailsAsInAnsible() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoopItems.of(loop("loop"), "abc"));

        assertTrue(e.getMessage().startsWith("Invalid data passed to 'loop', it requires a list"), e.getMessage());
    }

    @Test
    void eachItemHasItsIndexAndExtendedLoopInformation() {
        Map<String, Object> vars = LoopItems.itemVars(loop("loop"), List.of("x", "y", "z"), 1);

        assertEquals("y", vars.get("item"));
        assertEquals(1, vars.get("i"));
        @SuppressWarnings("unchecked")
        Map<String, Object> info = (Map<String, Object>) vars.get("ansible_loop");
        assertEquals(2, info.get("index"));
        assertEquals("x", info.get("previtem"));
        assertEquals("z", info.get("nextitem"));
        assertEquals(false, info.get("last"));
    }

    @Test
    void aLoopingIncludeGivesItsTasksTheItemTheIndexAndAnsibleLoopButNotTheLoopVarNames() {
        List<Object> items = List.of("a", "b");
        Map<String, Object> view = new LinkedHashMap<>(Map.of("changed", false, "skipped", false));
        view.putAll(LoopItems.itemVars(loop("loop"), items, 1));

        Map<String, Object> vars = LoopItems.includedVarsOf(loop("loop"), view);

        assertEquals(List.of("item", "i", "ansible_loop"), List.copyOf(vars.keySet()));
        assertEquals("b", vars.get("item"));
        assertEquals(1, vars.get("i"));
        assertEquals(true, ((Map<?, ?>) vars.get("ansible_loop")).get("last"));
    }
}
