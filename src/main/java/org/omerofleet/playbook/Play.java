package org.omerofleet.playbook;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.omerofleet.input.SourcePosition;
import java.util.Set;

/**
 * One play.
 *
 * @param serial             batch sizes: each an Integer or a percentage String such as {@code "25%"};
 *                           empty means one batch of every host; the last size repeats
 * @param maxFailPercentage  stop the play when failures in a batch exceed this share of the batch
 * @param order              inventory, reverse_inventory, sorted, reverse_sorted or shuffle
 * @param tags               the play's own {@code tags} (its tasks carry them too)
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
        Set<String> tags) {

    /** A play without tags of its own. */
    public Play(SourcePosition where, String name, String hosts, Map<String, Object> vars, List<Step> tasks, List<Task> handlers,
                List<Object> serial, boolean gatherFacts, Optional<Integer> maxFailPercentage, boolean anyErrorsFatal,
                boolean forceHandlers, String order) {
        this(where, name, hosts, vars, tasks, handlers, serial, gatherFacts, maxFailPercentage, anyErrorsFatal, forceHandlers, order,
                Set.of());
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
    }
}
