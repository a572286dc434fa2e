package org.omerofleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.omerofleet.cli.SandboxCli.cli;
import static org.omerofleet.cli.SandboxCli.lastReport;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omerofleet.cli.SandboxCli.Run;
import org.omerofleet.sandbox.OmeroReleases;
import org.omerofleet.sandbox.OmeroSandbox;

/**
 * Predicted downtime on sandbox hosts: {@code plan --rehearse} predicts each host's downtime phase by phase with the
 * source of every figure, the following {@code upgrade} reports predicted against actual downtime (console and
 * report.json), and a later plan predicts from what the upgrade measured. Only presence and sign of the figures are
 * checked, never their size.
 */
class DowntimePredictionTest {

    static final List<String> HOSTS = List.of("dt1", "dt2", "dt3");
    static Path root;
    static OmeroSandbox sandbox;
    static Path inventory;
    static OmeroReleases releases;

    @BeforeAll
    static void start() throws Exception {
        root = Files.createTempDirectory("downtime-test");
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

    private static void assertPositive(JsonNode value, String what) {
        assertTrue(value.isNumber() && value.asLong() > 0, what + " is " + value);
    }

    @Test
    void planRehearsePredictsEachHostsDowntimeWithSourcesAndTheUpgradeReportsPredictedAgainstActual() throws Exception {
        Path runs = root.resolve("runs");
        String release = releases.zip("4.4.1").toString();
        Run plan = cli("plan", "-i", inventory.toString(), "--release", release, "--rehearse", "--serial", "1,2", "--runs-dir", runs.toString());

        assertEquals(0, plan.exit(), plan.out());
        for (String host : HOSTS) {
            assertTrue(plan.out().matches("(?s).*\\n" + host + ": predicted downtime \\S+( s)? = stop \\S+( s)? \\(default\\) \\+ dump \\S+( s)? \\(rehearsal\\)"
                    + " \\+ verify \\S+( s)? \\(rehearsal\\) \\+ db_upgrade \\S+( s)? \\(rehearsal\\) \\+ switch \\S+( s)? \\(default\\) \\+ start \\S+( s)? \\(default\\);"
                    + " outside the downtime \\S+( s)? \\(default\\)\\n.*"), plan.out());
            JsonNode predicted = lastReport(runs, host).get("report").get("plan_downtime");
            assertPositive(predicted.get("downtime_ms"), host + " predicted downtime");
            assertEquals("rehearsal", predicted.get("phases").get("db_upgrade").get("source").asText(), predicted.toString());
        }
        // which batch is longest depends on the rehearsals' measured times: the hosts are alike
        assertTrue(plan.out().matches("(?s).*\\nfleet: predicted wall time \\S+ in 2 batches \\(--serial 1,2, --forks 5\\); longest batch [12]: .*"),
                plan.out());

        Run upgrade = cli("upgrade", "-i", inventory.toString(), "--limit", "dt1,dt2", "--release", release, "--runs-dir", runs.toString());

        assertEquals(0, upgrade.exit(), upgrade.out());
        for (String host : List.of("dt1", "dt2")) {
            assertTrue(upgrade.out().matches("(?s).*\\n" + host + " +: SUCCEEDED +.*  downtime predicted \\S+( s)?, actual \\S+( s)? \\([+-]\\d+%\\).*"),
                    upgrade.out());
            JsonNode report = lastReport(runs, host).get("report");
            assertPositive(report.get("plan_downtime").get("downtime_ms"), host + " predicted downtime");
            assertEquals("rehearsal", report.get("plan_downtime").get("phases").get("dump").get("source").asText(),
                    "the upgrade predicts from the host's rehearsal in the history: " + report.get("plan_downtime"));
            assertPositive(report.get("downtime_actual").get("downtime_ms"), host + " actual downtime");
            assertPositive(report.get("downtime_actual").get("phases_ms").get("db_upgrade"), host + " actual database upgrade");
        }
        Path html = root.resolve("run.html");
        Run page = cli("report", "--runs", lastRun(runs).toString(), "-o", html.toString());
        assertEquals(0, page.exit(), page.out());
        assertTrue(Files.readString(html).matches("(?s).*<td>dt1</td>.*<td>\\S+( s)? / \\S+( s)?</td>.*"), Files.readString(html));

        // the history now holds two upgrades: dt3's next prediction takes stop, switch and start from the fleet's
        Run again = cli("plan", "-i", inventory.toString(), "--limit", "dt3", "--release", release, "--runs-dir", runs.toString(), "--json");
        JsonNode phases = new com.fasterxml.jackson.databind.ObjectMapper().readTree(again.out().substring(again.out().indexOf('{')))
                .get("hosts").get(0).get("report").get("plan_downtime").get("phases");
        assertEquals("fleet history", phases.get("stop").get("source").asText(), phases.toString());
        assertTrue(phases.get("db_upgrade").get("source").asText().startsWith("rehearsal x"),
                "dt3's rehearsal, corrected by what the upgrades measured against their rehearsals: " + phases);
    }

    private static Path lastRun(Path runs) throws Exception {
        try (var list = Files.list(runs)) {
            return list.sorted().reduce((a, b) -> b).orElseThrow();
        }
    }
}
