package org.omerofleet.playbook;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.omerofleet.input.SourcePosition;

/**
 * One play.
 *
 * @param serial             batch sizes: each an Integer or a percentage String such as {@code "25%"};
 *                           empty means one batch of every host; the last size repeats
 * @param maxFailPercentage  stop the play when failures in a batch exceed this share of the batch
 * @param order              inventory, reverse_inventory, sorted, reverse_sorted or shuffle
 * @param tags               the play's own {@code tags} (its tasks carry them too)
 * @param defaults           the {@code defaults} of the play's roles: below every other variable, inventory included
 */
public record Play(
        SourcePosition where,
        String name,
        String hosts,
        Map<String, Object> vars,
        List<Step> tasks,
        List<Task> handlers,
        List<Object> serial,
        boolean gatherFacts,
        Optional<Integer> maxFailPercentage,
        boolean anyErrorsFatal,
        boolean forceHandlers,
        String order,
        Set<String> tags,
        Map<String, Object> defaults) {

    /**
     * {@return a play built in code (ping, tests): these tasks on the hosts the pattern names, in inventory
     * order, without variables, handlers, batches, facts, tags or role defaults} The withers set the rest.
     */
    public static Play of(SourcePosition where, String name, String hosts, List<Step> tasks) {
        return new Play(where, name, hosts, Map.of(), tasks, List.of(), List.of(), false, Optional.empty(), false, false, "inventory",
                Set.of(), Map.of());
    }

    /** {@return this play with {@code vars} as its variables} */
    public Play withVars(Map<String, Object> vars) {
        return new Play(where, name, hosts, vars, tasks, handlers, serial, gatherFacts, maxFailPercentage, anyErrorsFatal, forceHandlers,
                order, tags, defaults);
    }

    /** {@return this play run in batches of {@code serial}, stopping past {@code maxFailPercentage}} */
    public Play withBatches(List<Object> serial, Optional<Integer> maxFailPercentage) {
        return new Play(where, name, hosts, vars, tasks, handlers, serial, gatherFacts, maxFailPercentage, anyErrorsFatal, forceHandlers,
                order, tags, defaults);
    }

    public Play {
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(hosts, "hosts");
        vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
        tasks = List.copyOf(tasks);
        handlers = List.copyOf(handlers);
        serial = List.copyOf(serial);
        Objects.requireNonNull(maxFailPercentage, "maxFailPercentage");
        Objects.requireNonNull(order, "order");
        tags = Collections.unmodifiableSet(new java.util.LinkedHashSet<>(tags));
        defaults = Collections.unmodifiableMap(new LinkedHashMap<>(defaults));
    }
}
