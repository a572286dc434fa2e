package org.omerofleet.modules.omero;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.omerofleet.modules.Args;
import org.omerofleet.modules.Module;
import org.omerofleet.modules.TaskContext;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.TransportException;

/**
 * Optimise the database after an upgrade, detached: {@code REINDEX DATABASE} (without the
 * {@code FORCE} the 4.4 guide gives, which PostgreSQL removed in 9.5 and now rejects), then
 * {@code VACUUM FULL ANALYZE}.
 */
public final class PgOptimize implements Module {

    private static final Duration TIMEOUT = Duration.ofHours(24);

    @Override
    public String name() {
        return "pg_optimize";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("server_dir", "reindex");
    }

    @Override
    public Set<String> required() {
        return Set.of("server_dir");
    }

    @Override
    public boolean supportsCheckMode() {
        return true;
    }

    @Override
    public boolean safeToRepeat() {
        return true;
    }

    @Override
    public TaskResult run(TaskContext context, Args args) throws TransportException {
        if (context.checkMode()) {
            return new TaskResult.Ok(true, "would VACUUM FULL ANALYZE the database");
        }
        if (context.connection().exec(ExecRequest.shell(OmeroShell.cd(args.string("server_dir")) + "bin/omero admin status >/dev/null 2>&1"))
                .succeeded()) {
            return new TaskResult.Failed("pg_optimize: OMERO.server is running; VACUUM FULL locks every table, stop the server first");
        }
        // reindexdb quotes the database name itself (a name from config.xml never becomes SQL)
        String reindex = args.bool("reindex", true) ? "reindexdb -w -d \"$PGDATABASE\" && " : "";
        String script = OmeroShell.cd(args.string("server_dir")) + OmeroShell.DB_ENV + reindex
                + "psql -X -w -v ON_ERROR_STOP=1 -c 'VACUUM FULL ANALYZE'";
        RemoteJob job = RemoteJob.forStep(context, "optimize", script);
        RemoteJob.Outcome outcome = job.run(context, TIMEOUT);
        if (!outcome.succeeded()) {
            return new TaskResult.Failed(false, "pg_optimize: " + PgBackup.lastLine(outcome.output()), Map.of("output", outcome.output()), Map.of());
        }
        return new TaskResult.Ok(true, "", Map.of("output", outcome.output()));
    }
}
