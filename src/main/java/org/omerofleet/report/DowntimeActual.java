package org.omerofleet.report;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.omerofleet.result.HostOutcome;
import org.omerofleet.result.StepRecord;
import org.omerofleet.result.TaskResult;

/**
 * The downtime a host actually had in an upgrade, from its recorded step timings: from the start of the first
 * {@code omero_server} step that ran (the stop) to the end of the last one (the start, or the rescue's start of
 * the old server), split into the phases {@link PlanTable} shows the prediction in: stop, dump
 * ({@code backup_dump_ms} of the {@code pg_backup} step), verify (the rest of that step), db_upgrade (the
 * {@code omero_db_upgrade} steps), start, and switch (everything else inside the window). Steps before and
 * after the window add up to {@code outside_ms}.
 */
public final class DowntimeActual {

    static final String SERVER = "omero_server";

    private DowntimeActual() {
    }

    /** {@return the host's actual downtime, or empty when it never stopped its server} */
    public static Optional<Map<String, Object>> of(HostOutcome host) {
        List<StepRecord> steps = host.steps().stream().filter(s -> s.status() != TaskResult.Status.SKIPPED).toList();
        int first = -1;
        int last = -1;
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).module().equals(SERVER)) {
                first = first < 0 ? i : first;
                last = i;
            }
        }
        if (first < 0 || last == first) {
            return Optional.empty();
        }
        Instant from = steps.get(first).started();
        Instant to = end(steps.get(last));
        long window = Duration.between(from, to).toMillis();
        long backup = 0;
        long upgrade = 0;
        long outside = 0;
        for (int i = 0; i < steps.size(); i++) {
            StepRecord s = steps.get(i);
            if (i < first || i > last) {
                outside += s.elapsed().toMillis();
            } else if (s.module().equals("pg_backup")) {
                backup += s.elapsed().toMillis();
            } else if (s.module().equals("omero_db_upgrade")) {
                upgrade += s.elapsed().toMillis();
            }
        }
        long dump = backup == 0 ? 0 : Math.min(backup, number(host.report().get("backup_dump_ms")));
        long stop = steps.get(first).elapsed().toMillis();
        long start = steps.get(last).elapsed().toMillis();
        Map<String, Object> phases = new LinkedHashMap<>();
        phases.put("stop", stop);
        phases.put("dump", dump);
        phases.put("verify", backup - dump);
        phases.put("db_upgrade", upgrade);
        phases.put("switch", Math.max(0, window - stop - backup - upgrade - start));
        phases.put("start", start);
        Map<String, Object> actual = new LinkedHashMap<>();
        actual.put("downtime_ms", window);
        actual.put("outside_ms", outside);
        actual.put("phases_ms", phases);
        return Optional.of(actual);
    }

    /** {@return the host's report with its actual downtime added as {@code downtime_actual}, when it had one} */
    static Map<String, Object> withActual(HostOutcome host) {
        Optional<Map<String, Object>> actual = of(host);
        if (actual.isEmpty()) {
            return host.report();
        }
        Map<String, Object> report = new LinkedHashMap<>(host.report());
        report.put("downtime_actual", actual.get());
        return report;
    }

    /** {@return "downtime predicted 1m05s, actual 58.2s (-10%)", or empty without a prediction or an actual} */
    static Optional<String> comparison(HostOutcome host) {
        Optional<Map<String, Object>> actual = of(host);
        Object predicted = host.report().get("plan_downtime");
        if (actual.isEmpty() || !(predicted instanceof Map<?, ?> p)) {
            return Optional.empty();
        }
        long predictedMs = number(p.get("downtime_ms"));
        long actualMs = number(actual.get().get("downtime_ms"));
        String drift = predictedMs <= 0 ? "" : String.format(java.util.Locale.ROOT, " (%+.0f%%)", (actualMs - predictedMs) * 100.0 / predictedMs);
        return Optional.of("downtime predicted " + PlanTable.duration(predictedMs) + ", actual " + PlanTable.duration(actualMs) + drift);
    }

    private static Instant end(StepRecord step) {
        return step.started().plus(step.elapsed());
    }

    static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }
}
