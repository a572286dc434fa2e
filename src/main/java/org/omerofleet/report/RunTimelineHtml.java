package org.omerofleet.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * One run as a self-contained HTML page (no external resources): totals, a row per host with its
 * state, release and schema change and backup, and a timeline of every host's steps with their
 * durations, read from the run's {@code report.json}.
 */
public final class RunTimelineHtml {

    private static final int WIDTH = 900;

    private RunTimelineHtml() {
    }

    /** {@return the page for the run in {@code runDir}} */
    public static String render(Path runDir) {
        JsonNode run;
        try {
            run = new ObjectMapper().readTree(runDir.resolve("report.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + runDir.resolve("report.json"), e);
        }
        Instant start = Instant.parse(run.path("started").asText());
        double total = Math.max(1, Duration.between(start, Instant.parse(run.path("finished").asText())).toMillis());
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>omero-fleet run ")
                .append(FleetReport.esc(run.path("run_id").asText())).append("</title>\n<style>body{font-family:sans-serif;margin:2em;color:#222}"
                + "table{border-collapse:collapse}th,td{padding:3px 8px;border-bottom:1px solid #ddd;text-align:left;font-size:13px}"
                + "th{background:#f0f3f7}.lane{position:relative;height:18px;width:" + WIDTH + "px;background:#fafafa}"
                + ".step{position:absolute;top:2px;height:14px;min-width:2px}.OK{background:#4caf50}.CHANGED{background:#ff9800}"
                + ".axis{position:relative;height:20px;width:" + WIDTH + "px;border-top:1px solid #888;font-size:11px;color:#555}"
                + ".tick{position:absolute;top:0;height:5px;border-left:1px solid #888}.tick span{position:absolute;top:5px;left:-20px;width:40px;"
                + "text-align:center}.FAILED{background:#d32f2f}.UNREACHABLE{background:#7b1fa2}.SKIPPED{background:#bdbdbd}"
                + ".state-SUCCEEDED,.state-UP_TO_DATE{color:#2e7d32}.state-FAILED_NO_CHANGE,.state-FAILED_ROLLED_BACK{color:#e65100}"
                + ".state-NEEDS_ATTENTION,.state-UNREACHABLE{color:#b00020;font-weight:bold}</style></head><body>\n");
        b.append("<h1>Run ").append(FleetReport.esc(run.path("run_id").asText())).append("</h1>\n<p>").append(FleetReport.esc(run.path("playbook").asText()))
                .append(", started ").append(FleetReport.esc(run.path("started").asText())).append(", ")
                .append(String.format(Locale.ROOT, "%.1f s", total / 1000)).append(", exit code ").append(run.path("exit_code").asInt())
                .append(run.path("interrupted").asBoolean() ? ", interrupted" : "").append(run.path("check").asBoolean() ? ", check mode" : "")
                .append(".</p>\n<h2>Hosts</h2>\n<table><tr><th>host</th><th>state</th><th>release</th><th>schema</th><th>backup</th><th>downtime predicted / actual</th><th>message</th></tr>\n");
        for (JsonNode h : run.path("hosts")) {
            JsonNode r = h.path("report");
            b.append("<tr><td>").append(FleetReport.esc(h.path("host").asText())).append("</td><td class=\"state-").append(FleetReport.esc(h.path("state").asText()))
                    .append("\">").append(FleetReport.esc(h.path("state").asText())).append("</td><td>").append(FleetReport.esc(change(r, "release")))
                    .append("</td><td>").append(FleetReport.esc(change(r, "schema"))).append("</td><td>").append(FleetReport.esc(r.path("backup_path").asText("")))
                    .append("</td><td>").append(FleetReport.esc(downtime(r))).append("</td><td>").append(FleetReport.esc(h.path("message").asText(""))).append("</td></tr>\n");
        }
        b.append("</table>\n<h2>Timeline</h2>\n<table>\n").append(axis(total));
        for (JsonNode h : run.path("hosts")) {
            b.append("<tr><td>").append(FleetReport.esc(h.path("host").asText())).append("</td><td><div class=\"lane\">");
            for (JsonNode step : h.path("steps")) {
                double at = Duration.between(start, Instant.parse(step.path("started").asText())).toMillis();
                double ms = step.path("elapsed_ms").asDouble();
                b.append(String.format(Locale.ROOT, "<div class=\"step %s\" style=\"left:%.1fpx;width:%.1fpx\" title=\"%s: %s, %.0f ms\"></div>",
                        FleetReport.esc(step.path("status").asText()), at / total * WIDTH, ms / total * WIDTH, FleetReport.esc(step.path("task").asText()),
                        FleetReport.esc(step.path("status").asText()), ms));
            }
            b.append("</div></td></tr>\n");
        }
        return b.append(axis(total)).append("</table>\n<p>Green ok, orange changed, red failed, purple unreachable, grey skipped; hover a step for its task"
                + " and duration.</p>\n</body></html>\n").toString();
    }

    /** {@return "1m05s / 58.2 s", "-" for a figure the run did not record, empty when it recorded neither} */
    static String downtime(JsonNode report) {
        JsonNode predicted = report.path("plan_downtime").path("downtime_ms");
        JsonNode actual = report.path("downtime_actual").path("downtime_ms");
        if (predicted.isMissingNode() && actual.isMissingNode()) {
            return "";
        }
        return (predicted.isNumber() ? PlanTable.duration(predicted.asLong()) : "-") + " / " + (actual.isNumber() ? PlanTable.duration(actual.asLong()) : "-");
    }

    /**
     * {@return a table row with the time axis: a tick and label every 1, 2 or 5 times a power of ten
     * milliseconds, whichever gives at most ten intervals over the run, from 0 at its start}
     */
    static String axis(double totalMs) {
        double step = tickStep(totalMs);
        StringBuilder b = new StringBuilder("<tr class=\"time-axis\"><td>time</td><td><div class=\"axis\">");
        for (double t = 0; t <= totalMs + 1e-6; t += step) {
            b.append(String.format(Locale.ROOT, "<div class=\"tick\" style=\"left:%.1fpx\"><span>%s</span></div>", t / totalMs * WIDTH, label(t, step)));
        }
        return b.append("</div></td></tr>\n").toString();
    }

    /** {@return the smallest of 1, 2 or 5 times a power of ten milliseconds that cuts {@code totalMs} into at most ten intervals} */
    static double tickStep(double totalMs) {
        double power = 1;
        while (true) {
            for (int m : new int[] {1, 2, 5}) {
                if (totalMs / (m * power) <= 10) {
                    return m * power;
                }
            }
            power *= 10;
        }
    }

    /** {@return {@code t} as {@code 20 ms}, {@code 1.5 s}, {@code 40 s} or {@code 2 min 30 s}, as precise as {@code step} needs} */
    static String label(double t, double step) {
        if (step < 100) {
            return String.format(Locale.ROOT, "%.0f ms", t);
        }
        if (step < 1000) {
            return String.format(Locale.ROOT, "%.1f s", t / 1000);
        }
        if (t < 60_000 || step < 60_000 && t < 600_000) {
            return String.format(Locale.ROOT, "%.0f s", t / 1000);
        }
        long s = Math.round(t / 1000);
        return s % 60 == 0 ? s / 60 + " min" : s / 60 + " min " + s % 60 + " s";
    }

    private static String change(JsonNode report, String what) {
        String before = report.path(what + "_before").asText("");
        String after = report.path(what + "_after").asText(before);
        return before.equals(after) ? before : before + " -> " + after;
    }
}
