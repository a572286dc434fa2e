package org.omerofleet.executor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.omerofleet.playbook.Task;

/**
 * The order in which one lockstep round's looping includes run their passes on each host, as ansible-core
 * 2.14's linear strategy orders them. Ansible makes one "included file" per include task and set of loop
 * variables, shared by every host whose result names it, in the order the hosts' results are read (here:
 * the batch's host order), and gives each host its included files in that shared order, not in its own item
 * order: when h1 includes items a and c and h2 includes a, b and c, h2 runs a, c, b.
 *
 * <p>One per round; not thread-safe (results are settled one host after another).
 */
final class IncludeOrder {

    private final Map<Task, List<Map<String, Object>>> seen = new IdentityHashMap<>();

    /** {@return {@code passes}, one host's passes through {@code include} in item order, in the round's shared order} */
    List<Map<String, Object>> order(Task include, List<Map<String, Object>> passes) {
        List<Map<String, Object>> shared = seen.computeIfAbsent(include, t -> new ArrayList<>());
        for (Map<String, Object> pass : passes) {
            if (!shared.contains(pass)) {
                shared.add(pass);
            }
        }
        List<Map<String, Object>> ordered = new ArrayList<>(passes);
        ordered.sort(Comparator.comparingInt(shared::indexOf));
        return ordered;
    }
}
