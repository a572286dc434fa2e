package org.omerofleet.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The run history in PostgreSQL, for teams: several operators see one history. The tool creates and
 * migrates its own tables ({@code fleet_schema}, {@code fleet_run}, {@code fleet_host_result}); each run
 * is stored in one transaction with its report.json document and one row per host.
 *
 * <p>The JDBC URL may carry the password; it is never logged or printed (messages name only host and
 * database). Without one in the URL, libpq's {@code PGPASSWORD} convention is honoured.
 */
public final class RunStore {

    private static final int SCHEMA_VERSION = 1;

    private final String url;
    private final Optional<String> password;

    /**
     * @param url      {@code jdbc:postgresql://host:port/db?user=...}
     * @param password used when the URL has none (from {@code PGPASSWORD})
     */
    public RunStore(String url, Optional<String> password) {
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--results-db must be a jdbc:postgresql:// URL");
        }
        this.url = url;
        this.password = password;
    }

    /** One host's row. */
    public record HostRow(String host, String state, String message, String releaseBefore, String releaseAfter, String schemaBefore,
                          String schemaAfter, String backupPath) {
    }

    /** One run: its identity, outcome, the whole report.json, and a row per host. */
    public record RunRow(String runId, String playbook, String inventory, Instant started, Instant finished, int exitCode,
                         boolean interrupted, boolean check, String reportJson, List<HostRow> hosts) {
    }

    private Connection connect() throws SQLException {
        java.util.Properties props = new java.util.Properties();
        if (!url.contains("password=")) {
            password.ifPresent(p -> props.setProperty("password", p));
        }
        try {
            return DriverManager.getConnection(url, props);
        } catch (SQLException e) {
            throw new SQLException("cannot connect to the results database (" + where() + "): " + e.getMessage(), e.getSQLState(), e);
        }
    }

    /** {@return host and database of the URL, without user or password} */
    String where() {
        String rest = url.substring("jdbc:postgresql:".length());
        int q = rest.indexOf('?');
        return q < 0 ? rest : rest.substring(0, q);
    }

    /** Create or upgrade the tables. */
    public void migrate() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("CREATE TABLE IF NOT EXISTS fleet_schema (version int NOT NULL)");
            int version;
            try (ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM fleet_schema")) {
                rs.next();
                version = rs.getInt(1);
            }
            if (version > SCHEMA_VERSION) {
                throw new SQLException("the results database has schema " + version + ", newer than this omero-fleet (" + SCHEMA_VERSION + ")");
            }
            if (version < 1) {
                s.execute("CREATE TABLE fleet_run (run_id text PRIMARY KEY, playbook text NOT NULL, inventory text NOT NULL,"
                        + " started timestamptz NOT NULL, finished timestamptz NOT NULL, exit_code int NOT NULL, interrupted boolean NOT NULL,"
                        + " check_mode boolean NOT NULL, report jsonb NOT NULL)");
                s.execute("CREATE TABLE fleet_host_result (run_id text NOT NULL REFERENCES fleet_run ON DELETE CASCADE, host text NOT NULL,"
                        + " state text NOT NULL, message text NOT NULL, release_before text, release_after text, schema_before text,"
                        + " schema_after text, backup_path text, PRIMARY KEY (run_id, host))");
                s.execute("CREATE INDEX fleet_host_result_host ON fleet_host_result (host)");
                s.execute("INSERT INTO fleet_schema (version) VALUES (1)");
            }
            c.commit();
        }
    }

    /** Store one run (and its hosts) in one transaction; a run id stored twice is an error, not an overwrite. */
    public void save(RunRow run) throws SQLException {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO fleet_run VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)")) {
                p.setString(1, run.runId());
                p.setString(2, run.playbook());
                p.setString(3, run.inventory());
                p.setTimestamp(4, Timestamp.from(run.started()));
                p.setTimestamp(5, Timestamp.from(run.finished()));
                p.setInt(6, run.exitCode());
                p.setBoolean(7, run.interrupted());
                p.setBoolean(8, run.check());
                p.setString(9, run.reportJson());
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO fleet_host_result VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (HostRow h : run.hosts()) {
                    p.setString(1, run.runId());
                    p.setString(2, h.host());
                    p.setString(3, h.state());
                    p.setString(4, h.message());
                    p.setString(5, h.releaseBefore());
                    p.setString(6, h.releaseAfter());
                    p.setString(7, h.schemaBefore());
                    p.setString(8, h.schemaAfter());
                    p.setString(9, h.backupPath());
                    p.addBatch();
                }
                p.executeBatch();
            }
            c.commit();
        }
    }

    /** {@return the report.json documents of the runs started at or after {@code since}, newest first} */
    public List<String> reports(Optional<Instant> since) throws SQLException {
        List<String> reports = new ArrayList<>();
        try (Connection c = connect();
             PreparedStatement p = c.prepareStatement("SELECT report::text FROM fleet_run WHERE started >= ? ORDER BY started DESC")) {
            p.setTimestamp(1, Timestamp.from(since.orElse(Instant.EPOCH)));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    reports.add(rs.getString(1));
                }
            }
        }
        return reports;
    }
}
