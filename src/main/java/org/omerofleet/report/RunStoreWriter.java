package org.omerofleet.report;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.omerofleet.db.RunStore;
import org.omerofleet.executor.RunListener;
import org.omerofleet.result.HostOutcome;
import org.omerofleet.result.RunSummary;

/**
 * Store every finished run in the PostgreSQL run history ({@code --results-db}), next to the files
 * of the run directory. A failure to store is reported, never fatal: the run directory still holds it.
 */
public final class RunStoreWriter implements RunListener {

    private final RunStore store;
    private final ToIntFunction<RunSummary> exitCodes;
    private final java.util.function.Consumer<String> warnings;

    public RunStoreWriter(RunStore store, ToIntFunction<RunSummary> exitCodes, java.util.function.Consumer<String> warnings) {
        this.store = store;
        this.exitCodes = exitCodes;
        this.warnings = warnings;
    }

    @Override
    public void runFinished(RunSummary summary) {
        int exit = exitCodes.applyAsInt(summary);
        List<RunStore.HostRow> hosts = new ArrayList<>();
        for (HostOutcome h : summary.hosts()) {
            Map<String, Object> r = h.report();
            hosts.add(new RunStore.HostRow(h.host(), h.state().name(), h.message(), text(r, Columns.RELEASE_BEFORE), text(r, Columns.RELEASE_AFTER),
                    text(r, Columns.SCHEMA_BEFORE), text(r, Columns.SCHEMA_AFTER), text(r, Columns.BACKUP_PATH)));
        }
        try {
            store.save(new RunStore.RunRow(summary.runId(), summary.playbook().toString(), String.valueOf(summary.inventory()), summary.started(),
                    summary.finished(), exit, summary.interrupted(), summary.check(), new ReportJson().render(summary, exit), hosts));
        } catch (SQLException e) {
            warnings.accept("warning: the run was not stored in the results database (" + e.getMessage() + "); " + summary.runDir()
                    + " holds it");
        }
    }

    private static String text(Map<String, Object> report, String key) {
        Object v = report.get(key);
        return v == null ? null : String.valueOf(v);
    }
}
