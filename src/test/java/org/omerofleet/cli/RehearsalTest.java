package org.omerofleet.cli;

import static org.omerofleet.cli.SandboxCli.cli;
import static org.omerofleet.cli.SandboxCli.lastReport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omerofleet.cli.SandboxCli.Run;
import org.omerofleet.sandbox.DbSettings;
import org.omerofleet.sandbox.OmeroReleases;
import org.omerofleet.sandbox.OmeroSandbox;

/** {@code plan --rehearse} on sandbox hosts with a real PostgreSQL: the upgrade rehearsed on scratch copies. */
class RehearsalTest {

    static final List<String> HOSTS = List.of("good1", "baddata", "good2");
    static Path root;
    static OmeroSandbox sandbox;
    static Path inventory;
    static OmeroReleases releases;

    @BeforeAll
    static void start() throws Exception {
        root = Files.createTempDirectory("rehearsal-test");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        releases = new OmeroReleases(Path.of("target", "sandbox-zips"));
        Map<String, String> versions = new LinkedHashMap<>();
        HOSTS.forEach(h -> versions.put(h, "4.3.2"));
        sandbox = OmeroSandbox.start(root, versions, releases);
        inventory = root.resolve("inventory.yml");
        sandbox.writeInventory(inventory);
    }

    @AfterAll
    static void stop() throws Exception {
        sandbox.close();
    }

    /** {@return table name to an MD5 over every row of it, in the host's production database} */
    static Map<String, String> checksums(String host) throws Exception {
        DbSettings db = sandbox.database(host);
        Map<String, String> sums = new TreeMap<>();
        for (String table : SandboxCli.column(sandbox, host, db.name(),
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")) {
            sums.put(table, SandboxCli.column(sandbox, host, db.name(),
                    "SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"" + table + "\" t").get(0));
        }
        return sums;
    }

    @Test
    void aRehearsalFailingOnOneHostsDataBlocksItShowsTheOthersTimesAndLeavesNoScratchDatabaseNorChangedRow() throws Exception {
        DbSettings bad = sandbox.database("baddata");
        try (Connection c = sandbox.postgres().connect(bad.name(), bad.user(), bad.password()); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO image (name, owner_id) SELECT '', min(id) FROM experimenter");
        }
        Map<String, Map<String, String>> before = new LinkedHashMap<>();
        for (String host : HOSTS) {
            before.put(host, checksums(host));
        }
        Path runs = root.resolve("runs");
        Run r = cli("plan", "-i", inventory.toString(), "--release", releases.zip("4.4.1", OmeroReleases.Fault.FAILS_ON_DATA).toString(),
                "--rehearse", "--runs-dir", runs.toString());

        assertTrue(r.out().matches("(?s).*baddata: BLOCKER rehearsal failed: sql/psql/OMERO4.4__0/OMERO4.3__0.sql failed \\(exit 3\\): "
                + "psql:sql/psql/OMERO4.4__0/OMERO4.3__0.sql:\\d+: ERROR: .*image_name_not_blank.*"), r.out());
        assertTrue(r.out().matches("(?s).*\\nbaddata +4\\.3\\.2 .*BLOCKED +-\\n.*"), r.out()); // no downtime predicted for a blocked host
        for (String host : List.of("good1", "good2")) {
            assertTrue(r.out().matches("(?s).*\\n" + host + " +4\\.3\\.2 .* ready +\\S+( s)?\\n.*"), r.out()); // then its predicted downtime
            assertTrue(r.out().matches("(?s).*" + host + ": rehearsed: dump \\d+\\.\\d s, verify \\d+\\.\\d s, restore \\d+\\.\\d s, upgrade \\d+\\.\\d s\\n.*"),
                    r.out());
            JsonNode report = lastReport(runs, host).get("report");
            assertTrue(report.get("rehearsal_ok").asBoolean(), report.toString());
            assertEquals("OMERO4.4__0", report.get("rehearsal_target").asText());
        }
        assertFalse(lastReport(runs, "baddata").get("report").get("rehearsal_ok").asBoolean());
        assertFalse(r.out().contains("baddata: predicted downtime"), "a blocked host has no downtime to predict: " + r.out());
        assertEquals(List.of(), SandboxCli.column(sandbox, "good1", "postgres",
                "SELECT datname FROM pg_database WHERE datname LIKE '%\\_rehearsal\\_%'"), "every scratch database is dropped");
        for (String host : HOSTS) {
            assertEquals(before.get(host), checksums(host), host + ": no row of the production database changed");
            assertTrue(Files.exists(sandbox.fleet().host(host).home().resolve("OMERO.server/var/master/master.pid")), host + ": the server still runs");
        }

        // the run history now holds good2's rehearsal and baddata's failed one: --require-rehearsal upgrades only good2
        Run upgrade = cli("upgrade", "-i", inventory.toString(), "--limit", "baddata,good2", "--release",
                releases.zip("4.4.1", OmeroReleases.Fault.FAILS_ON_DATA).toString(), "--require-rehearsal", "--runs-dir", runs.toString());
        JsonNode refused = lastReport(runs, "baddata");
        assertEquals("FAILED_NO_CHANGE", refused.get("state").asText(), upgrade.out());
        assertTrue(refused.get("message").asText().contains("no successful rehearsal"), refused.toString());
        assertEquals(before.get("baddata"), checksums("baddata"), "the refused host is untouched");
        assertEquals("SUCCEEDED", lastReport(runs, "good2").get("state").asText(), upgrade.out());
    }
}
