package org.omerofleet.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omerofleet.sandbox.PostgresCluster;

/** {@code db} against a real PostgreSQL: the {@code dbpatch} reader and the run-history store. */
class DbTest {

    private static Path work;
    private static PostgresCluster pg;

    @BeforeAll
    static void start() throws Exception {
        // as root the cluster runs as nobody, who must be able to reach its directory
        work = Files.createTempDirectory("omero-fleet-db-test", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        pg = PostgresCluster.start(work);
        pg.createRole("omero", "omero pass");
        pg.createDatabase("omero db?", "omero");
        pg.createDatabase("empty", "omero");
        pg.createDatabase("history", "omero");
        try (Connection c = connect("omero db?"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE dbpatch (id serial PRIMARY KEY, currentversion text, currentpatch int, message text)");
            s.execute("INSERT INTO dbpatch (currentversion, currentpatch, message) VALUES ('OMERO4.3', 0, 'Database ready.'),"
                    + " ('OMERO4.4', 0, 'Database updated.')");
        }
        try (Connection c = connect("empty"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE dbpatch (id serial PRIMARY KEY, currentversion text, currentpatch int)");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (pg != null) {
            pg.close();
        }
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** A connection as the omero role; the name is percent-encoded, as {@code ?} would start the URL's query. */
    private static Connection connect(String db) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "omero");
        props.setProperty("password", "omero pass");
        return DriverManager.getConnection("jdbc:postgresql://" + pg.host() + ":" + pg.port() + "/"
                + URLEncoder.encode(db, StandardCharsets.UTF_8).replace("+", "%20"), props);
    }

    private static DbPatchReader reader() {
        return new DbPatchReader(Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    @Test
    void theNewestDbpatchRowIsTheSchemaEvenForADatabaseNameThatNeedsEncoding() throws Exception {
        DbPatchReader.DbPatch patch = reader().read(new DbTarget(pg.host(), pg.port(), "omero db?", "omero", "omero pass"));
        assertEquals("OMERO4.4", patch.currentVersion());
        assertEquals(0, patch.currentPatch());
        assertTrue(patch.serverVersion().matches("\\d+.*"), patch.serverVersion());
        assertTrue(patch.sizeBytes() > 0);
    }

    @Test
    void anEmptyDbpatchOrAWrongPasswordIsAnErrorThatNeverShowsThePassword() {
        SQLException empty = assertThrows(SQLException.class,
                () -> reader().read(new DbTarget(pg.host(), pg.port(), "empty", "omero", "omero pass")));
        assertEquals("dbpatch of omero@127.0.0.1:" + pg.port() + "/empty has no rows", empty.getMessage());
        SQLException denied = assertThrows(SQLException.class,
                () -> reader().read(new DbTarget(pg.host(), pg.port(), "omero db?", "omero", "wrong secret")));
        assertFalse(denied.getMessage().contains("wrong secret"), denied.getMessage());
    }

    @Test
    void aSavedRunReadsBackNewestFirstAndARunIdIsNeverOverwritten() throws Exception {
        RunStore store = new RunStore(pg.jdbcUrl("history") + "&user=omero", Optional.of("omero pass"));
        store.migrate();
        store.migrate(); // a second migration finds the schema current and changes nothing
        Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
        store.save(run("r1", t0, "{\"run\": 1}"));
        store.save(run("r2", t0.plusSeconds(3600), "{\"run\": 2}"));
        assertEquals(List.of("{\"run\": 2}", "{\"run\": 1}"), store.reports(Optional.empty()));
        assertEquals(List.of("{\"run\": 2}"), store.reports(Optional.of(t0.plusSeconds(1))));
        assertThrows(SQLException.class, () -> store.save(run("r1", t0, "{\"run\": 3}")));
        assertEquals(List.of("{\"run\": 2}", "{\"run\": 1}"), store.reports(Optional.empty()), "the refused save stored nothing");
        try (Connection c = connect("history"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), min(schema_after), min(backup_path) FROM fleet_host_result")) {
            rs.next();
            assertEquals(2, rs.getInt(1), "one host row per saved run, none from the refused one");
            assertEquals("OMERO4.4__0", rs.getString(2));
            assertEquals("/backups/a.pgdump", rs.getString(3));
        }
    }

    @Test
    void aUrlThatIsNotPostgresIsRefusedAndAnUnreachableOneNamesOnlyHostAndDatabase() {
        assertThrows(IllegalArgumentException.class, () -> new RunStore("jdbc:mysql://h/db", Optional.empty()));
        RunStore store = new RunStore("jdbc:postgresql://127.0.0.1:1/history?user=omero&password=topsecret&connectTimeout=2",
                Optional.empty());
        SQLException e = assertThrows(SQLException.class, store::migrate);
        assertTrue(e.getMessage().startsWith("cannot connect to the results database (//127.0.0.1:1/history)"), e.getMessage());
        assertFalse(e.getMessage().contains("topsecret"), e.getMessage());
    }

    private static RunStore.RunRow run(String id, Instant started, String report) {
        return new RunStore.RunRow(id, "upgrade.yml", "prod.yml", started, started.plusSeconds(60), 0, false, false, report,
                List.of(new RunStore.HostRow("omero1", "SUCCEEDED", "", "4.3.2", "4.4.1", "OMERO4.3__0", "OMERO4.4__0", "/backups/a.pgdump")));
    }
}
