package org.omerofleet.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.omerofleet.result.HostOutcome;
import org.omerofleet.result.HostState;
import org.omerofleet.result.RunSummary;

/**
 * What runs where, one row per host of the inventory, from the facts {@code omero_facts} recorded
 * with {@code phase: report}: as an aligned table, JSON (schema 1), CSV, or one self-contained HTML page.
 * A host that could not be asked is a row that says so.
 */
public final class FleetReport {

    /** The columns, in order, with their JSON/CSV names. */
    private static final List<String> COLUMNS = List.of("host", "status", "release", "layout", "schema", "schema_source", "server", "postgresql",
            "java", "db_size", "install_free", "backup_free", "newest_backup", "backup_age", "drift", "off_target");

    /** The columns whose values may be long; the HTML table wraps them and no others. */
    private static final List<String> WRAPPED = List.of("status", "postgresql", "newest_backup", "drift", "off_target");

    private final List<Map<String, String>> rows = new ArrayList<>();
    private final Instant generated;
    private final FleetDrift drift;

    /** @param now the time ages are measured from */
    public FleetReport(RunSummary summary, Instant now) {
        this.generated = now;
        this.drift = new FleetDrift(summary.hosts());
        for (HostOutcome host : summary.hosts()) {
            Map<String, String> row = row(host, now);
            row.put("drift", drift.settingsColumn(host.host()));
            row.put("off_target", drift.targetColumn(host.host()));
            rows.add(row);
        }
    }

    private static Map<String, String> row(HostOutcome host, Instant now) {
        Map<String, String> row = new LinkedHashMap<>();
        COLUMNS.forEach(c -> row.put(c, ""));
        row.put("host", host.host());
        Object facts = host.report().get("omero");
        if (!(facts instanceof Map)) {
            row.put("status", host.state() == HostState.UNREACHABLE ? "UNREACHABLE: " + host.message() : "FAILED: " + host.message());
            return row;
        }
        Map<?, ?> f = (Map<?, ?>) facts;
        row.put("status", "ok");
        row.put("release", text(f.get("release")));
        row.put("layout", text(f.get("layout")) + (text(f.get("deployment")).isEmpty() ? "" : " " + text(f.get("deployment"))));
        row.put("schema", text(f.get("schema")));
        row.put("schema_source", text(f.get("schema_source")));
        row.put("server", Boolean.TRUE.equals(f.get("server_running")) ? "running" : "stopped");
        row.put("postgresql", text(f.get("pg_server")));
        row.put("java", text(f.get("java")));
        row.put("db_size", bytes(f.get("db_size")));
        row.put("install_free", bytes(f.get("install_free")));
        row.put("backup_free", bytes(f.get("backup_free")));
        row.put("newest_backup", text(f.get("newest_backup")));
        if (f.get("newest_backup_time") instanceof Number && ((Number) f.get("newest_backup_time")).longValue() > 0) {
            Duration age = Duration.between(Instant.ofEpochSecond(((Number) f.get("newest_backup_time")).longValue()), now);
            row.put("backup_age", age.toDays() > 0 ? age.toDays() + " d" : age.toHours() > 0 ? age.toHours() + " h" : age.toMinutes() + " min");
        }
        return row;
    }

    /** {@return the aligned terminal table, then the fleet's drift} */
    public String table() {
        List<String[]> lines = new ArrayList<>();
        lines.add(COLUMNS.stream().map(c -> c.toUpperCase(Locale.ROOT).replace('_', ' ')).toArray(String[]::new));
        for (Map<String, String> row : rows) {
            lines.add(COLUMNS.stream().map(c -> row.get(c).isEmpty() ? "-" : row.get(c)).toArray(String[]::new));
        }
        return PlanTable.align(lines) + "\n" + DriftText.table(drift);
    }

    /** {@return {@code {"schema": 1, "generated": ..., "hosts": [{column: value, ...}]}}} */
    public String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema", 1);
        root.put("generated", generated.toString());
        root.put("hosts", rows);
        root.put("drift", drift.json());
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the report", e);
        }
    }

    /** {@return RFC 4180 CSV with a header line} */
    public String csv() {
        StringBuilder b = new StringBuilder(String.join(",", COLUMNS)).append("\r\n");
        for (Map<String, String> row : rows) {
            b.append(String.join(",", COLUMNS.stream().map(c -> csvField(row.get(c))).toList())).append("\r\n");
        }
        return b.toString();
    }

    /** {@return one HTML page with no external resources: the fleet table and a bar chart of releases and schemas} */
    public String html() {
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>OMERO fleet report</title>\n<style>"
                + "body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse}th,td{padding:4px 8px;border-bottom:1px solid #ddd;"
                + "text-align:left;vertical-align:top;font-size:13px;white-space:nowrap}th{background:#f0f3f7;white-space:normal}"
                // headers and the long values wrap (a path after its slashes), the short values never: the table fits a laptop screen
                + "td.wrap{white-space:normal;overflow-wrap:anywhere}"
                + ".bad{color:#b00020;font-weight:bold}.bar{background:#3b7dd8;height:16px;display:inline-block}"
                + ".chart td{border:none}</style></head><body>\n<h1>OMERO fleet report</h1>\n<p>Generated " + esc(generated.toString()) + ", "
                + rows.size() + " hosts.</p>\n<h2>Releases and schemas</h2>\n<table class=\"chart\">\n");
        Map<String, Integer> counts = new TreeMap<>();
        rows.forEach(r -> counts.merge(r.get("release").isEmpty() ? "unknown" : r.get("release") + " / " + r.get("schema"), 1, Integer::sum));
        int most = counts.values().stream().max(Integer::compare).orElse(1);
        for (Map.Entry<String, Integer> c : counts.entrySet()) {
            b.append("<tr><td>").append(esc(c.getKey())).append("</td><td><span class=\"bar\" style=\"width:").append(400 * c.getValue() / most)
                    .append("px\"></span> ").append(c.getValue()).append("</td></tr>\n");
        }
        b.append("</table>\n").append(DriftText.html(drift)).append("<h2>Hosts</h2>\n<table>\n<tr>");
        COLUMNS.forEach(c -> b.append("<th>").append(esc(c.replace('_', ' '))).append("</th>"));
        b.append("</tr>\n");
        for (Map<String, String> row : rows) {
            b.append("<tr>");
            for (String c : COLUMNS) {
                boolean noBackup = c.equals("newest_backup") && row.get(c).isEmpty() && row.get("status").equals("ok");
                boolean bad = c.equals("status") && !row.get(c).equals("ok") || c.equals("server") && row.get(c).equals("stopped") || noBackup
                        || (c.equals("drift") || c.equals("off_target")) && !row.get(c).isEmpty();
                String classes = ((bad ? " bad" : "") + (WRAPPED.contains(c) ? " wrap" : "")).strip();
                String text = noBackup ? "none" : c.equals("newest_backup") ? esc(row.get(c)).replace("/", "/<wbr>") : esc(row.get(c));
                b.append(classes.isEmpty() ? "<td>" : "<td class=\"" + classes + "\">").append(text).append("</td>");
            }
            b.append("</tr>\n");
        }
        return b.append("</table>\n</body></html>\n").toString();
    }

    private static String csvField(String value) {
        return value.matches(".*[,\"\r\n].*") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }

    /** Escape text for HTML element content and double-quoted attributes (shared with {@link RunTimelineHtml}). */
    static String esc(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String text(Object value) {
        return value == null ? "" : String.valueOf(value);
    }

    private static String bytes(Object value) {
        if (!(value instanceof Number) || ((Number) value).longValue() < 0) {
            return "";
        }
        double v = ((Number) value).doubleValue();
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? String.format(Locale.ROOT, "%.0f B", v) : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
