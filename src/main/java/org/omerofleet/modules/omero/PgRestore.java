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
 * {@code backup} is a dump file on the host, or {@code latest} for the newest dump in {@code backup_dir}
 * by the time its manifest records. Before anything is created, the dump must match the manifest that
 * {@link PgBackup} wrote beside it ({@code <dump>.manifest}: SHA-256 and size), and with {@code sha256}
 * that checksum too; a dump without a manifest is refused unless {@code sha256} is given. After the
 * restore, the new database's newest {@code dbpatch} must be the manifest's before {@code omero.db.name}
 * is switched (reliability.md DB-04). The server must be stopped.
 *
 * <p>The new database is created as the OMERO upgrade guide does it ({@code createdb -U postgres -O
 * <db user>}): by the PostgreSQL superuser {@code db_admin} (default {@code postgres}), owned by the
 * OMERO role, so that role needs no {@code CREATEDB}. The superuser logs in without a prompt: through
 * {@code ~/.pgpass} (the OMERO role's password is kept out of its environment), or with
 * {@code db_admin_sudo: true} as the operating-system user of that name ({@code sudo -n -u postgres
 * createdb}, or with the host's become password on sudo's input when one is set; peer authentication over the local socket when the database is on the host). With
 * {@code db_admin: ""} the OMERO role creates it itself, which needs {@code CREATEDB}.
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
        return Set.of("server_dir", "backup", "backup_dir", "sha256", "db_name", "db_admin", "db_admin_sudo");
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

    /** {@return whether {@code db_admin} logs in through sudo: the script then needs {@code fleet_sudo} ({@link RemoteJob#withSudo})} */
    static boolean adminSudo(Args args) {
        return !args.string("db_admin", "postgres").isBlank() && args.bool("db_admin_sudo", false);
    }

    /** {@return the fragment creating {@code $new}, owned by {@code $PGUSER}, as {@code db_admin}; exit 4 when it fails} */
    static String createdb(Args args) {
        String admin = args.string("db_admin", "postgres").strip();
        String options = "-w -E UTF8 -T template0 -O \"$PGUSER\" -- \"$new\"";
        String hint = " || { echo \"createdb as \"" + OmeroShell.q(admin.isEmpty() ? "the OMERO role" : admin)
                + "\" failed: the new database is created by the PostgreSQL superuser (omero_db_admin), who must log in without a prompt"
                + " (~/.pgpass, or omero_db_admin_sudo: true for peer authentication); see docs/upgrade.md\" >&2; exit 4; }; ";
        if (admin.isEmpty()) {
            return "createdb " + options + hint;
        }
        if (args.bool("db_admin_sudo", false)) {
            // sudo resets the environment: host and port go on the command line; a database on this host is reached
            // through the local socket, where the postgres account's peer authentication applies
            String sudo = "fleet_sudo -u " + OmeroShell.q(admin) + " createdb";
            return "{ case \"$PGHOST\" in localhost|127.0.0.1|::1) " + sudo + " -p \"$PGPORT\" " + options + ";; "
                    + "*) " + sudo + " -h \"$PGHOST\" -p \"$PGPORT\" " + options + ";; esac; }" + hint;
        }
        return "(unset PGPASSWORD; createdb -U " + OmeroShell.q(admin) + " " + options + ")" + hint;
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
                ? "bd=" + OmeroShell.q(args.string("backup_dir", "omero-backups")) + "; case \"$bd\" in /*) ;; *) bd=\"$home/$bd\";; esac; "
                  + "m=$(for x in \"$bd\"/*.pgdump.manifest; do [ -f \"$x\" ] && [ -f \"${x%.manifest}\" ] "
                  + "&& printf '%s %s\\n' \"$(sed -n 's/^created=//p' \"$x\")\" \"$x\"; done | sort -r | head -n 1 | cut -d' ' -f2-); "
                  + "f=${m%.manifest}; "
                : "f=" + OmeroShell.q(backup) + "; case \"$f\" in /*) ;; *) f=\"$home/$f\";; esac; m=\"$f.manifest\"; ";
        String expectedSum = args.has("sha256") ? OmeroShell.q(args.string("sha256").strip()) : "\"\"";
        String script = "home=$(pwd -P); " + find
                + "[ -n \"$f\" ] && [ -f \"$f\" ] || { echo 'no backup file found (' " + OmeroShell.q(backup) + " ')' >&2; exit 2; }; "
                + "mf() { sed -n \"s/^$1=//p\" \"$m\" | tail -n 1; }; "
                + "want=" + expectedSum + "; patch=; "
                + "if [ -f \"$m\" ]; then "
                + "  [ \"$(head -n 1 \"$m\")\" = " + OmeroShell.q(PgBackup.MANIFEST_FORMAT) + " ] || { echo \"$m is not a backup manifest\" >&2; exit 3; }; "
                + "  [ \"$(wc -c < \"$f\" | tr -d ' ')\" = \"$(mf size)\" ] || { echo \"$f does not have the size its manifest records\" >&2; exit 3; }; "
                + "  [ -z \"$want\" ] || [ \"$want\" = \"$(mf sha256)\" ] || { echo \"$m records another SHA-256 than the one given\" >&2; exit 3; }; "
                + "  want=$(mf sha256); patch=$(mf dbpatch); "
                + "elif [ -z \"$want\" ]; then echo \"no manifest beside $f: it is not a verified backup of omero-fleet (give its SHA-256 to restore it anyway)\" >&2; exit 3; fi; "
                + "[ \"$(sha256sum -- \"$f\" | cut -d' ' -f1)\" = \"$want\" ] || { echo \"$f does not match its recorded SHA-256\" >&2; exit 3; }; "
                + cd + OmeroShell.DB_ENV
                + "old=$PGDATABASE; new=" + (args.has("db_name") ? OmeroShell.q(args.string("db_name")) : "\"${old}_restored_" + stamp + "\"") + "; "
                + createdb(args)
                + RemoteJob.reading("pg_restore", "\"$f\"", "pg_restore -w --single-transaction --exit-on-error -d \"$new\" \"$f\"") + " || { echo \"pg_restore failed; $new is left for inspection, $old is untouched\" >&2; exit 5; }; "
                + "got=$(PGDATABASE=$new " + OmeroShell.PSQL + " -c " + OmeroShell.q(PgBackup.DBPATCH) + ") || exit 5; "
                + "[ -z \"$patch\" ] || [ \"$got\" = \"$patch\" ] || { echo \"the restored database is at $got, its manifest says $patch; $new is left for inspection, $old is untouched\" >&2; exit 5; }; "
                + "bin/omero config set omero.db.name \"$new\" || exit 6; "
                + "printf 'file=%s\\nold=%s\\nnew=%s\\ndbpatch=%s\\n' \"$f\" \"$old\" \"$new\" \"$got\"";
        RemoteJob job = RemoteJob.forStep(context, "restore", script).withSudo(adminSudo(args));
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
        data.put("dbpatch", values.get("dbpatch"));
        return new TaskResult.Ok(true, "restored " + values.get("file") + " into " + values.get("new") + " (" + values.get("old") + " kept)", data);
    }
}
