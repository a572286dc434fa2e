package org.omerofleet.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.omerofleet.result.HostOutcome;

/**
 * Where the fleet drifts, from the facts {@code omero_facts} recorded with {@code phase: report}: per
 * {@code omero.*} setting of the hosts' config.xml, the fleet's value (the most common one; a host
 * without the setting counts as the value {@code (unset)}; a tie goes to the value of the first host
 * in inventory order) and the hosts that differ from it; and the hosts whose release or schema is not
 * the target their inventory gives ({@code omero_target_release}, {@code omero_target_schema}).
 *
 * <p>A setting whose value differs on every host (a database name or data directory per host) has no
 * fleet value and no drift: it is listed as set per host. Secret settings (pass, secret, key, token)
 * are compared by their digests and shown as {@code ********} only. Hosts that could not be asked
 * take no part.
 */
final class FleetDrift {

    static final String UNSET = "(unset)";
    private static final String MASK = "********";
    /** Prefix of a secret's compared value: a NUL never comes in a value read from a host, so no plain value looks like a digest. */
    private static final String DIGEST = "\u0000digest:";

    /**
     * One setting on which some hosts differ from the fleet.
     *
     * @param differing host to its value as shown (masked when secret), in inventory order
     */
    record Setting(String name, String fleetValue, boolean secret, Map<String, String> differing) {
    }

    /** A host whose release or schema is not its target; a target not given is empty. */
    record OffTarget(String host, String release, String targetRelease, String schema, String targetSchema) {

        boolean releaseOff() {
            return !targetRelease.isEmpty() && !targetRelease.equals(release);
        }

        boolean schemaOff() {
            return !targetSchema.isEmpty() && !targetSchema.equals(schema);
        }
    }

    /** What one host reported: its settings as shown, and what they are compared by (the digest for a secret). */
    private record HostSettings(String host, Map<String, String> shown, Map<String, String> compared) {
    }

    private final List<Setting> settings = new ArrayList<>();
    private final List<String> perHost = new ArrayList<>();
    private final List<OffTarget> offTarget = new ArrayList<>();
    private int withTarget;

    FleetDrift(List<HostOutcome> hosts) {
        List<HostSettings> asked = new ArrayList<>();
        for (HostOutcome host : hosts) {
            if (host.report().get("omero") instanceof Map<?, ?> facts) {
                asked.add(settingsOf(host.host(), facts));
                OffTarget t = new OffTarget(host.host(), text(facts.get("release")), text(facts.get("target_release")),
                        text(facts.get("schema")), text(facts.get("target_schema")));
                withTarget += t.targetRelease().isEmpty() && t.targetSchema().isEmpty() ? 0 : 1;
                if (t.releaseOff() || t.schemaOff()) {
                    offTarget.add(t);
                }
            }
        }
        Set<String> names = new TreeSet<>();
        asked.forEach(h -> names.addAll(h.shown().keySet()));
        names.forEach(name -> compare(name, asked));
    }

    private void compare(String name, List<HostSettings> asked) {
        Map<String, Integer> counts = new LinkedHashMap<>(); // in inventory order of first appearance: the tie-break
        asked.forEach(h -> counts.merge(h.compared().getOrDefault(name, UNSET), 1, Integer::sum));
        String fleet = counts.keySet().iterator().next();
        for (Map.Entry<String, Integer> c : counts.entrySet()) {
            if (c.getValue() > counts.get(fleet)) {
                fleet = c.getKey();
            }
        }
        if (counts.size() < 2) {
            return;
        }
        if (counts.get(fleet) == 1) {
            perHost.add(name);
            return;
        }
        Map<String, String> differing = new LinkedHashMap<>();
        String fleetShown = UNSET;
        boolean secret = false;
        for (HostSettings h : asked) {
            String shown = h.shown().getOrDefault(name, UNSET);
            secret |= h.compared().getOrDefault(name, UNSET).startsWith(DIGEST);
            if (h.compared().getOrDefault(name, UNSET).equals(fleet)) {
                fleetShown = shown;
            } else {
                differing.put(h.host(), shown);
            }
        }
        settings.add(new Setting(name, fleetShown, secret, differing));
    }

    private static HostSettings settingsOf(String host, Map<?, ?> facts) {
        Map<String, String> shown = new LinkedHashMap<>();
        if (facts.get("config") instanceof Map<?, ?> config) {
            config.forEach((k, v) -> shown.put(String.valueOf(k), text(v)));
        }
        Map<String, String> compared = new LinkedHashMap<>(shown);
        if (facts.get("config_digests") instanceof List<?> digests) {
            for (Object pair : digests) {
                if (pair instanceof List<?> p && p.size() == 2) {
                    compared.put(String.valueOf(p.get(0)), DIGEST + p.get(1));
                }
            }
        }
        return new HostSettings(host, shown, compared);
    }

    List<Setting> settings() {
        return settings;
    }

    /** {@return the settings that differ on every host, so have no fleet value} */
    List<String> perHost() {
        return perHost;
    }

    List<OffTarget> offTarget() {
        return offTarget;
    }

    /** {@return how many of the hosts asked have a target release or schema} */
    int withTarget() {
        return withTarget;
    }

    /** {@return the report's {@code drift} column of {@code host}: each of its settings that is not the fleet's, {@code ; }-separated} */
    String settingsColumn(String host) {
        List<String> parts = new ArrayList<>();
        for (Setting s : settings) {
            if (s.differing().containsKey(host)) {
                parts.add(s.secret() ? s.name() + "=" + MASK + " (not the fleet's)" : s.name() + "=" + s.differing().get(host) + " (fleet: "
                        + s.fleetValue() + ")");
            }
        }
        return String.join("; ", parts);
    }

    /** {@return the report's {@code off_target} column of {@code host}, e.g. {@code release 4.3.2, target 4.4.0}} */
    String targetColumn(String host) {
        Set<String> parts = new LinkedHashSet<>();
        for (OffTarget t : offTarget) {
            if (t.host().equals(host)) {
                if (t.releaseOff()) {
                    parts.add("release " + (t.release().isEmpty() ? "unknown" : t.release()) + ", target " + t.targetRelease());
                }
                if (t.schemaOff()) {
                    parts.add("schema " + (t.schema().isEmpty() ? "unknown" : t.schema()) + ", target " + t.targetSchema());
                }
            }
        }
        return String.join("; ", parts);
    }

    /** {@return the report's top-level {@code drift} object} */
    Map<String, Object> json() {
        List<Object> list = new ArrayList<>();
        for (Setting s : settings) {
            List<Object> hosts = new ArrayList<>();
            s.differing().forEach((h, v) -> {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("host", h);
                entry.put("value", v);
                hosts.add(entry);
            });
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("setting", s.name());
            m.put("fleet_value", s.fleetValue());
            m.put("secret", s.secret());
            m.put("hosts", hosts);
            list.add(m);
        }
        List<Object> targets = new ArrayList<>();
        for (OffTarget t : offTarget) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("host", t.host());
            m.put("release", t.release());
            m.put("target_release", t.targetRelease());
            m.put("schema", t.schema());
            m.put("target_schema", t.targetSchema());
            targets.add(m);
        }
        Map<String, Object> drift = new LinkedHashMap<>();
        drift.put("settings", list);
        drift.put("per_host_settings", perHost);
        drift.put("off_target", targets);
        return drift;
    }

    private static String text(Object value) {
        return value == null ? "" : String.valueOf(value);
    }
}
