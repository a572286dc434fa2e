package org.omerofleet.executor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /** One included file: an include's loop variables for one pass, and the hosts that make this pass. */
    private record Included(Object pass, Set<String> hosts) {
    }

    private final Map<Task, List<Included>> seen = new IdentityHashMap<>();

    /**
     * {@return {@code passes}, the passes {@code host} makes through {@code include} in item order, in the round's
     * shared order, each the object of the first host that made it (so that the hosts sharing an included file
     * hold the same object)} A host that includes the same item twice makes two passes, the second one a file of its own
     * after the first, as in Ansible. Two passes are the same included file when they are equal: the same loop
     * variables and, for an include whose file name is a template, the same file.
     */
    <T> List<T> order(Task include, String host, List<T> passes) {
        List<Included> shared = seen.computeIfAbsent(include, t -> new ArrayList<>());
        List<Integer> positions = new ArrayList<>();
        for (T pass : passes) {
            int at = -1;
            for (int i = 0; i < shared.size() && at < 0; i++) {
                if (shared.get(i).pass().equals(pass) && !shared.get(i).hosts().contains(host)) {
                    at = i;
                }
            }
            if (at < 0) {
                shared.add(new Included(pass, new HashSet<>()));
                at = shared.size() - 1;
            }
            shared.get(at).hosts().add(host);
            positions.add(at);
        }
        List<Integer> byPosition = new ArrayList<>();
        for (int i = 0; i < passes.size(); i++) {
            byPosition.add(i);
        }
        byPosition.sort(Comparator.comparingInt(positions::get));
        @SuppressWarnings("unchecked")
        List<T> ordered = byPosition.stream().map(i -> (T) shared.get(positions.get(i)).pass()).toList();
        return ordered;
    }

    /** {@return every included file of {@code include} this round, in shared order: the pass objects {@link #order} returned} */
    List<Object> files(Task include) {
        return seen.getOrDefault(include, List.of()).stream().map(Included::pass).toList();
    }
}
