package org.omerofleet.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.omerofleet.result.HostOutcome;
import org.omerofleet.result.HostState;
import org.omerofleet.result.RunSummary;

/**
 * The copy-paste commands a NEEDS_ATTENTION host gets in the recap and in report.json: what was kept,
 * how to look, how to restore the verified dump, and how to release the host's lock once a human decided.
 */
public final class Recovery {

    private Recovery() {
    }

    /** {@return the recovery lines for {@code host}, empty unless it needs attention} */
    public static List<String> lines(RunSummary summary, HostOutcome host) {
        if (host.state() != HostState.NEEDS_ATTENTION) {
            return List.of();
        }
        Map<String, Object> r = host.report();
        String inventory = quote(String.valueOf(summary.inventory()));
        String limit = quote(host.host());
        List<String> lines = new ArrayList<>();
        lines.add("nothing was dropped: the old install, the original database and any dump are where they were");
        lines.add("look:    omero-fleet report -i " + inventory + " --limit " + limit + "; see " + summary.runDir().resolve("hosts")
                .resolve(host.host() + ".log"));
        Object backup = r.get(Columns.BACKUP_PATH);
        if (backup != null && !String.valueOf(backup).isEmpty()) {
            lines.add("restore: omero-fleet restore -i " + inventory + " --limit " + limit + " --backup " + quote(String.valueOf(backup))
                    + "   (sha256 " + r.getOrDefault(Columns.BACKUP_SHA256, "?") + ")");
        }
        Object lock = r.get("lock_id");
        if (lock != null && !String.valueOf(lock).isEmpty()) {
            lines.add("unlock:  omero-fleet unlock -i " + inventory + " --limit " + limit + " --lock-id " + quote(String.valueOf(lock)));
        }
        return lines;
    }

    /** Single-quote for a POSIX shell: the lines are meant to be pasted. */
    private static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
