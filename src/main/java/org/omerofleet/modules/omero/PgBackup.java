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
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.TransportException;

/**
 * Dump the OMERO database with {@code pg_dump -Fc}, on the host, detached. A dump counts as a backup
 * only when pg_dump exited 0, the whole archive read back ({@code pg_restore -f /dev/null}), and its
 * SHA-256 and size were recorded; only then is it renamed from {@code .partial} to its final name,
 * mode 0600, never over an existing file. Beside it, written first, {@code <dump>.manifest} records what
 * {@code pg_restore} checks before it touches anything: the file's name, SHA-256 and size, the database,
 * its newest {@code dbpatch} and the time (see {@link PgRestore}). The server must be stopped first (nothing written after the
 * dump is lost) unless {@code allow_running: true}.
 */
public final class PgBackup implements Module {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);
    private static final Duration TIMEOUT = Duration.ofHours(12);
    /** The first line of every manifest. */
    static final String MANIFEST_FORMAT = "format=omero-fleet-backup-manifest-1";
    /** The newest dbpatch row as {@code OMERO4.4__0}. */
    static final String DBPATCH = "SELECT currentversion || '__' || currentpatch FROM dbpatch ORDER BY id DESC LIMIT 1";

    @Override
    public String name() {
        return "pg_backup";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("server_dir", "backup_dir", "allow_running");
    }

    @Override
    public Set<String> required() {
        return Set.of("server_dir", "backup_dir");
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
        if (context.checkMode()) {
            // the stop that would come first did not run either, so the running server is no objection here
            return new TaskResult.Ok(true, "would dump the database into " + args.string("backup_dir"));
        }
        if (!args.bool("allow_running", false)) {
            CommandResult status = context.connection().exec(ExecRequest.shell(cd + "bin/omero admin status >/dev/null 2>&1"));
            if (status.succeeded()) {
                return new TaskResult.Failed("pg_backup: OMERO.server is running; stop it first so that nothing written after the dump is lost"
                        + " (or set allow_running: true)");
            }
        }
        String stamp = STAMP.format(context.clock().instant());
        String backupDir = args.string("backup_dir");
        // the backup directory is relative to the login directory, like every path in the playbooks
        String script = "umask 077; mkdir -p -- " + OmeroShell.q(backupDir) + " && bd=$(cd -- " + OmeroShell.q(backupDir) + " && pwd -P) || exit 3; "
                + cd + OmeroShell.DB_ENV
                + "final=\"$bd/omero-database-$PGDATABASE-" + stamp + ".pgdump\"; part=\"$final.partial\"; "
                + "if [ -e \"$final\" ] || [ -e \"$part\" ]; then echo \"refusing to overwrite $final\" >&2; exit 4; fi; "
                + RemoteJob.progressBySize("pg_dump", "database", OmeroShell.PSQL + " -c 'SELECT pg_database_size(current_database())'", "\"$part\"")
                + "t0=$(date +%s%N); pg_dump -w -Fc -f \"$part\" || { echo 'pg_dump failed' >&2; exit 5; }; t1=$(date +%s%N); "
                + RemoteJob.reading("verify", "\"$part\"", "pg_restore -f /dev/null \"$part\"") + " || { echo \"the dump does not read back: $part is kept but is not a backup\" >&2; exit 6; }; "
                + "t2=$(date +%s%N); dms=; vms=; case \"$t0$t1$t2\" in *[!0-9]*) ;; *) dms=$(( (t1 - t0) / 1000000 )); vms=$(( (t2 - t1) / 1000000 ));; esac; "
                + "sum=$(sha256sum -- \"$part\" | cut -d' ' -f1); size=$(wc -c < \"$part\"); "
                + "patch=$(" + OmeroShell.PSQL + " -c " + OmeroShell.q(DBPATCH) + ") || { echo 'cannot read dbpatch for the manifest' >&2; exit 7; }; "
                + "chmod 600 -- \"$part\"; "
                + "if [ -e \"$final\" ]; then echo \"refusing to overwrite $final\" >&2; exit 4; fi; "
                + "printf '" + MANIFEST_FORMAT + "\\nfile=%s\\nsha256=%s\\nsize=%s\\ndatabase=%s\\ndbpatch=%s\\ncreated=%s\\ndump_ms=%s\\nverify_ms=%s\\n' "
                + "\"${final##*/}\" \"$sum\" \"$size\" \"$PGDATABASE\" \"$patch\" \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\" \"$dms\" \"$vms\" > \"$final.manifest\" || exit 7; "
                + "mv -n -- \"$part\" \"$final\"; [ ! -e \"$part\" ] || exit 4; "
                + "printf 'path=%s\\nsha256=%s\\nsize=%s\\ndump_ms=%s\\nverify_ms=%s\\n' \"$final\" \"$sum\" \"$size\" \"$dms\" \"$vms\"";
        RemoteJob job = RemoteJob.forStep(context, "backup", script);
        RemoteJob.Outcome outcome = job.run(context, TIMEOUT);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("job", job.dir());
        if (!outcome.succeeded()) {
            data.put("output", outcome.output());
            return new TaskResult.Failed("pg_backup: no verified backup (" + exit(outcome) + "): " + lastLine(outcome.output()), data);
        }
        Map<String, String> values = OmeroFacts.keyValues(outcome.output());
        data.put("path", values.get("path"));
        data.put("sha256", values.get("sha256"));
        data.put("size", Long.parseLong(values.getOrDefault("size", "0").strip()));
        data.put("manifest", values.get("path") + ".manifest");
        data.put("dump_ms", millis(values.get("dump_ms")));
        data.put("verify_ms", millis(values.get("verify_ms")));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("backup_dump_ms", data.get("dump_ms"));
        report.put("backup_verify_ms", data.get("verify_ms"));
        report.put("backup_path", values.get("path"));
        report.put("backup_sha256", values.get("sha256"));
        return new TaskResult.Ok(true, "", data, report);
    }

    /** {@return a millisecond count the script printed, or -1 when the host's date could not measure it} */
    static long millis(String value) {
        String v = value == null ? "" : value.strip();
        return v.matches("\\d{1,15}") ? Long.parseLong(v) : -1;
    }

    static String exit(RemoteJob.Outcome outcome) {
        return outcome.exitStatus().isPresent() ? "exit " + outcome.exitStatus().getAsInt() : "no exit status";
    }

    static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1];
    }
}
