package org.omerofleet.modules.omero;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.omerofleet.db.DbPatchReader;
import org.omerofleet.db.DbTarget;
import org.omerofleet.modules.Args;
import org.omerofleet.modules.Module;
import org.omerofleet.modules.TaskContext;
import org.omerofleet.omero.ReleaseVersion;
import org.omerofleet.omero.SchemaVersion;
import org.omerofleet.result.Declaration;
import org.omerofleet.result.HostState;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.PortForward;
import org.omerofleet.transport.TransportException;

/**
 * Read what an OMERO host runs, in one round trip: the release (from {@code bin/omero version}, else
 * the install directory's name), the layout, the schema (omego's {@code dbpatch} query), whether the
 * server is up, PostgreSQL server and client versions, the host's Java and Ice ({@code icegridnode
 * --version}; {@code unknown} when none answers), database size, and free space at the install
 * and backup directories, and the newest dump there. The facts land in the variable {@code omero}. With
 * {@code phase: before} or {@code after} they also fill the report's release and schema columns, with
 * {@code phase: report} they all go into the run report (for {@code omero-fleet report}), and the database is read over JDBC through an SSH tunnel instead of by {@code psql}
 * on the host (falling back to {@code psql} where the tunnel or JDBC fails; {@code schema_source} says
 * which answered), and the facts also hold the host's {@code omero.*} settings ({@code config}, secrets
 * masked, see {@link OmeroSettings}) and the {@code target_release} and {@code target_schema} it was
 * given (the schema defaults to the target release's), for the report's fleet drift; with {@code expect_release}
 * and {@code expect_schema} the task fails unless the host matches (the upgrade's final check); with
 * {@code rolled_back: true} a passing check declares the host FAILED_ROLLED_BACK (the rescue's last step).
 */
public final class OmeroFacts implements Module {

    /** Bounds of the report's JDBC read: a database that does not answer costs at most these. */
    private static final DbPatchReader DB = new DbPatchReader(Duration.ofSeconds(10), Duration.ofSeconds(60));
    /** The version in {@code java -version}'s line, e.g. {@code openjdk version "17.0.15" 2025-04-15}. */
    private static final Pattern JAVA_VERSION = Pattern.compile(" version \"([^\"]+)\"");
    /** What the host's {@code psql} says of the database configured in config.xml (in a subshell after {@link OmeroShell#DB_ENV}). */
    private static final String PSQL_FACTS = "echo \"schema_row=$(" + OmeroShell.PSQL + " -c " + OmeroShell.q(DbPatchReader.SCHEMA_QUERY)
            + " 2>/dev/null)\"; "
            + "echo \"db_size=$(" + OmeroShell.PSQL + " -c 'SELECT pg_database_size(current_database())' 2>/dev/null)\"; "
            + "echo \"pg_server=$(" + OmeroShell.PSQL + " -c 'SHOW server_version' 2>/dev/null)\"; ";

    /** Masks the report's secret settings; one per module instance, so one digest key per run. */
    private final OmeroSettings settings = new OmeroSettings();

    @Override
    public String name() {
        return "omero_facts";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("server_dir", "backup_dir", "phase", "expect_release", "expect_schema", "expect_running", "rolled_back", "web_dir",
                "target_release", "target_schema", "venv_dir");
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
        String serverDir = args.string("server_dir");
        String backupDir = args.string("backup_dir", "omero-backups");
        String phase = args.string("phase", "");
        boolean reportPhase = phase.equals("report");
        // dumps hold the whole database: a new backup directory is the user's only (reliability.md SEC-07)
        String script = "bd=$(umask 077 && mkdir -p -- " + OmeroShell.q(backupDir) + " && cd -- " + OmeroShell.q(backupDir) + " && pwd -P); "
                + OmeroShell.cd(serverDir)
                + "echo \"install_dir=$(pwd -P)\"; echo \"base_dir=$(cd .. && pwd -P)\"; echo \"backup_dir=$bd\"; "
                + "echo \"version=$(bin/omero version 2>/dev/null | head -n 1)\"; "
                + "if bin/omero admin status >/dev/null 2>&1; then echo server_running=true; else echo server_running=false; fi; "
                + "echo \"install_free=$(df -Pk . | awk 'NR==2 {printf \"%.0f\", $4 * 1024}')\"; "
                + "echo \"backup_free=$(df -Pk \"$bd\" | awk 'NR==2 {printf \"%.0f\", $4 * 1024}')\"; "
                + "echo \"pg_client=$(psql --version 2>/dev/null | awk '{print $NF}')\"; "
                + "nb=$(ls -1t -- \"$bd\"/*.pgdump 2>/dev/null | head -n 1); "
                + "if [ -n \"$nb\" ]; then echo \"newest_backup=$nb\"; echo \"newest_backup_time=$(stat -c %Y -- \"$nb\")\"; fi; "
                + "echo \"java_version=$(java -version 2>&1 | grep -m 1 ' version \"')\"; "
                + "if command -v icegridnode >/dev/null 2>&1; then echo \"ice=$(icegridnode --version 2>&1 | head -n 1)\"; fi; "
                + Deployment.script(args.string("web_dir", ""), Deployment.SERVER_UNIT, Deployment.WEB_UNIT, args.string("venv_dir", ""))
                + "(" + (reportPhase ? OmeroShell.CONFIG_GET + "printf 'config_hex=%s\\n' \"$(printf '%s' \"$conf\" | od -An -v -tx1 | tr -d ' \\n')\"; "
                        + OmeroShell.DB_ENV_FROM_CONF : OmeroShell.DB_ENV)
                + "echo \"db_name=$PGDATABASE\"; echo \"db_host=$PGHOST\"; echo \"db_user=$PGUSER\"; "
                // the password leaves the host only for the report's JDBC login: hex-encoded, so that no byte of it is lost
                // to line parsing; printf is a shell builtin, so it is on no command line
                + (reportPhase ? "echo \"db_port=$PGPORT\"; "
                        + "printf 'db_pass_hex=%s\\n' \"$(printf '%s' \"$PGPASSWORD\" | od -An -v -tx1 | tr -d ' \\n')\"; " : PSQL_FACTS)
                + ")";
        CommandResult r = context.connection().exec(ExecRequest.shell(script));
        if (r.rc() == OmeroShell.NO_SERVER_DIR) {
            return new TaskResult.Failed(r.stderr().strip(), Map.of("rc", r.rc()));
        }
        Map<String, String> raw = keyValues(r.stdout());
        String password = unhex(raw.remove("db_pass_hex"));
        String configGet = unhex(raw.remove("config_hex"));
        context.addSecret(password);
        DbFacts db = reportPhase ? readOverTunnel(context, serverDir, raw, password) : DbFacts.fromPsql(raw, "");
        Map<String, Object> facts = new LinkedHashMap<>();
        // from a virtualenv (5.6), `omero version` is omero-py's version: the install directory's name tells the server's, as the OME role reads it
        String dirName = fileName(raw.getOrDefault("install_dir", ""));
        if (Deployment.inVenv(raw) && ReleaseVersion.parse(dirName).isPresent()) {
            raw.put("version", dirName.replaceFirst("^OMERO\\.server-", ""));
        }
        Optional<ReleaseVersion> release = ReleaseVersion.parse(raw.getOrDefault("version", ""))
                .or(() -> ReleaseVersion.parse(dirName));
        facts.put("install_dir", raw.getOrDefault("install_dir", ""));
        facts.put("base_dir", raw.getOrDefault("base_dir", ""));
        facts.put("backup_dir", raw.getOrDefault("backup_dir", ""));
        facts.put("release", release.map(ReleaseVersion::version).orElse(""));
        facts.put("release_full", raw.getOrDefault("version", ""));
        facts.put("layout", release.map(v -> v.layout().name()).orElse(""));
        facts.put("schema", db.schema().map(SchemaVersion::toString).orElse(""));
        facts.put("schema_source", db.schema().isPresent() ? db.source() : "");
        facts.put("server_running", Boolean.parseBoolean(raw.getOrDefault("server_running", "false")));
        facts.put("db_name", raw.getOrDefault("db_name", ""));
        facts.put("db_host", raw.getOrDefault("db_host", ""));
        facts.put("db_user", raw.getOrDefault("db_user", ""));
        facts.put("db_size", db.sizeBytes());
        facts.put("install_free", number(raw.get("install_free")));
        facts.put("backup_free", number(raw.get("backup_free")));
        facts.put("pg_server", db.serverVersion());
        facts.put("pg_client", raw.getOrDefault("pg_client", ""));
        facts.put("newest_backup", raw.getOrDefault("newest_backup", ""));
        facts.put("newest_backup_time", number(raw.get("newest_backup_time")));
        facts.put("java", javaVersion(raw.getOrDefault("java_version", "")));
        facts.put("ice", raw.getOrDefault("ice", "").isEmpty() ? "unknown" : raw.get("ice"));
        facts.putAll(Deployment.facts(raw));
        if (reportPhase) {
            putSettingsAndTargets(context, args, configGet, facts);
        }
        if (!db.jdbcError().isEmpty()) {
            facts.put("jdbc_error", db.jdbcError());
        }
        if (!r.succeeded() && !r.stderr().isBlank()) {
            facts.put("warning", r.stderr().strip());
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("ansible_facts", Map.of("omero", facts));
        data.put("omero", facts);
        Map<String, Object> report = new LinkedHashMap<>();
        if (phase.equals("before") || phase.equals("after")) {
            report.put("release_" + phase, facts.get("release"));
            report.put("schema_" + phase, facts.get("schema"));
        } else if (reportPhase) {
            report.put("omero", facts);
        }
        Optional<String> mismatch = mismatch(args, facts);
        if (mismatch.isPresent()) {
            return new TaskResult.Failed(false, mismatch.get(), data, report);
        }
        // the old release verified back: say so, so that a rolled-back canary stops the rollout
        Declaration declared = args.bool("rolled_back", false) ? Declaration.outcome(HostState.FAILED_ROLLED_BACK) : Declaration.NONE;
        return new TaskResult.Ok(false, "", data, report, declared);
    }

    /**
     * What was read of the database, and by what.
     *
     * @param source    {@code jdbc} or {@code psql}
     * @param jdbcError why JDBC through the tunnel did not answer, when {@code psql} did instead (empty otherwise)
     */
    private record DbFacts(Optional<SchemaVersion> schema, long sizeBytes, String serverVersion, String source, String jdbcError) {

        static DbFacts fromPsql(Map<String, String> raw, String jdbcError) {
            return new DbFacts(SchemaVersion.fromPsqlRow(raw.getOrDefault("schema_row", "")), number(raw.get("db_size")),
                    raw.getOrDefault("pg_server", ""), "psql", jdbcError);
        }
    }

    /**
     * Read the database configured in config.xml over JDBC, through a port forwarded over this host's SSH
     * session to where the database listens as the host sees it (so one listening on the host's 127.0.0.1
     * only is reached too). If the forward or JDBC fails, ask the host's {@code psql} instead.
     */
    private static DbFacts readOverTunnel(TaskContext context, String serverDir, Map<String, String> raw, String password)
            throws TransportException {
        if (raw.getOrDefault("db_name", "").isEmpty()) {
            return new DbFacts(Optional.empty(), -1, "", "", ""); // config.xml names no database; the warning says so
        }
        String host = raw.getOrDefault("db_host", "");
        String port = raw.getOrDefault("db_port", "");
        String error;
        try (PortForward tunnel = context.connection().forwardLocal(host, Integer.parseInt(port))) {
            DbPatchReader.DbPatch row = DB.read(new DbTarget("127.0.0.1", tunnel.localPort(), raw.get("db_name"), raw.getOrDefault("db_user", ""),
                    password));
            return new DbFacts(SchemaVersion.parse(row.currentVersion() + "__" + row.currentPatch()), row.sizeBytes(), row.serverVersion(),
                    "jdbc", "");
        } catch (TransportException | SQLException | IllegalArgumentException e) {
            // IllegalArgumentException: a port in config.xml that is not a number
            String message = String.valueOf(e.getMessage());
            error = "JDBC through an SSH tunnel to " + host + ":" + port + " failed: "
                    + (password.isEmpty() ? message : message.replace(password, "********"));
        }
        CommandResult r = context.connection().exec(ExecRequest.shell(OmeroShell.cd(serverDir) + "(" + OmeroShell.DB_ENV + PSQL_FACTS + ")"));
        return DbFacts.fromPsql(keyValues(r.stdout()), error);
    }

    /**
     * The report's drift columns: the host's {@code omero.*} settings (secrets masked, compared by
     * digest) and the release and schema its inventory says it should run ({@code target_release},
     * {@code target_schema}; the schema defaults to the target release's).
     */
    private void putSettingsAndTargets(TaskContext context, Args args, String configGet, Map<String, Object> facts) {
        OmeroSettings.Read settings = this.settings.read(configGet);
        settings.secrets().forEach(context::addSecret);
        facts.put("config", settings.values());
        // not named *secret*: the run's redaction would mask the digests, which are no secret
        facts.put("config_digests", settings.digests());
        Optional<ReleaseVersion> target = ReleaseVersion.parse(args.string("target_release", ""));
        facts.put("target_release", target.map(ReleaseVersion::version).orElse(args.string("target_release", "")));
        facts.put("target_schema", args.has("target_schema") && !args.string("target_schema").isEmpty() ? args.string("target_schema")
                : target.flatMap(ReleaseVersion::schema).map(SchemaVersion::toString).orElse(""));
    }

    /** {@return the text (a password, the settings) the host sent hex-encoded, or empty when it sent none or garbled} */
    private static String unhex(String hex) {
        if (hex == null || !hex.matches("([0-9a-f]{2})*")) {
            return ""; // never parse it into an exception message
        }
        return new String(HexFormat.of().parseHex(hex), StandardCharsets.UTF_8);
    }

    /** {@return the version in {@code java -version}'s line, or {@code unknown} when there is none (no java on the host)} */
    static String javaVersion(String line) {
        Matcher m = JAVA_VERSION.matcher(line);
        return m.find() ? m.group(1) : "unknown";
    }

    private static Optional<String> mismatch(Args args, Map<String, Object> facts) {
        if (args.has("expect_release") && !ReleaseVersion.parse(args.string("expect_release")).map(ReleaseVersion::version)
                .orElse(args.string("expect_release")).equals(facts.get("release"))) {
            return Optional.of("expected release " + args.string("expect_release") + ", host runs '" + facts.get("release") + "'");
        }
        if (args.has("expect_schema") && !args.string("expect_schema").equals(facts.get("schema"))) {
            return Optional.of("expected schema " + args.string("expect_schema") + ", database is at '" + facts.get("schema") + "'");
        }
        if (args.has("expect_running") && args.bool("expect_running", true) != (Boolean) facts.get("server_running")) {
            return Optional.of("expected the server " + (args.bool("expect_running", true) ? "running" : "stopped"));
        }
        return Optional.empty();
    }

    static Map<String, String> keyValues(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
        return values;
    }

    private static long number(String text) {
        try {
            return text == null || text.isBlank() ? -1 : Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String fileName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }
}
