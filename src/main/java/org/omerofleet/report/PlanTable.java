package org.omerofleet.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.omerofleet.result.HostOutcome;
import org.omerofleet.result.RunSummary;

/**
 * Render what {@code omero_plan} recorded per host as an aligned table: current and target release
 * and schema, whether the database needs upgrading and with which scripts, and the blockers.
 */
public final class PlanTable {

    private PlanTable() {
    }

    /** {@return the table, one row per host, then the scripts and blockers of each host below it} */
    public static String render(RunSummary summary) {
        return render(summary, List.of(), 5);
    }

    /**
     * {@return the table, one row per host, then the scripts, blockers and predicted downtime of each host below it,
     * then the fleet's predicted wall time with {@code serial} batches and {@code forks}}
     */
    public static String render(RunSummary summary, List<Object> serial, int forks) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"HOST", "RELEASE", "SCHEMA", "TARGET", "TARGET SCHEMA", "DB UPGRADE", "STATUS", "DOWNTIME"});
        StringBuilder notes = new StringBuilder();
        for (HostOutcome host : summary.hosts()) {
            Map<String, Object> r = host.report();
            String status;
            if (!r.containsKey("plan_target")) {
                status = host.state() + ": " + host.message();
            } else if (!list(r.get("plan_blockers")).isEmpty() || r.containsKey("precheck_blocker") || r.containsKey("rehearsal_blocker")) {
                status = "BLOCKED";
            } else if (Boolean.TRUE.equals(r.get("plan_up_to_date"))) {
                status = "up to date";
            } else {
                status = "ready";
            }
            rows.add(new String[] {host.host(), text(r.get(Columns.RELEASE_BEFORE)), text(r.get(Columns.SCHEMA_BEFORE)), text(r.get("plan_target")),
                text(r.get("plan_target_schema")), r.containsKey("plan_db_upgrade") ? (Boolean.TRUE.equals(r.get("plan_db_upgrade")) ? "yes" : "no") : "-",
                status, !status.equals("BLOCKED") && r.get("plan_downtime") instanceof Map<?, ?> d ? duration(DowntimeActual.number(d.get("downtime_ms"))) : "-"});
            for (Object script : list(r.get("plan_scripts"))) {
                notes.append(host.host()).append(": would run ").append(script).append('\n');
            }
            for (Object blocker : list(r.get("plan_blockers"))) {
                notes.append(host.host()).append(": BLOCKER ").append(blocker).append('\n');
            }
            if (r.containsKey("precheck_blocker")) {
                notes.append(host.host()).append(": BLOCKER ").append(r.get("precheck_blocker")).append('\n');
            } else if (r.containsKey("precheck")) {
                notes.append(host.host()).append(": ").append(r.get("precheck")).append('\n');
            }
            if (r.containsKey("rehearsal_blocker")) {
                notes.append(host.host()).append(": BLOCKER ").append(r.get("rehearsal_blocker")).append('\n');
            } else if (r.get("rehearsal_phases_ms") instanceof Map<?, ?> phases && !phases.isEmpty()) {
                notes.append(host.host()).append(": rehearsed:").append(phases(phases)).append('\n');
            }
            for (Object script : list(r.get("scripts_added"))) {
                notes.append(host.host()).append(": local script added: lib/scripts/").append(script).append('\n');
            }
            for (Object script : list(r.get("scripts_modified"))) {
                notes.append(host.host()).append(": local script modified: lib/scripts/").append(script).append('\n');
            }
            if (r.containsKey("scripts_note")) {
                notes.append(host.host()).append(": note: ").append(r.get("scripts_note")).append('\n');
            }
            for (Object note : list(r.get("plan_notes"))) {
                notes.append(host.host()).append(": note: ").append(note).append('\n');
            }
            for (Object warning : list(r.get("plan_warnings"))) {
                notes.append(host.host()).append(": warning: ").append(warning).append('\n');
            }
            if (!status.equals("BLOCKED") && r.get("plan_downtime") instanceof Map<?, ?> d) {
                notes.append(host.host()).append(": ").append(downtime(d)).append('\n');
            }
        }
        String fleet = predictions(summary).values().stream().anyMatch(java.util.Objects::nonNull) ? fleet(summary, serial, forks) : "";
        return align(rows) + (notes.length() == 0 ? "" : "\n" + notes) + fleet;
    }

    /** {@return each host, in order, to its {@code plan_downtime}, or to null for a host the upgrade would not touch} */
    public static Map<String, Map<?, ?>> predictions(RunSummary summary) {
        Map<String, Map<?, ?>> hosts = new java.util.LinkedHashMap<>();
        for (HostOutcome host : summary.hosts()) {
            Map<String, Object> r = host.report();
            boolean blocked = !list(r.get("plan_blockers")).isEmpty() || r.containsKey("precheck_blocker") || r.containsKey("rehearsal_blocker");
            hosts.put(host.host(), !blocked && r.get("plan_downtime") instanceof Map<?, ?> d ? d : null);
        }
        return hosts;
    }

    private static String fleet(RunSummary summary, List<Object> serial, int forks) {
        FleetForecast f = FleetForecast.of(predictions(summary), serial, forks);
        return "\nfleet: predicted wall time " + duration(f.totalMs()) + " in " + f.batches() + (f.batches() == 1 ? " batch" : " batches")
                + " (" + (serial.isEmpty() ? "no --serial" : "--serial " + serial.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")))
                + ", --forks " + forks + "); longest batch " + f.longestBatch() + ": " + duration(f.longestBatchMs()) + "\n";
    }

    /** {@return "downtime 1m05s = stop 15.0 s (default) + dump 2.1 s (rehearsal) + ...; outside the downtime 30.0 s (default)"} */
    static String downtime(Map<?, ?> d) {
        StringBuilder b = new StringBuilder("predicted downtime ").append(duration(DowntimeActual.number(d.get("downtime_ms")))).append(" =");
        if (d.get("phases") instanceof Map<?, ?> phases) {
            String sep = " ";
            for (Map.Entry<?, ?> e : phases.entrySet()) {
                if (e.getValue() instanceof Map<?, ?> p) {
                    b.append(sep).append(e.getKey()).append(' ').append(duration(DowntimeActual.number(p.get("ms")))).append(" (").append(p.get("source")).append(')');
                    sep = " + ";
                }
            }
        }
        if (d.get("outside") instanceof Map<?, ?> o) {
            b.append("; outside the downtime ").append(duration(DowntimeActual.number(o.get("ms")))).append(" (").append(o.get("source")).append(')');
        }
        return b.toString();
    }

    /** {@return a duration as {@code 0.4 s}, {@code 12.3 s}, {@code 4m05s} or {@code 2h03m}} */
    public static String duration(long ms) {
        if (ms < 60_000) {
            return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long s = Math.round(ms / 1000.0);
        return s < 3600 ? String.format(java.util.Locale.ROOT, "%dm%02ds", s / 60, s % 60)
                : String.format(java.util.Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }

    /**
     * {@return the state to print for a host after a plan run: a host the plan would upgrade ends the run
     * unchanged (UP_TO_DATE to the executor), but it is not up to date: WOULD_UPGRADE}
     */
    public static String stateLabel(HostOutcome host) {
        Map<String, Object> r = host.report();
        if (host.state() == org.omerofleet.result.HostState.UP_TO_DATE && Boolean.FALSE.equals(r.get("plan_up_to_date"))
                && list(r.get("plan_blockers")).isEmpty() && !r.containsKey("precheck_blocker") && !r.containsKey("rehearsal_blocker")) {
            return "WOULD_UPGRADE";
        }
        return host.state().name();
    }

    /** {@return the phase times as {@code  dump 1.2 s, verify 0.3 s, ...}; a phase the host could not time is {@code ?}} */
    static String phases(Map<?, ?> phases) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<?, ?> e : phases.entrySet()) {
            long ms = e.getValue() instanceof Number n ? n.longValue() : -1;
            b.append(b.length() == 0 ? " " : ", ").append(e.getKey()).append(' ')
                    .append(ms < 0 ? "?" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0));
        }
        return b.toString();
    }

    static String align(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                b.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String text(Object value) {
        return value == null || String.valueOf(value).isEmpty() ? "-" : String.valueOf(value);
    }

    private static List<?> list(Object value) {
        return value instanceof List ? (List<?>) value : List.of();
    }
}
