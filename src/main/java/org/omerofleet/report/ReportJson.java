package org.omerofleet.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.omerofleet.result.HostOutcome;
import org.omerofleet.result.HostState;
import org.omerofleet.result.RunSummary;
import org.omerofleet.result.StepRecord;

/**
 * Render a run summary as the documented {@code report.json} (schema version 1).
 *
 * <pre>
 * { "schema": 1, "run_id", "playbook", "started", "finished", "check", "interrupted", "exit_code",
 *   "totals": { "SUCCEEDED": n, ... },
 *   "hosts": [ { "host", "state", "message", "recovery" (NEEDS_ATTENTION only: commands to paste),
 *                "stats": { "ok", "changed", "unreachable", "failed", "skipped", "rescued", "ignored" },
 *                "report": { "release_before", "release_after", "schema_before", "schema_after",
 *                            "backup_path", "backup_sha256", ... },
 *                "steps": [ { "task", "module", "status", "started", "elapsed_ms", "message", "ignored" } ] } ] }
 * </pre>
 */
public final class ReportJson {

    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** {@return the report as pretty-printed JSON} */
    public String render(RunSummary summary, int exitCode) {
        return render(summary, exitCode, Map.of());
    }

    /** {@return the report as pretty-printed JSON, with {@code extra} top-level fields after the hosts (plan's {@code fleet_downtime})} */
    public String render(RunSummary summary, int exitCode, Map<String, Object> extra) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema", 1);
        root.put("run_id", summary.runId());
        root.put("playbook", summary.playbook().toString());
        root.put("started", summary.started().toString());
        root.put("finished", summary.finished().toString());
        root.put("check", summary.check());
        root.put("interrupted", summary.interrupted());
        root.put("exit_code", exitCode);
        Map<String, Object> totals = new LinkedHashMap<>();
        for (HostState state : HostState.values()) {
            totals.put(state.name(), summary.count(state));
        }
        root.put("totals", totals);
        List<Object> hosts = new ArrayList<>();
        for (HostOutcome host : summary.hosts()) {
            hosts.add(host(summary, host));
        }
        root.put("hosts", hosts);
        root.putAll(extra);
        try {
            return mapper.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the report", e);
        }
    }

    private static Map<String, Object> host(RunSummary summary, HostOutcome host) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("host", host.host());
        h.put("state", host.state().name());
        h.put("message", host.message());
        List<String> recovery = Recovery.lines(summary, host);
        if (!recovery.isEmpty()) {
            h.put("recovery", recovery);
        }
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("ok", host.stats().ok());
        stats.put("changed", host.stats().changed());
        stats.put("unreachable", host.stats().unreachable());
        stats.put("failed", host.stats().failed());
        stats.put("skipped", host.stats().skipped());
        stats.put("rescued", host.stats().rescued());
        stats.put("ignored", host.stats().ignored());
        h.put("stats", stats);
        h.put("report", DowntimeActual.withActual(host)); // the run history keeps predicted (plan_downtime) and actual downtime
        List<Object> steps = new ArrayList<>();
        for (StepRecord step : host.steps()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("task", step.task());
            s.put("module", step.module());
            s.put("status", step.status().name());
            s.put("started", step.started().toString());
            s.put("elapsed_ms", step.elapsed().toMillis());
            s.put("message", step.message());
            s.put("ignored", step.ignored());
            steps.add(s);
        }
        h.put("steps", steps);
        return h;
    }
}
