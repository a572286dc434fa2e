package org.omerofleet.modules.omero;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.omerofleet.modules.Args;
import org.omerofleet.modules.Module;
import org.omerofleet.modules.TaskContext;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.TransportException;

/**
 * Restore a dump into a NEW database (createdb, then {@code pg_restore --single-transaction}) and point
 * the server's {@code omero.db.name} at it. The original database is never dropped or written to.
 * {@code backup} is a dump file on the host, or {@code latest} for the newest verified dump in
 * {@code backup_dir}; with {@code sha256} the file must match the checksum recorded at backup time.
 * The server must be stopped.
 */
public final class PgRestore implements Module {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);
    private static final Duration TIMEOUT = Duration.ofHours(24);

    @Override
    public String name() {
        return "pg_restore";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("server_dir", "backup", "backup_dir", "sha256", "db_name");
    }

    @Override
    public Set<String> required() {
        return Set.of("server_dir", "backup");
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
        String cd = OmeroShell.cd(args.string("server_dir"));
        if (context.connection().exec(ExecRequest.shell(cd + "bin/omero admin status >/dev/null 2>&1")).succeeded()) {
            return new TaskResult.Failed("pg_restore: OMERO.server is running; stop it before restoring");
        }
        String backup = args.string("backup");
        String stamp = STAMP.format(context.clock().instant());
        if (context.checkMode()) {
            return new TaskResult.Ok(true, "would restore " + backup + " into a new database");
        }
        String find = backup.equals("latest")
                ? "f=$(ls -1t -- " + OmeroShell.q(args.string("backup_dir", "omero-backups")) + "/*.pgdump 2>/dev/null | head -n 1); "
                  + "case \"$f\" in /*) ;; ?*) f=\"$home/$f\";; esac; "
                : "f=" + OmeroShell.q(backup) + "; case \"$f\" in /*) ;; *) f=\"$home/$f\";; esac; ";
        String script = "home=$(pwd -P); " + find
                + "[ -n \"$f\" ] && [ -f \"$f\" ] || { echo 'no backup file found (' " + OmeroShell.q(backup) + " ')' >&2; exit 2; }; "
                + (args.has("sha256") ? "[ \"$(sha256sum -- \"$f\" | cut -d' ' -f1)\" = " + OmeroShell.q(args.string("sha256"))
                        + " ] || { echo \"$f does not match its recorded SHA-256\" >&2; exit 3; }; " : "")
                + cd + OmeroShell.DB_ENV
                + "old=$PGDATABASE; new=" + (args.has("db_name") ? OmeroShell.q(args.string("db_name")) : "\"${old}_restored_" + stamp + "\"") + "; "
                + "createdb -w -E UTF8 -T template0 -O \"$PGUSER\" -- \"$new\" || exit 4; "
                + "pg_restore -w --single-transaction --exit-on-error -d \"$new\" \"$f\" || { echo \"pg_restore failed; $new is left for inspection, $old is untouched\" >&2; exit 5; }; "
                + "bin/omero config set omero.db.name \"$new\" || exit 6; "
                + "printf 'file=%s\\nold=%s\\nnew=%s\\n' \"$f\" \"$old\" \"$new\"";
        RemoteJob job = RemoteJob.forStep(context, "restore", script);
        RemoteJob.Outcome outcome = job.run(context, TIMEOUT);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("output", outcome.output());
        if (!outcome.succeeded()) {
            int rc = outcome.exitStatus().orElse(-1);
            boolean changed = rc == 5 || rc == 6 || rc < 0;
            return new TaskResult.Failed(changed, "pg_restore: " + PgBackup.lastLine(outcome.output()), data, Map.of());
        }
        Map<String, String> values = OmeroFacts.keyValues(outcome.output());
        data.put("file", values.get("file"));
        data.put("original_db", values.get("old"));
        data.put("db_name", values.get("new"));
        return new TaskResult.Ok(true, "restored " + values.get("file") + " into " + values.get("new") + " (" + values.get("old") + " kept)", data);
    }
}
