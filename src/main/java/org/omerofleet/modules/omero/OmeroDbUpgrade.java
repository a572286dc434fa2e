package org.omerofleet.modules.omero;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.omerofleet.db.DbPatchReader;
import org.omerofleet.modules.Args;
import org.omerofleet.modules.Module;
import org.omerofleet.modules.TaskContext;
import org.omerofleet.omero.ReleaseVersion;
import org.omerofleet.omero.SchemaVersion;
import org.omerofleet.omero.UpgradeScripts;
import org.omerofleet.result.Declaration;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.TransportException;

/**
 * Upgrade the database with the scripts of the new release ({@code server_dir}), chained from the
 * current schema exactly as omego resolves them. Each script runs detached under
 * {@code psql -v ON_ERROR_STOP=1}, after its precheck script where the release has one. A step counts
 * only with exit status 0, the success line in psql's output, and the postcondition: the newest
 * {@code dbpatch} row is at the step's target with {@code message='Database updated.'} and
 * {@code finished} set. Anything else stops the chain and fails the task. It refuses to start while
 * other sessions are connected to the database (the server still running) or without a dump at
 * {@code backup} (matching {@code backup_sha256} when given).
 */
public final class OmeroDbUpgrade implements Module {

    private static final Duration STEP_TIMEOUT = Duration.ofHours(24);
    /** Client sessions only: background workers (autovacuum) have no client port; a Unix socket's is -1. */
    private static final String OTHER_SESSIONS = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            + " AND pid <> pg_backend_pid() AND client_port IS NOT NULL";
    /**
     * Counts the other sessions until none is left, for at most 15 s: a backend whose client just closed
     * (the survey's own dbpatch query, the backup's verification) stays listed until it notices.
     */
    private static final String OTHERS_SETTLED = "others=$(" + OmeroShell.PSQL + " -c " + OmeroShell.q(OTHER_SESSIONS) + "); i=0; "
            + "while [ \"$others\" != 0 ] && [ $i -lt 30 ]; do sleep 0.5; i=$((i + 1)); "
            + "others=$(" + OmeroShell.PSQL + " -c " + OmeroShell.q(OTHER_SESSIONS) + "); done; echo \"others=$others\"; ";
    private static final String POSTCONDITION =
            "SELECT currentversion || '__' || currentpatch || '|' || coalesce(message, '') || '|' || (finished IS NOT NULL) "
            + "FROM dbpatch ORDER BY id DESC LIMIT 1";

    @Override
    public String name() {
        return "omero_db_upgrade";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("server_dir", "backup", "backup_sha256");
    }

    @Override
    public Set<String> required() {
        return Set.of("server_dir", "backup", "backup_sha256");
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
        String serverDir = args.string("server_dir");
        String cd = OmeroShell.cd(serverDir);
        if (!context.checkMode()) {
            // repeated after the controller stopped: a script it started may still run; judge the database once it ended
            RemoteJob.awaitRunning(context, "dbupgrade", STEP_TIMEOUT);
        }
        CommandResult survey = context.connection().exec(ExecRequest.shell(cd + "echo \"dir=$(pwd -P)\"; " + OmeroShell.DB_ENV
                + "echo \"schema_row=$(" + OmeroShell.PSQL + " -c " + OmeroShell.q(DbPatchReader.SCHEMA_QUERY) + ")\"; "
                + OTHERS_SETTLED
                + "find sql/psql -name '*.sql' -type f | sed 's/^/script=/'"));
        if (survey.rc() == OmeroShell.NO_SERVER_DIR && context.checkMode()) {
            return new TaskResult.Ok(true, "would upgrade the database with the scripts of " + serverDir + " (not unpacked yet)");
        }
        if (!survey.succeeded()) {
            return new TaskResult.Failed("omero_db_upgrade: cannot read the database version: " + survey.stderr().strip());
        }
        List<String> scripts = new ArrayList<>();
        String schemaRow = "";
        String dir = "";
        String others = "";
        for (String line : survey.stdout().split("\n")) {
            if (line.startsWith("script=")) {
                scripts.add(line.substring("script=".length()));
            } else if (line.startsWith("schema_row=")) {
                schemaRow = line.substring("schema_row=".length());
            } else if (line.startsWith("dir=")) {
                dir = line.substring("dir=".length());
            } else if (line.startsWith("others=")) {
                others = line.substring("others=".length()).strip();
            }
        }
        Optional<SchemaVersion> current = SchemaVersion.fromPsqlRow(schemaRow);
        if (current.isEmpty()) {
            return new TaskResult.Failed("omero_db_upgrade: unable to get the database version (dbpatch said '" + schemaRow + "')");
        }
        UpgradeScripts available = UpgradeScripts.fromPaths(scripts);
        Optional<SchemaVersion> expected = ReleaseVersion.parse(dir.substring(dir.lastIndexOf('/') + 1)).flatMap(ReleaseVersion::schema);
        UpgradeScripts.Resolution resolution = expected.isPresent() ? available.resolve(current.get(), expected.get())
                : available.resolve(current.get());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("schema_before", current.get().toString());
        if (resolution instanceof UpgradeScripts.Resolution.UpToDate) {
            data.put("schema_after", current.get().toString());
            return new TaskResult.Ok(false, "Database is already at " + current.get(), data, Map.of("schema_after", current.get().toString()));
        }
        if (!(resolution instanceof UpgradeScripts.Resolution.Path)) {
            return new TaskResult.Failed("omero_db_upgrade: " + resolution.message(), data);
        }
        List<UpgradeScripts.Step> steps = resolution.steps();
        data.put("scripts", steps.stream().map(UpgradeScripts.Step::script).toList());
        if (!others.equals("0") && !context.checkMode()) {
            return new TaskResult.Failed("omero_db_upgrade: " + others + " other session(s) are connected to the database; stop OMERO.server,"
                    + " OMERO.web and every other client first (reliability.md DB-08)", data);
        }
        Optional<String> noBackup = verifiedBackup(context, args);
        if (noBackup.isPresent() && !context.checkMode()) {
            return new TaskResult.Failed("omero_db_upgrade: " + noBackup.get(), data);
        }
        if (context.checkMode()) {
            return new TaskResult.Ok(true, "would run " + steps.size() + " upgrade script(s) to " + steps.get(steps.size() - 1).to(), data);
        }
        // from the first script on, the database is not what it was until a rescue restores it
        List<String> done = new ArrayList<>();
        data.put("scripts_run", done);
        StepShell shell = new StepShell(cd + OmeroShell.DB_ENV, "", "dbupgrade");
        for (UpgradeScripts.Step step : steps) {
            Optional<String> failure = runStep(context, shell, step, data);
            if (failure.isPresent()) {
                return new TaskResult.Failed(!done.isEmpty() || data.containsKey("unknown"), failure.get(), data, Map.of(),
                        Declaration.OPENS_WINDOW);
            }
            done.add(step.script());
        }
        String after = steps.get(steps.size() - 1).to().toString();
        data.put("schema_after", after);
        return new TaskResult.Ok(true, "", data, Map.of("schema_after", after), Declaration.OPENS_WINDOW);
    }

    /** {@return why the backup named by the arguments cannot be trusted, or empty when it can} */
    private static Optional<String> verifiedBackup(TaskContext context, Args args) throws TransportException {
        if (context.checkMode()) {
            return Optional.empty(); // the dump that would come first was not made either
        }
        String backup = args.string("backup");
        if (backup.isBlank()) {
            return Optional.of("no backup was named: the database is never upgraded without a verified dump");
        }
        CommandResult sum = context.connection().exec(ExecRequest.shell("[ -s " + OmeroShell.q(backup) + " ] && sha256sum -- "
                + OmeroShell.q(backup) + " | cut -d' ' -f1"));
        if (!sum.succeeded() || sum.stdout().isBlank()) {
            return Optional.of("no backup at '" + backup + "': the database is never upgraded without a verified dump");
        }
        Optional<String> recorded = args.optionalString("backup_sha256").filter(v -> !v.isBlank());
        if (recorded.isPresent() && !sum.stdout().strip().equals(recorded.get())) {
            return Optional.of("the backup " + backup + " no longer matches its recorded SHA-256");
        }
        return Optional.empty();
    }

    /**
     * Where and how a step's psql runs, the same for the upgrade and its rehearsal.
     *
     * @param prefix shell words entering the directory holding {@code sql/psql} with PostgreSQL's variables exported
     * @param runner words put before each {@code psql} (e.g. {@code nice}), empty for none
     * @param kind   the start of the step's remote job name
     */
    record StepShell(String prefix, String runner, String kind) {
    }

    /** {@return why the step failed, or empty when it passed all three checks} (exit 0, the success line, the dbpatch postcondition) */
    static Optional<String> runStep(TaskContext context, StepShell shell, UpgradeScripts.Step step, Map<String, Object> data)
            throws TransportException {
        String psql = shell.runner() + "psql -X -w -v ON_ERROR_STOP=1 -f ";
        if (step.precheck().isPresent()) {
            CommandResult pre = context.connection().exec(ExecRequest.shell(shell.prefix()
                    + psql + OmeroShell.q(step.precheck().get())).withTimeout(STEP_TIMEOUT));
            data.put("precheck_output", pre.stdout() + pre.stderr());
            if (!pre.succeeded() || !pre.stdout().contains("READY FOR UPGRADE")) {
                return Optional.of("precheck " + step.precheck().get() + " did not pass (rc " + pre.rc() + "): " + PgBackup.lastLine(pre.stderr() + pre.stdout()));
            }
        }
        String script = OmeroShell.q(step.script());
        RemoteJob job = RemoteJob.forStep(context, shell.kind() + "-" + step.from() + "-" + step.to(),
                shell.prefix() + RemoteJob.reading("psql", script, psql + script));
        RemoteJob.Outcome outcome = job.run(context, STEP_TIMEOUT);
        data.put("output", outcome.output());
        if (outcome.exitStatus().isEmpty()) {
            data.put("unknown", true);
        }
        if (!outcome.succeeded()) {
            return Optional.of(step.script() + " failed (" + PgBackup.exit(outcome) + "): " + errorLine(outcome.output()));
        }
        String successLine = "YOU HAVE SUCCESSFULLY UPGRADED YOUR DATABASE TO VERSION " + step.to();
        if (!outcome.output().contains(successLine)) {
            return Optional.of(step.script() + " exited 0 but did not print the success line; the database is not trusted");
        }
        CommandResult post = context.connection().exec(ExecRequest.shell(shell.prefix() + OmeroShell.PSQL + " -c " + OmeroShell.q(POSTCONDITION)));
        String row = post.stdout().strip();
        String wanted = step.to() + "|Database updated.|true";
        if (!post.succeeded() || !row.equals(wanted)) {
            return Optional.of(step.script() + " exited 0 but the newest dbpatch row is '" + row + "', not '" + wanted + "'");
        }
        return Optional.empty();
    }

    /** {@return psql's first {@code ERROR:} line (it names the script and line: {@code psql:FILE:LINE: ERROR: ...}), else the last line} */
    static String errorLine(String output) {
        return output.lines().filter(l -> l.contains("ERROR:")).findFirst().map(String::strip).orElse(PgBackup.lastLine(output));
    }
}
