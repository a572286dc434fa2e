package org.omerofleet.result;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Describe how one host ended a run.
 *
 * @param host    inventory name
 * @param state   the one terminal state (reliability.md INV-3)
 * @param stats   Ansible's recap counters
 * @param message why the host ended where it did (the failing task's message, or empty)
 * @param report  fields modules contributed (release and schema before and after, backup path and SHA-256...)
 * @param steps   every task run on the host, in order, with timing
 */
public record HostOutcome(String host, HostState state, HostStats stats, String message, Map<String, Object> report,
                          List<StepRecord> steps) {

    public HostOutcome {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(stats, "stats");
        Objects.requireNonNull(message, "message");
        report = Collections.unmodifiableMap(new LinkedHashMap<>(report));
        steps = List.copyOf(steps);
    }
}
