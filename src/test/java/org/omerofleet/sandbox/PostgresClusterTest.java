package org.omerofleet.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class PostgresClusterTest {

    @Test
    void clusterAcceptsPasswordLoginAndLeavesNoProcessAfterClose() throws Exception {
        Path work = SandboxTestSupport.traversableTempDir("pg-cluster-").resolve("cluster");
        long pid;
        try (PostgresCluster pg = PostgresCluster.start(work)) {
            pid = pg.postmasterPid().orElseThrow();
            pg.createRole("omero", "s3cret 'quoted'");
            pg.createDatabase("omero", "omero");
            assertEquals("omero|UTF8", query(pg, "SELECT current_user || '|' || "
                    + "pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()"));
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "postmaster still alive");
        assertEquals(0, ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(work.toString())).count(),
                "a process still refers to the cluster directory");
        assertFalse(Files.exists(work.resolve("data")), "data directory not deleted");
        Trees.delete(work.getParent());
    }

    @Test
    void wrongPasswordIsRejectedOverTcp() throws Exception {
        Path work = SandboxTestSupport.traversableTempDir("pg-auth-").resolve("cluster");
        try (PostgresCluster pg = PostgresCluster.start(work)) {
            SQLException e = assertThrows(SQLException.class,
                    () -> pg.connect("postgres", pg.superuser(), "not-the-password").close());
            assertTrue(e.getMessage().contains("password authentication failed"), e.getMessage());
        } finally {
            Trees.delete(work.getParent());
        }
    }

    @Test
    void zonkyBundleExtractsAndRunsACluster() throws Exception {
        Path bin = PgBinaries.zonky(PgBinaries.defaultCacheDir());
        assertTrue(PgBinaries.complete(bin));
        Path work = SandboxTestSupport.traversableTempDir("pg-zonky-").resolve("cluster");
        try (PostgresCluster pg = PostgresCluster.start(work, bin)) {
            try (Connection c = pg.connect("postgres", pg.superuser(), pg.superuserPassword());
                    Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW server_version")) {
                rs.next();
                assertTrue(rs.getString(1).startsWith("15.10"), rs.getString(1));
            }
        } finally {
            Trees.delete(work.getParent());
        }
    }

    private static String query(PostgresCluster pg, String sql) throws SQLException {
        try (Connection c = pg.connect("omero", "omero", "s3cret 'quoted'");
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
