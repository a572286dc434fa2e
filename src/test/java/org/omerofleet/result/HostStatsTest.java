package org.omerofleet.result;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The recap counters, counted as ansible-playbook counts them (strategy/__init__.py, _process_pending_results). */
class HostStatsTest {

    private static final TaskResult OK = new TaskResult.Ok(false, "");
    private static final TaskResult CHANGED = new TaskResult.Ok(true, "");
    private static final TaskResult FAILED = new TaskResult.Failed("boom");
    private static final TaskResult FAILED_AFTER_A_CHANGE = new TaskResult.Failed(true, "boom", Map.of(), Map.of());
    private static final TaskResult LOST = new TaskResult.Unreachable("gone");

    @Test
    void okAndChangedCountInOk() {
        assertEquals(new HostStats(1, 0, 0, 0, 0, 0, 0), HostStats.of(OK, false, false));
        assertEquals(new HostStats(1, 1, 0, 0, 0, 0, 0), HostStats.of(CHANGED, false, false));
        assertEquals(new HostStats(0, 0, 0, 0, 1, 0, 0), HostStats.of(new TaskResult.Skipped("no"), false, false));
    }

    @Test
    void anIgnoredFailureCountsAsOkAndIgnoredAndChangedWhenItChanged() {
        assertEquals(new HostStats(1, 0, 0, 0, 0, 0, 1), HostStats.of(FAILED, true, false));
        assertEquals(new HostStats(1, 1, 0, 0, 0, 0, 1), HostStats.of(FAILED_AFTER_A_CHANGE, true, false));
        assertEquals(new HostStats(1, 0, 0, 0, 0, 0, 1), HostStats.of(LOST, true, false));
    }

    @Test
    void aFailureARescueCatchesCountsAsRescuedOnly() {
        assertEquals(new HostStats(0, 0, 0, 0, 0, 1, 0), HostStats.of(FAILED, false, true));
        assertEquals(new HostStats(0, 0, 0, 1, 0, 0, 0), HostStats.of(FAILED_AFTER_A_CHANGE, false, false));
        assertEquals(new HostStats(0, 0, 1, 0, 0, 0, 0), HostStats.of(LOST, false, false));
    }

    @Test
    void theExitSeverityOrderIsOneTotalOrder() {
        assertEquals(HostState.NEEDS_ATTENTION, HostState.worst(java.util.List.of(HostState.values())).orElseThrow());
        assertEquals(HostState.FAILED_NO_CHANGE, HostState.UNREACHABLE.worse(HostState.FAILED_NO_CHANGE));
        assertEquals(HostState.SUCCEEDED, HostState.UP_TO_DATE.worse(HostState.SUCCEEDED));
        assertEquals(HostState.FAILED_ROLLED_BACK, HostState.FAILED_ROLLED_BACK.worse(HostState.FAILED_NO_CHANGE));
    }
}
