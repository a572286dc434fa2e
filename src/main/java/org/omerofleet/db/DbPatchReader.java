package org.omerofleet.db;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;

/**
 * Read what an OMERO database is at over plain JDBC: the newest {@code dbpatch} row (omego's query), the
 * server version and the database size. Every connect and every read is bounded by a timeout, so a
 * silent server costs at most those.
 */
public final class DbPatchReader {

    /** The query omego uses to read the schema: the last {@code dbpatch} row. */
    public static final String SCHEMA_QUERY = "SELECT currentversion, currentpatch FROM dbpatch ORDER BY id DESC LIMIT 1";

    private final Duration connectTimeout;
    private final Duration socketTimeout;

    /**
     * @param connectTimeout how long the TCP connect and the login may take, each
     * @param socketTimeout  how long any one read from the server may take
     */
    public DbPatchReader(Duration connectTimeout, Duration socketTimeout) {
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.socketTimeout = Objects.requireNonNull(socketTimeout, "socketTimeout");
    }

    /**
     * What was read.
     *
     * @param currentVersion {@code dbpatch.currentversion} of the newest row, e.g. {@code OMERO4.4}
     * @param currentPatch   {@code dbpatch.currentpatch} of that row
     * @param serverVersion  PostgreSQL's {@code server_version}
     * @param sizeBytes      {@code pg_database_size} of the database
     */
    public record DbPatch(String currentVersion, int currentPatch, String serverVersion, long sizeBytes) {
    }

    /** {@return the newest {@code dbpatch} row of {@code target}, with the server version and size} */
    public DbPatch read(DbTarget target) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", target.user());
        props.setProperty("password", target.password());
        props.setProperty("connectTimeout", seconds(connectTimeout));
        props.setProperty("loginTimeout", seconds(connectTimeout));
        props.setProperty("socketTimeout", seconds(socketTimeout));
        props.setProperty("ApplicationName", "omero-fleet");
        String url = "jdbc:postgresql://" + target.host() + ":" + target.port() + "/";
        try (Connection c = DriverManager.getConnection(url + encode(target.database()), props); Statement s = c.createStatement()) {
            String version;
            int patch;
            try (ResultSet rs = s.executeQuery(SCHEMA_QUERY)) {
                if (!rs.next()) {
                    throw new SQLException("dbpatch of " + target + " has no rows");
                }
                version = rs.getString(1);
                patch = rs.getInt(2);
            }
            try (ResultSet rs = s.executeQuery("SELECT current_setting('server_version'), pg_database_size(current_database())")) {
                rs.next();
                return new DbPatch(version, patch, rs.getString(1), rs.getLong(2));
            }
        }
    }

    /** pgjdbc takes whole seconds, where 0 would mean no timeout at all. */
    private static String seconds(Duration d) {
        return String.valueOf(Math.max(1, (d.toMillis() + 999) / 1000));
    }

    /** A database name is a URL path segment: percent-encode it so that {@code ?}, {@code /} or {@code %} stay part of it. */
    private static String encode(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
