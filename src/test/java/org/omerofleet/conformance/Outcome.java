package org.omerofleet.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one tool's run of a case left: its exit code, the recap counters of every host, what each
 * host's directory holds afterwards, and the tool's output (for the report of a divergence).
 */
record Outcome(int exit, Map<String, Stats> stats, Map<String, String> files, String output, java.time.Duration took) {

    Outcome {
        stats = Map.copyOf(stats);
        files = Map.copyOf(files);
    }

    /** The seven counters of Ansible's PLAY RECAP. */
    record Stats(int ok, int changed, int unreachable, int failed, int skipped, int rescued, int ignored) {
        static final Stats NONE = new Stats(0, 0, 0, 0, 0, 0, 0);

        List<Integer> values() {
            return List.of(ok, changed, unreachable, failed, skipped, rescued, ignored);
        }

        static List<String> names() {
            return List.of("ok", "changed", "unreachable", "failed", "skipped", "rescued", "ignored");
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < 7; i++) {
                s.append(i == 0 ? "" : " ").append(names().get(i)).append('=').append(values().get(i));
            }
            return s.toString();
        }
    }

    /** One field on which two outcomes differ: {@code exit}, {@code h1.failed}, {@code h2.files}. */
    record Difference(String field, String ansible, String fleet) {
        @Override
        public String toString() {
            return field + ": ansible " + ansible + ", omero-fleet " + fleet;
        }
    }

    /**
     * {@return where {@code fleet} differs from {@code ansible}} A host missing from one recap counts as a
     * host with every counter at 0 (Ansible leaves out hosts no play touched).
     */
    static List<Difference> compare(Outcome ansible, Outcome fleet) {
        List<Difference> out = new ArrayList<>();
        if (ansible.exit() != fleet.exit()) {
            out.add(new Difference("exit", String.valueOf(ansible.exit()), String.valueOf(fleet.exit())));
        }
        TreeSet<String> hosts = new TreeSet<>(ansible.stats().keySet());
        hosts.addAll(fleet.stats().keySet());
        for (String host : hosts) {
            List<Integer> a = ansible.stats().getOrDefault(host, Stats.NONE).values();
            List<Integer> f = fleet.stats().getOrDefault(host, Stats.NONE).values();
            for (int i = 0; i < a.size(); i++) {
                if (!a.get(i).equals(f.get(i))) {
                    out.add(new Difference(host + "." + Stats.names().get(i), String.valueOf(a.get(i)), String.valueOf(f.get(i))));
                }
            }
        }
        TreeMap<String, String> files = new TreeMap<>(ansible.files());
        for (String host : fleet.files().keySet()) {
            files.putIfAbsent(host, "");
        }
        for (String host : files.keySet()) {
            String a = ansible.files().getOrDefault(host, "");
            String f = fleet.files().getOrDefault(host, "");
            if (!Objects.equals(a, f)) {
                out.add(new Difference(host + ".files", "{" + a + "}", "{" + f + "}"));
            }
        }
        return out;
    }
}
