package org.omerofleet.modules.omero;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.omerofleet.modules.Args;
import org.omerofleet.modules.Module;
import org.omerofleet.modules.TaskContext;
import org.omerofleet.omero.SchemaVersion;
import org.omerofleet.omero.UpgradeScripts;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.TransportException;

/**
 * Rehearse the database upgrade on a copy, with the server running and untouched: a fresh verified dump
 * ({@link PgBackup} with {@code allow_running}), or the newest verified backup of this database younger than
 * {@code backup_max_age} seconds, is restored into a scratch database {@code <db>_rehearsal_<stamp>} on the same
 * PostgreSQL server (created by the superuser as {@link PgRestore} creates a rollback's database), and the
 * release's precheck and upgrade scripts run there exactly as {@link OmeroDbUpgrade} runs them, dbpatch
 * postcondition included. Each phase is timed. The scratch database is dropped in a {@code finally}; one left
 * by a killed controller is recognised by its name and dropped by the next rehearsal.
 *
 * <p>Guards: with {@code disk_margin} N (default 2) it refuses unless the database server's data directory keeps
 * N times the database size free after the copy; pg_restore and psql run under {@code nice}/{@code ionice -c 3}
 * where the host has them. A failed rehearsal fails the task with a {@code rehearsal_blocker} naming the
 * script's error and line; the production database is only read (by pg_dump).
 */
public final class OmeroRehearse implements Module {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);
    private static final Duration TIMEOUT = Duration.ofHours(24);
    /** The part of a scratch database's name after the production database's name. */
    static final String INFIX = "_rehearsal_";
    /** Defines {@code $fleet_nice}: the words that lower a command's CPU and I/O priority on this host. */
    private static final String NICE = "fleet_nice=; if command -v nice >/dev/null 2>&1; then fleet_nice='nice -n 19 '; fi; "
            + "if command -v ionice >/dev/null 2>&1 && ionice -c 3 true 2>/dev/null; then fleet_nice=\"${fleet_nice}ionice -c 3 \"; fi; ";

    @Override
    public String name() {
        return "omero_rehearse";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("release", "server_dir", "backup_dir", "backup_max_age", "disk_margin", "db_admin", "db_admin_sudo");
    }

    @Override
    public Set<String> required() {
        return Set.of("release", "server_dir", "backup_dir");
    }

    @Override
    public boolean supportsCheckMode() {
        return true;
    }

    @Override
    public boolean safeToRepeat() {
        return true;
    }

    /** What one rehearsal measured and found; becomes the task's data and report. */
    private static final class Record {
        final Map<String, Object> phases = new LinkedHashMap<>();
        final Map<String, Object> data = new LinkedHashMap<>();

        TaskResult failed(String why) {
            String message = "rehearsal failed: " + why;
            data.put("phases_ms", phases);
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("rehearsal_ok", false);
            report.put("rehearsal_blocker", message);
            report.put("rehearsal_phases_ms", phases);
            return new TaskResult.Failed(false, message, data, report);
        }
    }

    @Override
    public TaskResult run(TaskContext context, Args args) throws TransportException {
        if (context.checkMode()) {
            return new TaskResult.Ok(false, "would rehearse the database upgrade on a scratch copy");
        }
        Record rec = new Record();
        Path zip = context.baseDir().resolve(args.string("release"));
        OmeroPlan.ReleaseZip release = OmeroPlan.ReleaseZip.read(zip);
        String cd = OmeroShell.cd(args.string("server_dir"));
        Map<String, String> survey = survey(context, cd, args);
        if (survey.containsKey("error")) {
            return rec.failed(survey.get("error"));
        }
        Optional<SchemaVersion> current = SchemaVersion.parse(survey.getOrDefault("schema", ""));
        if (current.isEmpty()) {
            return rec.failed("cannot read the database's schema (dbpatch said '" + survey.get("schema") + "')");
        }
        Optional<SchemaVersion> target = release.version().schema();
        UpgradeScripts scripts = UpgradeScripts.fromPaths(release.scripts());
        UpgradeScripts.Resolution resolution = target.isPresent() ? scripts.resolve(current.get(), target.get()) : scripts.resolve(current.get());
        if (resolution instanceof UpgradeScripts.Resolution.UpToDate) {
            return new TaskResult.Ok(false, "nothing to rehearse: the database is at " + current.get(), Map.of(),
                    Map.of("rehearsal_ok", true, "rehearsal_phases_ms", Map.of()));
        }
        if (!(resolution instanceof UpgradeScripts.Resolution.Path)) {
            return rec.failed(resolution.message());
        }
        rec.data.put("dropped_leftovers", survey.getOrDefault("dropped", ""));
        Optional<String> room = room(survey, args);
        if (room.isPresent()) {
            return rec.failed(room.get());
        }
        Optional<String> dump = dump(context, args, cd, rec);
        if (dump.isEmpty()) {
            return rec.failed(String.valueOf(rec.data.get("dump_error")));
        }
        String scratch = survey.get("db") + INFIX + STAMP.format(context.clock().instant());
        String work = ".omero-fleet/rehearsal/" + scratch;
        rec.data.put("scratch_db", scratch);
        try {
            Optional<String> failure = rehearse(context, new Scratch(cd, scratch, work, dump.get(), args), new Scripts(resolution.steps(), zip, release), rec);
            if (failure.isPresent()) {
                return rec.failed(failure.get());
            }
        } finally {
            // even after a failure or an interrupt reaching this thread: the scratch database never outlives the rehearsal
            CommandResult drop = context.connection().exec(ExecRequest.shell(cd + OmeroShell.DB_ENV + "rm -rf -- \"$HOME\"/" + OmeroShell.q(work)
                    + "; dropdb -w --if-exists -- " + OmeroShell.q(scratch)));
            rec.data.put("dropped", drop.succeeded());
        }
        rec.data.put("phases_ms", rec.phases);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("rehearsal_ok", true);
        report.put("rehearsal_target", resolution.steps().get(resolution.steps().size() - 1).to().toString());
        report.put("rehearsal_at", context.clock().instant().toString());
        report.put("rehearsal_phases_ms", rec.phases);
        report.put("rehearsal_db_size", Long.parseLong(survey.get("size")));
        Map<String, Object> measured = new LinkedHashMap<>(rec.phases);
        if (rec.data.get("backup_ms") instanceof Long backupMs && rec.phases.get("dump") instanceof Number dumpMs) {
            // the upgrade's verify phase is the whole backup step after the dump (checksum and manifest included)
            report.put("rehearsal_backup_ms", backupMs);
            measured.put("verify", Math.max(0, backupMs - dumpMs.longValue()));
        }
        // the measured phases replace the plan's prediction from the history
        report.put("plan_downtime", DowntimeEstimate.of(context, Long.parseLong(survey.get("size")), true, measured));
        return new TaskResult.Ok(false, "rehearsed " + resolution.steps().size() + " script(s) on " + scratch + " (dropped)", rec.data, report);
    }

    /** Where one rehearsal works: server directory fragment, scratch database, scripts directory, dump file, task arguments. */
    private record Scratch(String cd, String db, String work, String dump, Args args) {
    }

    /** The upgrade steps to rehearse and the release zip their scripts come from. */
    private record Scripts(List<UpgradeScripts.Step> steps, Path zip, OmeroPlan.ReleaseZip release) {
    }

    /** {@return the survey of the host: database name, size, schema, free space of the data directory; leftovers dropped} */
    private static Map<String, String> survey(TaskContext context, String cd, Args args) throws TransportException {
        String like = "SELECT datname FROM pg_database WHERE left(datname, length(current_database()) + " + INFIX.length()
                + ") = current_database() || '" + INFIX + "'";
        String script = cd + OmeroShell.DB_ENV
                + "echo \"db=$PGDATABASE\"; "
                + "echo \"size=$(" + OmeroShell.PSQL + " -c 'SELECT pg_database_size(current_database())')\"; "
                + "echo \"schema=$(" + OmeroShell.PSQL + " -c " + OmeroShell.q(PgBackup.DBPATCH) + ")\"; "
                + "for old in $(" + OmeroShell.PSQL + " -c " + OmeroShell.q(like) + "); do "
                + "dropdb -w --if-exists -- \"$old\" 2>/dev/null && echo \"dropped=$old\" || echo \"busy=$old\"; done; "
                + adminPsql(args) + "dd=$(fleet_admin psql -X -w -A -t -d postgres -c 'SHOW data_directory' 2>&1) || { echo \"why=$dd\" | head -n 1; dd=; }; "
                + "case \"$PGHOST\" in localhost|127.0.0.1|::1|/*) [ -z \"$dd\" ] || echo \"free=$(df -Pk -- \"$dd\" | awk 'NR==2 {printf \"%.0f\", $4 * 1024}')\";; "
                + "*) echo \"why=the database is on $PGHOST, not this host\";; esac";
        CommandResult r = PgRestore.adminSudo(args) ? context.sudo().exec(context.connection(), ExecRequest.shell(context.sudo().define() + script))
                : context.connection().exec(ExecRequest.shell(script));
        Map<String, String> values = new LinkedHashMap<>(OmeroFacts.keyValues(r.stdout()));
        if (!r.succeeded() || !values.getOrDefault("size", "").strip().matches("\\d+")) {
            values.put("error", "cannot read the database: " + PgBackup.lastLine(r.stderr() + r.stdout()));
        }
        return values;
    }

    /** Defines {@code fleet_admin TOOL ARGS...}: TOOL run as the PostgreSQL superuser, the way {@link PgRestore#createdb} logs in. */
    static String adminPsql(Args args) {
        String admin = args.string("db_admin", "postgres").strip();
        if (admin.isEmpty()) {
            return "fleet_admin() { \"$@\"; }; ";
        }
        if (args.bool("db_admin_sudo", false)) {
            String sudo = "fleet_sudo -u " + OmeroShell.q(admin) + " \"$t\"";
            return "fleet_admin() { t=$1; shift; case \"$PGHOST\" in localhost|127.0.0.1|::1) " + sudo + " -p \"$PGPORT\" \"$@\";; "
                    + "*) " + sudo + " -h \"$PGHOST\" -p \"$PGPORT\" \"$@\";; esac; }; ";
        }
        return "fleet_admin() { t=$1; shift; (unset PGPASSWORD; \"$t\" -U " + OmeroShell.q(admin) + " \"$@\"); }; ";
    }

    /** {@return why the copy does not fit on the database server's disk with the margin kept, or empty when it does} */
    static Optional<String> room(Map<String, String> survey, Args args) {
        long margin = args.number("disk_margin", 2);
        if (margin <= 0) {
            return Optional.empty();
        }
        long size = Long.parseLong(survey.get("size").strip());
        String free = survey.getOrDefault("free", "").strip();
        if (!free.matches("\\d+")) {
            return Optional.of("cannot measure the free space of the database server's data directory (the superuser reads it, on this host: "
                    + survey.getOrDefault("why", "df failed").strip() + "); --rehearsal-disk-margin 0 skips the check");
        }
        long left = Long.parseLong(free) - size;
        if (left < margin * size) {
            return Optional.of("a copy of the database (" + size + " bytes) would leave " + Math.max(0, left) + " bytes free on the database server,"
                    + " below the margin of " + margin + " x the database size (--rehearsal-disk-margin)");
        }
        return Optional.empty();
    }

    /** {@return the dump to restore: the newest verified backup young enough, else a fresh one; empty with dump_error set when none} */
    private static Optional<String> dump(TaskContext context, Args args, String cd, Record rec) throws TransportException {
        long maxAge = args.number("backup_max_age", 0);
        if (maxAge > 0) {
            String find = "bd=" + OmeroShell.q(args.string("backup_dir")) + "; case \"$bd\" in /*) ;; *) bd=\"$HOME/$bd\";; esac; "
                    + cd + OmeroShell.DB_ENV + "since=$(date -u -d \"@$(( $(date +%s) - " + maxAge + " ))\" +%Y-%m-%dT%H:%M:%SZ) || exit 0; "
                    + "for x in \"$bd\"/*.pgdump.manifest; do [ -f \"$x\" ] && [ -f \"${x%.manifest}\" ] || continue; "
                    + "[ \"$(sed -n 's/^database=//p' \"$x\")\" = \"$PGDATABASE\" ] || continue; c=$(sed -n 's/^created=//p' \"$x\"); "
                    + "[ \"$c\" \\> \"$since\" ] && printf '%s %s\\n' \"$c\" \"$x\"; done | sort -r | head -n 1 | cut -d' ' -f2-";
            String manifest = context.connection().exec(ExecRequest.shell(find)).stdout().strip();
            if (!manifest.isEmpty()) {
                Map<String, String> m = OmeroFacts.keyValues(context.connection().exec(ExecRequest.shell("cat -- " + OmeroShell.q(manifest))).stdout());
                rec.phases.put("dump", PgBackup.millis(m.get("dump_ms")));
                rec.phases.put("verify", PgBackup.millis(m.get("verify_ms")));
                rec.data.put("backup_reused", manifest.substring(0, manifest.length() - ".manifest".length()));
                return Optional.of(manifest.substring(0, manifest.length() - ".manifest".length()));
            }
        }
        Map<String, Object> backupArgs = new LinkedHashMap<>();
        backupArgs.put("server_dir", args.string("server_dir"));
        backupArgs.put("backup_dir", args.string("backup_dir"));
        backupArgs.put("allow_running", true);
        long started = System.nanoTime();
        TaskResult backup = new PgBackup().run(context, new Args("pg_backup", backupArgs));
        rec.data.put("backup_ms", (System.nanoTime() - started) / 1_000_000);
        if (!(backup instanceof TaskResult.Ok)) {
            rec.data.put("dump_error", backup.message());
            return Optional.empty();
        }
        rec.phases.put("dump", backup.data().get("dump_ms"));
        rec.phases.put("verify", backup.data().get("verify_ms"));
        rec.data.put("backup", backup.data().get("path"));
        return Optional.of(String.valueOf(backup.data().get("path")));
    }

    /** {@return why restoring or upgrading the scratch copy failed, or empty when every step passed} */
    private static Optional<String> rehearse(TaskContext context, Scratch s, Scripts scripts, Record rec) throws TransportException {
        Optional<String> uploaded = upload(context, s.work(), scripts);
        if (uploaded.isPresent()) {
            return uploaded;
        }
        String env = s.cd() + OmeroShell.DB_ENV + NICE + "new=" + OmeroShell.q(s.db()) + "; ";
        String f = OmeroShell.q(s.dump());
        String restore = env + "case " + f + " in /*) f=" + f + ";; *) f=\"$HOME\"/" + f + ";; esac; " + PgRestore.createdb(s.args())
                + RemoteJob.reading("pg_restore", "\"$f\"", "$fleet_nice pg_restore -w --single-transaction --exit-on-error -d \"$new\" \"$f\"");
        long t0 = System.nanoTime();
        RemoteJob.Outcome restored = RemoteJob.forStep(context, "rehearsal-restore", restore).withSudo(PgRestore.adminSudo(s.args())).run(context, TIMEOUT);
        rec.phases.put("restore", (System.nanoTime() - t0) / 1_000_000);
        if (!restored.succeeded()) {
            return Optional.of("restoring the dump into " + s.db() + " failed: " + PgBackup.lastLine(restored.output()));
        }
        OmeroDbUpgrade.StepShell shell = new OmeroDbUpgrade.StepShell(env + "PGDATABASE=$new; export PGDATABASE; cd -- \"$HOME\"/"
                + OmeroShell.q(s.work()) + " || exit 90; ", "$fleet_nice ", "rehearsal-dbupgrade");
        long t1 = System.nanoTime();
        List<String> done = new ArrayList<>();
        rec.data.put("scripts_run", done);
        for (UpgradeScripts.Step step : scripts.steps()) {
            Optional<String> failure = OmeroDbUpgrade.runStep(context, shell, step, rec.data);
            rec.phases.put("upgrade", (System.nanoTime() - t1) / 1_000_000);
            if (failure.isPresent()) {
                return failure;
            }
            done.add(step.script());
        }
        return Optional.empty();
    }

    /** Copy the steps' scripts (and prechecks) from the zip into {@code work/sql/psql/...} on the host; {@return why it failed} */
    private static Optional<String> upload(TaskContext context, String work, Scripts scripts) throws TransportException {
        Path zip = scripts.zip();
        List<String> files = new ArrayList<>();
        for (UpgradeScripts.Step step : scripts.steps()) {
            files.add(step.script());
            step.precheck().ifPresent(files::add);
        }
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (String path : files) {
                ZipEntry entry = file.getEntry(scripts.release().topDirectory() + "/" + path);
                if (entry == null) {
                    return Optional.of(path + " is not in " + zip.getFileName());
                }
                byte[] sql;
                try (InputStream in = file.getInputStream(entry)) {
                    sql = in.readAllBytes();
                }
                String target = "\"$HOME\"/" + OmeroShell.q(work + "/" + path);
                CommandResult r = context.connection().exec(new ExecRequest("umask 077; mkdir -p -- \"$(dirname -- " + target + ")\" && cat > " + target,
                        sql, ExecRequest.DEFAULT_TIMEOUT, ExecRequest.DEFAULT_CAPTURE_LIMIT));
                if (!r.succeeded()) {
                    return Optional.of("cannot copy " + path + " to the host: " + r.stderr().strip());
                }
            }
        } catch (IOException e) {
            return Optional.of("cannot read " + zip + ": " + e.getMessage());
        }
        return Optional.empty();
    }
}
