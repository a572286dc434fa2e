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
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"HOST", "RELEASE", "SCHEMA", "TARGET", "TARGET SCHEMA", "DB UPGRADE", "STATUS"});
        StringBuilder notes = new StringBuilder();
        for (HostOutcome host : summary.hosts()) {
            Map<String, Object> r = host.report();
            String status;
            if (!r.containsKey("plan_target")) {
                status = host.state() + ": " + host.message();
            } else if (!list(r.get("plan_blockers")).isEmpty()) {
                status = "BLOCKED";
            } else if (Boolean.TRUE.equals(r.get("plan_up_to_date"))) {
                status = "up to date";
            } else {
                status = "ready";
            }
            rows.add(new String[] {host.host(), text(r.get(Columns.RELEASE_BEFORE)), text(r.get(Columns.SCHEMA_BEFORE)), text(r.get("plan_target")),
                text(r.get("plan_target_schema")), r.containsKey("plan_db_upgrade") ? (Boolean.TRUE.equals(r.get("plan_db_upgrade")) ? "yes" : "no") : "-",
                status});
            for (Object script : list(r.get("plan_scripts"))) {
                notes.append(host.host()).append(": would run ").append(script).append('\n');
            }
            for (Object blocker : list(r.get("plan_blockers"))) {
                notes.append(host.host()).append(": BLOCKER ").append(blocker).append('\n');
            }
            for (Object warning : list(r.get("plan_warnings"))) {
                notes.append(host.host()).append(": warning: ").append(warning).append('\n');
            }
        }
        return align(rows) + (notes.length() == 0 ? "" : "\n" + notes);
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
