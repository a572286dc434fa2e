package org.omerofleet.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.omerofleet.result.HostOutcome;
import org.omerofleet.result.HostState;
import org.omerofleet.result.HostStats;
import org.omerofleet.result.RunSummary;
import org.omerofleet.result.StepRecord;
import org.omerofleet.result.TaskResult.Status;

/** Actual downtime from step timings, the history's medians, the fleet's wall time with batches and forks, and how plan shows them. */
class DowntimeReportTest {

    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    /** Steps one after another from T0: (module, status, ms). */
    private static List<StepRecord> steps(Object... spec) {
        List<StepRecord> steps = new ArrayList<>();
        Instant at = T0;
        for (int i = 0; i < spec.length; i += 3) {
            Duration d = Duration.ofMillis(((Number) spec[i + 2]).longValue());
            steps.add(new StepRecord("task" + i, (String) spec[i], (Status) spec[i + 1], at, d, "", false));
            at = at.plus(d);
        }
        return steps;
    }

    private static HostOutcome upgraded(String host, Map<String, Object> report) {
        return new HostOutcome(host, HostState.SUCCEEDED, HostStats.EMPTY, "", report, steps(
                "omero_facts", Status.OK, 400, "omero_plan", Status.OK, 10, "omero_web", Status.SKIPPED, 0,
                "omero_server", Status.CHANGED, 2_000, "pg_backup", Status.CHANGED, 5_000, "omero_config", Status.CHANGED, 300,
                "omero_db_upgrade", Status.CHANGED, 7_000, "omero_link", Status.CHANGED, 200, "omero_server", Status.CHANGED, 3_000,
                "omero_facts", Status.OK, 500));
    }

    private static Map<String, Object> forecast(long downtime, long... phaseMs) {
        Map<String, Object> phases = new LinkedHashMap<>();
        String[] names = {"stop", "dump", "verify", "db_upgrade", "switch", "start"};
        for (int i = 0; i < names.length; i++) {
            phases.put(names[i], Map.of("ms", phaseMs[i], "source", "history"));
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("downtime_ms", downtime);
        f.put("db_size", 1_000_000L);
        f.put("phases", phases);
        f.put("outside", Map.of("ms", phaseMs[6], "source", "default"));
        return f;
    }

    @Test
    void actualDowntimeRunsFromTheStopsStartToTheStartsEndSplitIntoPhases() {
        Map<String, Object> actual = DowntimeActual.of(upgraded("h1", Map.of("backup_dump_ms", 3_500L))).orElseThrow();

        assertEquals(2_000L + 5_000 + 300 + 7_000 + 200 + 3_000, actual.get("downtime_ms"));
        assertEquals(Map.of("stop", 2_000L, "dump", 3_500L, "verify", 1_500L, "db_upgrade", 7_000L, "switch", 500L, "start", 3_000L),
                actual.get("phases_ms"));
        assertEquals(400L + 10 + 500, actual.get("outside_ms"));
    }

    @Test
    void aHostThatNeverStoppedItsServerHasNoActualDowntime() {
        HostOutcome plan = new HostOutcome("h1", HostState.UP_TO_DATE, HostStats.EMPTY, "", Map.of(),
                steps("omero_facts", Status.OK, 400, "omero_plan", Status.OK, 10, "omero_server", Status.SKIPPED, 0));
        assertEquals(Optional.empty(), DowntimeActual.of(plan));
    }

    @Test
    void theConsoleLineComparesPredictedAndActual() {
        HostOutcome host = upgraded("h1", Map.of("backup_dump_ms", 3_500L, "plan_downtime", forecast(15_000, 1, 1, 1, 1, 1, 1, 1)));

        assertEquals(Optional.of("downtime predicted 15.0 s, actual 17.5 s (+17%)"), DowntimeActual.comparison(host));
        assertTrue(Columns.describe(host).contains("downtime predicted 15.0 s, actual 17.5 s"), Columns.describe(host));
    }

    @Test
    void reportJsonKeepsThePredictionAndTheActualDowntimeForTheHistory() throws Exception {
        HostOutcome host = upgraded("h1", Map.of("backup_dump_ms", 3_500L, "plan_downtime", forecast(15_000, 1, 1, 1, 1, 1, 1, 1)));
        RunSummary summary = new RunSummary("r1", Path.of("runs/r1"), Path.of("upgrade.yml"), Path.of("hosts"), T0, T0.plusSeconds(30), List.of(host), false, false);
        String json = new ReportJson().render(summary, 0);

        RunHistory history = new RunHistory(List.of(json));
        Map<String, Object> model = history.downtimeModel("OMERO5.4__0", Optional.empty());
        Map<?, ?> h1 = (Map<?, ?>) ((Map<?, ?>) model.get("hosts")).get("h1");
        assertEquals(2_000L, h1.get("stop_ms"));
        assertEquals(3_000L, h1.get("start_ms"));
        assertEquals(500L, h1.get("switch_ms"));
        assertEquals(1_000_000 * 1000.0 / 3_500, (Double) h1.get("dump_bps"), 1e-6);
        assertEquals(1_000_000 * 1000.0 / 7_000, (Double) h1.get("db_upgrade_bps"), 1e-6);
        assertEquals(h1.get("stop_ms"), ((Map<?, ?>) model.get("fleet")).get("stop_ms"));
    }

    @Test
    void anUpgradePredictedFromARehearsalTeachesTheHistoryTheRatioOfActualToRehearsed() {
        Map<String, Object> predicted = forecast(15_000, 1, 1, 1, 1, 1, 1, 1);
        @SuppressWarnings("unchecked")
        Map<String, Object> phases = (Map<String, Object>) predicted.get("phases");
        phases.put("db_upgrade", Map.of("ms", 3_500L, "source", "rehearsal", "rehearsed_ms", 3_500L));
        HostOutcome host = upgraded("h1", Map.of("backup_dump_ms", 3_500L, "plan_downtime", predicted));
        RunSummary summary = new RunSummary("r1", Path.of("runs/r1"), Path.of("upgrade.yml"), Path.of("hosts"), T0, T0.plusSeconds(30), List.of(host), false, false);

        Map<String, Object> model = new RunHistory(List.of(new ReportJson().render(summary, 0))).downtimeModel("x", Optional.empty());

        assertEquals(2.0, ((Map<?, ?>) ((Map<?, ?>) model.get("hosts")).get("h1")).get("db_upgrade_rehearsal_factor"), "7.0 s actual / 3.5 s rehearsed");
        assertEquals(2.0, ((Map<?, ?>) model.get("fleet")).get("db_upgrade_rehearsal_factor"));
    }

    @Test
    void theHistoryTakesMediansPerHostAndOverTheFleetAndTheNewestRehearsalToTheTarget() {
        List<String> runs = List.of(
                rehearsal("2026-12-01T00:00:00Z", "a", 1_000, 100, 2_000, "OMERO5.4__0"),
                rehearsal("2026-12-02T00:00:00Z", "a", 3_000, 100, 4_000, "OMERO5.4__0"),
                rehearsal("2026-12-02T00:00:00Z", "b", 5_000, 100, 8_000, "OMERO5.3__0"));
        Map<String, Object> model = new RunHistory(runs).downtimeModel("OMERO5.4__0", Optional.empty());
        Map<?, ?> a = (Map<?, ?>) ((Map<?, ?>) model.get("hosts")).get("a");
        Map<?, ?> fleet = (Map<?, ?>) model.get("fleet");

        assertEquals((1e6 + 1e6 / 3) / 2, (Double) a.get("dump_bps"), 1e-6, "median (mean of the two) of 1e6 B in 1 s and in 3 s");
        assertEquals(1e6 * 1000 / 3_000, (Double) fleet.get("dump_bps"), 1e-6, "median of three");
        assertEquals(Map.of("dump", 3_000L, "verify", 100L, "upgrade", 4_000L), a.get("rehearsal_ms"), "the newest to the target");
        assertTrue(!((Map<?, ?>) ((Map<?, ?>) model.get("hosts")).get("b")).containsKey("rehearsal_ms"), "b rehearsed another target");
        Map<String, Object> before = new RunHistory(runs).downtimeModel("OMERO5.4__0", Optional.of(Instant.parse("2026-12-01T12:00:00Z")));
        assertEquals(Map.of("dump", 1_000L, "verify", 100L, "upgrade", 2_000L),
                ((Map<?, ?>) ((Map<?, ?>) before.get("hosts")).get("a")).get("rehearsal_ms"), "a resumed run reads only runs before it");
    }

    private static String rehearsal(String started, String host, long dump, long verify, long upgrade, String target) {
        return "{\"started\":\"" + started + "\",\"check\":false,\"hosts\":[{\"host\":\"" + host + "\",\"state\":\"UP_TO_DATE\",\"report\":{"
                + "\"rehearsal_ok\":true,\"rehearsal_target\":\"" + target + "\",\"rehearsal_db_size\":1000000,"
                + "\"rehearsal_phases_ms\":{\"dump\":" + dump + ",\"verify\":" + verify + ",\"upgrade\":" + upgrade + "}}}]}";
    }

    @Test
    void aRunThatStoppedAndStartedTheServerWithoutAnUpgradesPredictionTeachesTheHistoryNothing() {
        HostOutcome restored = upgraded("h1", Map.of("backup_dump_ms", 3_500L)); // e.g. restore.yml: stop, restore, start
        RunSummary summary = new RunSummary("r1", Path.of("runs/r1"), Path.of("restore.yml"), Path.of("hosts"), T0, T0.plusSeconds(30),
                List.of(restored), false, false);

        assertTrue(new ReportJson().render(summary, 0).contains("\"downtime_actual\""), "its downtime is still reported");
        assertEquals(Map.of(), new RunHistory(List.of(new ReportJson().render(summary, 0))).downtimeModel("x", Optional.empty()).get("hosts"));
    }

    @Test
    void aCheckRunTeachesTheHistoryNothing() {
        String run = rehearsal("2026-12-01T00:00:00Z", "a", 1_000, 100, 2_000, "x").replace("\"check\":false", "\"check\":true");
        assertEquals(Map.of(), new RunHistory(List.of(run)).downtimeModel("x", Optional.empty()).get("hosts"));
    }

    @Test
    void theFleetRunsBatchesOneAfterAnotherAndEachPhaseOnAtMostForksHosts() {
        Map<String, Map<?, ?>> hosts = new LinkedHashMap<>();
        hosts.put("a", forecast(0, 10, 20, 0, 0, 0, 0, 5));
        hosts.put("b", forecast(0, 10, 40, 0, 0, 0, 0, 5));
        hosts.put("c", forecast(0, 10, 30, 0, 0, 0, 0, 5));
        hosts.put("up-to-date", null);

        // one batch, 5 forks: each phase as long as its slowest host
        assertEquals(new FleetForecast(5 + 10 + 40, 1, 55, 1), FleetForecast.of(hosts, List.of(), 5));
        // one batch, 1 fork: every phase one host after another
        assertEquals(new FleetForecast(15 + 30 + 90, 1, 135, 1), FleetForecast.of(hosts, List.of(), 1));
        // --serial 1,2: a canary (a) then b, c together and the host with nothing to do
        assertEquals(new FleetForecast(35 + 55, 2, 55, 3), FleetForecast.of(hosts, List.of(1, 2), 5));
    }

    @Test
    void makespanPlacesEachJobOnTheFirstFreeFork() {
        assertEquals(0, FleetForecast.makespan(List.of(), 3));
        assertEquals(6, FleetForecast.makespan(List.of(4L, 3L, 3L), 2)); // 4 | 3+3
        assertEquals(10, FleetForecast.makespan(List.of(4L, 3L, 3L), 0), "fewer than one fork counts as one");
    }

    @Test
    void planShowsEachHostsPredictionWithSourcesAndTheFleetsWallTime() {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("plan_target", "5.4.10");
        report.put("plan_up_to_date", false);
        report.put("plan_db_upgrade", true);
        report.put("plan_downtime", forecast(75_000, 15_000, 10_000, 0, 40_000, 5_000, 5_000, 30_000));
        HostOutcome a = new HostOutcome("a", HostState.UP_TO_DATE, HostStats.EMPTY, "", report, List.of());
        RunSummary summary = new RunSummary("r1", Path.of("runs/r1"), Path.of("plan.yml"), Path.of("hosts"), T0, T0, List.of(a), false, false);

        String table = PlanTable.render(summary, List.of(1), 5);

        assertTrue(table.contains("DOWNTIME"), table);
        assertTrue(table.matches("(?s).*\\na +.* yes +ready +1m15s\\n.*"), table);
        assertTrue(table.contains("a: predicted downtime 1m15s = stop 15.0 s (history) + dump 10.0 s (history)"), table);
        assertTrue(table.contains("; outside the downtime 30.0 s (default)"), table);
        assertTrue(table.contains("fleet: predicted wall time 1m45s in 1 batch (--serial 1, --forks 5); longest batch 1: 1m45s"), table);
    }
}
