package org.omerofleet.executor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.omerofleet.playbook.Loop;

/**
 * Turn a task's rendered loop value into its items, and give each item the variables Ansible gives it.
 */
final class LoopItems {

    private LoopItems() {
    }

    /** {@return the items of {@code rendered}, the loop's value after templating, by the rules of its keyword} */
    static List<Object> of(Loop loop, Object rendered) {
        switch (loop.keyword()) {
            case "loop":
                if (!(rendered instanceof List<?> list)) {
                    throw new IllegalArgumentException("Invalid data passed to 'loop', it requires a list, got this instead: " + rendered
                            + ". Hint: If you passed a list/dict of just one element, try adding wantlist=True to your lookup invocation "
                            + "or use q/query instead of lookup.");
                }
                return new ArrayList<>(list);
            case "with_items":
                return flattenOnce(rendered);
            case "with_dict":
                if (!(rendered instanceof Map<?, ?> map)) {
                    throw new IllegalArgumentException("with_dict expects a dict, got " + rendered);
                }
                List<Object> pairs = new ArrayList<>();
                map.forEach((k, v) -> {
                    Map<String, Object> pair = new LinkedHashMap<>();
                    pair.put("key", k);
                    pair.put("value", v);
                    pairs.add(pair);
                });
                return pairs;
            default: // with_list
                return rendered instanceof List<?> list ? new ArrayList<>(list) : rendered == null ? List.of() : List.of(rendered);
        }
    }

    /** with_items: a list's own lists give their elements (one level only), anything else is one item. */
    private static List<Object> flattenOnce(Object rendered) {
        List<Object> items = new ArrayList<>();
        if (rendered == null) {
            return items;
        }
        if (!(rendered instanceof List<?> list)) {
            items.add(rendered);
            return items;
        }
        for (Object element : list) {
            if (element instanceof List<?> inner) {
                items.addAll(inner);
            } else {
                items.add(element);
            }
        }
        return items;
    }

    /** {@return the variables of item {@code i}: the loop variable, the index variable, {@code ansible_loop} when extended} */
    static Map<String, Object> itemVars(Loop loop, List<Object> items, int i) {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put(loop.loopVar(), items.get(i));
        vars.put("ansible_loop_var", loop.loopVar());
        loop.indexVar().ifPresent(name -> {
            vars.put(name, i);
            vars.put("ansible_index_var", name);
        });
        if (loop.extended()) {
            Map<String, Object> info = new LinkedHashMap<>();
            int n = items.size();
            info.put("index", i + 1);
            info.put("index0", i);
            info.put("first", i == 0);
            info.put("last", i + 1 == n);
            info.put("length", n);
            info.put("revindex", n - i);
            info.put("revindex0", n - i - 1);
            info.put("allitems", items);
            if (i + 1 < n) {
                info.put("nextitem", items.get(i + 1));
            }
            if (i > 0) {
                info.put("previtem", items.get(i - 1));
            }
            vars.put("ansible_loop", info);
        }
        return vars;
    }

    /**
     * {@return the variables a looping include gives the tasks it includes for the item whose registered view
     * (as a loop's {@code results} holds it) is {@code view}} As in ansible-core 2.14: the loop variable, the
     * index variable and {@code ansible_loop}, but not {@code ansible_loop_var} nor {@code ansible_index_var}.
     */
    static Map<String, Object> includedVarsOf(Loop loop, Map<?, ?> view) {
        Map<String, Object> vars = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(List.of(loop.loopVar()));
        loop.indexVar().ifPresent(names::add);
        if (loop.extended()) {
            names.add("ansible_loop");
        }
        for (String name : names) {
            if (view.containsKey(name)) {
                vars.put(name, view.get(name));
            }
        }
        return vars;
    }
}
