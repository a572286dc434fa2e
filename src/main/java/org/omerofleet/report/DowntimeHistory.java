package org.omerofleet.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the run history says about how long upgrades take, as the {@code downtime_history} variable the
 * {@code omero_plan} module predicts from:
 *
 * <pre>
 * { "hosts": { "omero1": { "dump_bps", "verify_bps", "db_upgrade_bps", "stop_ms", "switch_ms", "start_ms", "outside_ms",
 *                          "dump_rehearsal_factor", "verify_rehearsal_factor", "db_upgrade_rehearsal_factor",
 *                          "rehearsal_ms": { "dump", "verify", "upgrade" } } },
 *   "fleet": { "dump_bps", ... "outside_ms" } }
 * </pre>
 *
 * Each figure is the median over the runs that measured it: a successful upgrade's {@code downtime_actual}
 * (its phases, and the database size {@code plan_downtime} recorded before the stop) and successful
 * rehearsals ({@code rehearsal_phases_ms} over {@code rehearsal_db_size}; verify is the backup step's time after the dump,
 * {@code rehearsal_backup_ms}, where recorded). {@code rehearsal_ms} is the host's newest successful rehearsal up to the
 * target schema. A {@code *_rehearsal_factor} is actual over rehearsed time of an upgrade whose prediction came from a
 * rehearsal ({@code rehearsed_ms} in its {@code plan_downtime}). Check runs do not count.
 */
final class DowntimeHistory {

    private final Map<String, Map<String, List<Double>>> hosts = new LinkedHashMap<>();
    private final Map<String, List<Double>> fleet = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> rehearsals = new LinkedHashMap<>();

    /** Read {@code runs}, newest first. */
    DowntimeHistory(List<JsonNode> runs, String targetSchema) {
        for (JsonNode run : runs) {
            if (run.path("check").asBoolean(false)) {
                continue;
            }
            for (JsonNode h : run.path("hosts")) {
                read(h, targetSchema);
            }
        }
    }

    private void read(JsonNode h, String targetSchema) {
        String host = h.path("host").asText();
        JsonNode r = h.path("report");
        JsonNode actual = r.path("downtime_actual");
        long size = r.path("plan_downtime").path("db_size").asLong(-1);
        // an upgrade's only: a restore also stops and starts the server, but what lies between is not an upgrade's
        if (h.path("state").asText().equals("SUCCEEDED") && actual.isObject() && r.path("plan_downtime").isObject()) {
            JsonNode phases = actual.path("phases_ms");
            for (String phase : List.of("stop", "switch", "start")) {
                add(host, phase + "_ms", phases.path(phase).asDouble(-1));
            }
            add(host, "outside_ms", actual.path("outside_ms").asDouble(-1));
            for (String phase : List.of("dump", "verify", "db_upgrade")) {
                throughput(host, phase, size, phases.path(phase).asLong(0));
                long rehearsed = r.path("plan_downtime").path("phases").path(phase).path("rehearsed_ms").asLong(0);
                long real = phases.path(phase).asLong(0);
                if (rehearsed > 0 && real > 0) {
                    add(host, phase + "_rehearsal_factor", (double) real / rehearsed);
                }
            }
        }
        if (r.path("rehearsal_ok").asBoolean(false) && r.path("rehearsal_phases_ms").isObject()) {
            Map<String, Object> ms = new LinkedHashMap<>();
            r.path("rehearsal_phases_ms").fields().forEachRemaining(e -> ms.put(e.getKey(), e.getValue().asLong()));
            // the whole backup step, as the upgrade's verify phase counts it: everything in the step after the dump
            if (r.path("rehearsal_backup_ms").asLong(0) > 0 && ms.get("dump") instanceof Long dump) {
                ms.put("verify", Math.max(0, r.path("rehearsal_backup_ms").asLong() - dump));
            }
            long rehearsed = r.path("rehearsal_db_size").asLong(-1);
            throughput(host, "dump", rehearsed, (Long) ms.getOrDefault("dump", 0L));
            throughput(host, "verify", rehearsed, (Long) ms.getOrDefault("verify", 0L));
            throughput(host, "db_upgrade", rehearsed, (Long) ms.getOrDefault("upgrade", 0L));
            if (r.path("rehearsal_target").asText("").equals(targetSchema) && !rehearsals.containsKey(host)) {
                rehearsals.put(host, ms);
            }
        }
    }

    private void throughput(String host, String phase, long bytes, long millis) {
        if (bytes > 0 && millis > 0) {
            add(host, phase + "_bps", bytes * 1000.0 / millis);
        }
    }

    private void add(String host, String key, double value) {
        if (value < 0) {
            return;
        }
        hosts.computeIfAbsent(host, k -> new LinkedHashMap<>()).computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        fleet.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }

    /** {@return the model as plain maps and numbers} */
    Map<String, Object> model() {
        Map<String, Object> hostModels = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, List<Double>>> e : hosts.entrySet()) {
            hostModels.put(e.getKey(), medians(e.getValue()));
        }
        for (Map.Entry<String, Map<String, Object>> e : rehearsals.entrySet()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) hostModels.computeIfAbsent(e.getKey(), k -> new LinkedHashMap<String, Object>());
            m.put("rehearsal_ms", e.getValue());
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("hosts", hostModels);
        model.put("fleet", medians(fleet));
        return model;
    }

    private static Map<String, Object> medians(Map<String, List<Double>> values) {
        Map<String, Object> m = new LinkedHashMap<>();
        values.forEach((key, list) -> median(list).ifPresent(v -> m.put(key, key.endsWith("_ms") ? (Object) Math.round(v) : (Object) v)));
        return m;
    }

    /** {@return the median, the mean of the middle two for an even count; empty for none} */
    static Optional<Double> median(List<Double> values) {
        if (values.isEmpty()) {
            return Optional.empty();
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return Optional.of(n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2);
    }
}
