package org.omerofleet.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The fleet's drift ({@link FleetDrift}) as the sections that follow the host table: terminal text and HTML. */
final class DriftText {

    private DriftText() {
    }

    /** {@return the drift as aligned text: the settings that differ, the per-host settings, the hosts off their target} */
    static String table(FleetDrift drift) {
        StringBuilder b = new StringBuilder("Fleet drift (settings of etc/grid/config.xml):\n");
        if (drift.settings().isEmpty()) {
            b.append("no host differs from the fleet's value of any omero.* setting\n");
        } else {
            List<String[]> lines = new ArrayList<>();
            lines.add(new String[] {"SETTING", "FLEET VALUE", "HOST", "HOST VALUE"});
            for (FleetDrift.Setting s : drift.settings()) {
                s.differing().forEach((host, value) -> lines.add(new String[] {s.name(), oneLine(s.fleetValue()), host, oneLine(value)}));
            }
            b.append(PlanTable.align(lines));
        }
        if (!drift.perHost().isEmpty()) {
            b.append("set differently on every host (no fleet value): ").append(String.join(", ", drift.perHost())).append('\n');
        }
        b.append("\nRelease and schema against the inventory's target (omero_target_release, omero_target_schema):\n");
        if (drift.offTarget().isEmpty()) {
            b.append(drift.withTarget() == 0 ? "no host has a target\n" : "every host with a target runs it\n");
        } else {
            List<String[]> lines = new ArrayList<>();
            lines.add(new String[] {"HOST", "RELEASE", "TARGET RELEASE", "SCHEMA", "TARGET SCHEMA"});
            for (FleetDrift.OffTarget t : drift.offTarget()) {
                lines.add(new String[] {t.host(), dash(t.release()), dash(t.targetRelease()), dash(t.schema()), dash(t.targetSchema())});
            }
            b.append(PlanTable.align(lines));
        }
        return b.toString();
    }

    /** {@return the drift as an HTML section, values that differ in red} */
    static String html(FleetDrift drift) {
        StringBuilder b = new StringBuilder("<h2>Fleet drift</h2>\n");
        if (drift.settings().isEmpty()) {
            b.append("<p id=\"no-drift\">No host differs from the fleet's value of any <code>omero.*</code> setting.</p>\n");
        } else {
            b.append("<table id=\"drift\">\n<tr><th>setting</th><th>fleet value</th><th>host</th><th>host value</th></tr>\n");
            for (FleetDrift.Setting s : drift.settings()) {
                for (Map.Entry<String, String> d : s.differing().entrySet()) {
                    b.append("<tr><td>").append(FleetReport.esc(s.name())).append("</td><td class=\"wrap\">").append(FleetReport.esc(s.fleetValue()))
                            .append("</td><td>").append(FleetReport.esc(d.getKey())).append("</td><td class=\"bad wrap\">")
                            .append(FleetReport.esc(d.getValue())).append(s.secret() ? " (secret, not the fleet's)" : "").append("</td></tr>\n");
                }
            }
            b.append("</table>\n");
        }
        if (!drift.perHost().isEmpty()) {
            b.append("<p>Set differently on every host (no fleet value): ").append(FleetReport.esc(String.join(", ", drift.perHost()))).append(".</p>\n");
        }
        b.append("<h2>Release and schema against the target</h2>\n");
        if (drift.offTarget().isEmpty()) {
            b.append("<p id=\"on-target\">").append(drift.withTarget() == 0 ? "No host has a target (<code>omero_target_release</code>)."
                    : "Every host with a target runs it.").append("</p>\n");
        } else {
            b.append("<table id=\"off-target\">\n<tr><th>host</th><th>release</th><th>target release</th><th>schema</th><th>target schema</th></tr>\n");
            for (FleetDrift.OffTarget t : drift.offTarget()) {
                b.append("<tr><td>").append(FleetReport.esc(t.host())).append(cell(t.release(), t.releaseOff())).append(cell(t.targetRelease(), false))
                        .append(cell(t.schema(), t.schemaOff())).append(cell(t.targetSchema(), false)).append("</td></tr>\n");
            }
            b.append("</table>\n");
        }
        return b.toString();
    }

    private static String cell(String value, boolean bad) {
        return (bad ? "</td><td class=\"bad\">" : "</td><td>") + FleetReport.esc(value);
    }

    private static String dash(String value) {
        return value.isEmpty() ? "-" : value;
    }

    private static String oneLine(String value) {
        return value.replace("\n", "\\n");
    }
}
