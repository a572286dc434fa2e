package org.omerofleet.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.omerofleet.result.HostOutcome;

/**
 * Name the OMERO report fields modules contribute, and render them as one line.
 */
public final class Columns {

    public static final String RELEASE_BEFORE = "release_before";
    public static final String RELEASE_AFTER = "release_after";
    public static final String SCHEMA_BEFORE = "schema_before";
    public static final String SCHEMA_AFTER = "schema_after";
    public static final String BACKUP_PATH = "backup_path";
    public static final String BACKUP_SHA256 = "backup_sha256";

    private Columns() {
    }

    /** {@return "4.3.2 -> 4.4.1  OMERO4.3__0 -> OMERO4.4__0  backup ... (sha256 ...)" plus the message} */
    public static String describe(HostOutcome host) {
        Map<String, Object> r = host.report();
        List<String> parts = new ArrayList<>();
        pair(r, RELEASE_BEFORE, RELEASE_AFTER).ifPresent(parts::add);
        pair(r, SCHEMA_BEFORE, SCHEMA_AFTER).ifPresent(parts::add);
        if (r.containsKey(BACKUP_PATH)) {
            String sha = String.valueOf(r.getOrDefault(BACKUP_SHA256, ""));
            parts.add("backup " + r.get(BACKUP_PATH) + (sha.isEmpty() ? "" : " (sha256 " + sha.substring(0, Math.min(12, sha.length())) + "...)"));
        }
        DowntimeActual.comparison(host).ifPresent(parts::add);
        if (!host.message().isEmpty()) {
            parts.add(host.message());
        }
        return String.join("  ", parts);
    }

    private static java.util.Optional<String> pair(Map<String, Object> r, String before, String after) {
        if (!r.containsKey(before) && !r.containsKey(after)) {
            return java.util.Optional.empty();
        }
        Object b = r.getOrDefault(before, "?");
        Object a = r.getOrDefault(after, b);
        return java.util.Optional.of(b.equals(a) ? String.valueOf(b) : b + " -> " + a);
    }
}
