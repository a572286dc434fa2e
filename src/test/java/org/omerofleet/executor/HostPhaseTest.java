package org.omerofleet.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.omerofleet.result.HostState;

/** The host-state machine, table by table: every phase against every event, and what each phase ends as. */
class HostPhaseTest {

    @ParameterizedTest(name = "{0} + {1} -> {2}")
    @CsvSource({
        // nothing changed yet
        "CLEAN, OK, CLEAN",
        "CLEAN, CHANGED, CHANGED",
        "CLEAN, WINDOW_OPENED, IN_FLIGHT",
        "CLEAN, WINDOW_CLOSED, CLEAN",
        "CLEAN, FAILED, FAILED",
        "CLEAN, UNREACHABLE, UNREACHABLE",
        "CLEAN, STOPPED, STOPPED",
        // changed, outside the window
        "CHANGED, OK, CHANGED",
        "CHANGED, CHANGED, CHANGED",
        "CHANGED, WINDOW_OPENED, IN_FLIGHT",
        "CHANGED, WINDOW_CLOSED, CHANGED",
        "CHANGED, FAILED, FAILED",
        "CHANGED, UNREACHABLE, UNREACHABLE",
        "CHANGED, STOPPED, STOPPED",
        // inside the window
        "IN_FLIGHT, OK, IN_FLIGHT",
        "IN_FLIGHT, CHANGED, IN_FLIGHT",
        "IN_FLIGHT, WINDOW_OPENED, IN_FLIGHT",
        "IN_FLIGHT, WINDOW_CLOSED, CHANGED",
        "IN_FLIGHT, FAILED, FAILED_IN_FLIGHT",
        "IN_FLIGHT, UNREACHABLE, LOST_IN_FLIGHT",
        "IN_FLIGHT, STOPPED, FAILED_IN_FLIGHT",
    })
    void activePhasesMoveByTheTable(HostPhase from, HostPhase.Event event, HostPhase to) {
        assertEquals(to, from.on(event));
    }

    @ParameterizedTest
    @EnumSource(value = HostPhase.class, names = {"FAILED", "FAILED_IN_FLIGHT", "UNREACHABLE", "LOST_IN_FLIGHT", "STOPPED"})
    void terminalPhasesAbsorbEveryEvent(HostPhase terminal) {
        for (HostPhase.Event event : HostPhase.Event.values()) {
            assertEquals(terminal, terminal.on(event), terminal + " + " + event);
        }
    }

    @ParameterizedTest(name = "{0} ends {1}")
    @CsvSource({
        "CLEAN, UP_TO_DATE",
        "CHANGED, SUCCEEDED",
        "IN_FLIGHT, SUCCEEDED",
        "FAILED, FAILED_NO_CHANGE",
        "FAILED_IN_FLIGHT, NEEDS_ATTENTION",
        "UNREACHABLE, UNREACHABLE",
        "LOST_IN_FLIGHT, NEEDS_ATTENTION",
        "STOPPED, FAILED_NO_CHANGE",
    })
    void eachPhaseEndsInOneHostState(HostPhase phase, HostState state) {
        assertEquals(state, phase.outcome());
    }
}
