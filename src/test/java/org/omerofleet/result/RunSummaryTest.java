package org.omerofleet.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The run summary and the task results it is made of: values that cannot change after the fact. */
class RunSummaryTest {

    private static HostOutcome outcome(String host, HostState state, Map<String, Object> report, List<StepRecord> steps) {
        return new HostOutcome(host, state, new HostStats(0, 0, 0, 0, 0, 0, 0), "", report, steps);
    }

    @Test
    void countsHostsPerStateInTheOrderTheyFirstAppeared() {
        List<HostOutcome> hosts = new ArrayList<>(List.of(outcome("b", HostState.SUCCEEDED, Map.of(), List.of()),
                outcome("a", HostState.UNREACHABLE, Map.of(), List.of()), outcome("c", HostState.SUCCEEDED, Map.of(), List.of())));
        RunSummary summary = new RunSummary("run1", Path.of("runs/run1"), Path.of("upgrade.yml"), Path.of("prod.yml"),
                Instant.EPOCH, Instant.EPOCH.plusSeconds(5), hosts, false, false);
        hosts.clear();
        assertEquals(List.of("b", "a", "c"), summary.hosts().stream().map(HostOutcome::host).toList());
        assertEquals(2, summary.count(HostState.SUCCEEDED));
        assertEquals(1, summary.count(HostState.UNREACHABLE));
        assertEquals(0, summary.count(HostState.NEEDS_ATTENTION));
        assertThrows(UnsupportedOperationException.class, () -> summary.hosts().add(outcome("d", HostState.SUCCEEDED, Map.of(), List.of())));
    }

    @Test
    void aHostOutcomeKeepsItsReportInOrderAndCannotBeChangedThroughTheMapItWasGiven() {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("release_before", "4.3.2");
        report.put("release_after", "4.4.1");
        report.put("backup_sha256", "ab");
        StepRecord step = new StepRecord("stop", "omero_server", TaskResult.Status.CHANGED, Instant.EPOCH, Duration.ofSeconds(2), "", false);
        HostOutcome host = outcome("omero1", HostState.SUCCEEDED, report, List.of(step));
        report.put("release_after", "9.9");
        assertEquals(List.of("release_before", "release_after", "backup_sha256"), List.copyOf(host.report().keySet()));
        assertEquals("4.4.1", host.report().get("release_after"));
        assertThrows(UnsupportedOperationException.class, () -> host.report().put("x", 1));
        assertThrows(NullPointerException.class, () -> new HostOutcome("h", null, new HostStats(0, 0, 0, 0, 0, 0, 0), "", Map.of(), List.of()));
    }

    @Test
    void registeredDataMayHoldNullsYetIsCopied() {
        Map<String, Object> data = new HashMap<>();
        data.put("stdout", null);
        TaskResult.Ok ok = new TaskResult.Ok(false, "", data);
        data.put("stdout", "later");
        assertTrue(ok.data().containsKey("stdout"));
        assertNull(ok.data().get("stdout"));
        assertEquals(TaskResult.Status.OK, ok.status());
        assertEquals(TaskResult.Status.CHANGED, new TaskResult.Ok(true, "").status());
    }

    @Test
    void skippedAndUnreachableNeverChangedAHostNorDeclareAnything() {
        TaskResult skipped = new TaskResult.Skipped("when was false");
        TaskResult unreachable = new TaskResult.Unreachable("connect timed out");
        for (TaskResult r : List.of(skipped, unreachable)) {
            assertFalse(r.changed());
            assertEquals(Declaration.NONE, r.declared());
        }
        // registered as Ansible registers a skipped task
        assertEquals(Map.of("skipped", true, "skip_reason", "when was false", "changed", false), skipped.data());
        assertEquals(TaskResult.Status.SKIPPED, skipped.status());
        assertEquals(TaskResult.Status.UNREACHABLE, unreachable.status());
        assertEquals(TaskResult.Status.FAILED, new TaskResult.Failed("boom").status());
    }

    @Test
    void aDeclaredOutcomeKeepsTheWindowAsItIs() {
        Declaration rolledBack = Declaration.outcome(HostState.FAILED_ROLLED_BACK);
        assertEquals(HostState.FAILED_ROLLED_BACK, rolledBack.outcome().orElseThrow());
        assertEquals(Declaration.Window.KEPT, rolledBack.window());
        assertTrue(Declaration.OPENS_WINDOW.outcome().isEmpty());
    }
}
