package org.omerofleet.result;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Sum up a run: one outcome per host, in the order hosts first appeared.
 */
public record RunSummary(String runId, Path runDir, Path playbook, Path inventory, Instant started, Instant finished,
                         List<HostOutcome> hosts, boolean interrupted, boolean check) {

    public RunSummary {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(runDir, "runDir");
        Objects.requireNonNull(playbook, "playbook");
        hosts = List.copyOf(hosts);
    }

    public long count(HostState state) {
        return hosts.stream().filter(h -> h.state() == state).count();
    }
}
