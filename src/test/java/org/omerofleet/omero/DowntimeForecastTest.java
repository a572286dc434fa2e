package org.omerofleet.omero;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.omerofleet.omero.DowntimeForecast.Estimate;
import org.omerofleet.omero.DowntimeForecast.Forecast;
import org.omerofleet.omero.DowntimeForecast.Inputs;
import org.omerofleet.omero.DowntimeForecast.Observed;

/** The downtime prediction's arithmetic: each phase from the rehearsal, else the host's history, else the fleet's, else a default. */
class DowntimeForecastTest {

    private static final long GB = 1_000_000_000L;

    private static Estimate phase(Forecast f, String name) {
        return f.phases().stream().filter(e -> e.phase().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void withoutAnyHistoryEveryPhaseIsTheStatedDefaultScaledByTheDatabaseSize() {
        Forecast f = DowntimeForecast.predict(new Inputs(GB, true, Map.of(), Observed.NONE, Observed.NONE));

        assertEquals(new Estimate("dump", 50_000, "default"), phase(f, "dump")); // 1 GB at 20 MB/s
        assertEquals(new Estimate("verify", 20_000, "default"), phase(f, "verify"));
        assertEquals(new Estimate("db_upgrade", 100_000, "default"), phase(f, "db_upgrade"));
        assertEquals(new Estimate("stop", 15_000, "default"), phase(f, "stop"));
        assertEquals(List.of("stop", "dump", "verify", "db_upgrade", "switch", "start"), f.phases().stream().map(Estimate::phase).toList());
        assertEquals(15_000 + 50_000 + 20_000 + 100_000 + 5_000 + 60_000, f.downtimeMillis());
        assertEquals(new Estimate("outside", 30_000, "default"), f.outside());
    }

    @Test
    void theRehearsalsPhasesWinOverHistory() {
        Observed host = new Observed(Map.of("dump", 1e6, "verify", 1e6, "db_upgrade", 1e6), Map.of("stop", 2_000L));
        Forecast f = DowntimeForecast.predict(new Inputs(GB, true, Map.of("dump", 1_200L, "verify", 300L, "restore", 900L, "upgrade", 4_000L),
                host, Observed.NONE));

        assertEquals(new Estimate("dump", 1_200, "rehearsal", 1_200), phase(f, "dump"));
        assertEquals(new Estimate("verify", 300, "rehearsal", 300), phase(f, "verify"));
        assertEquals(new Estimate("db_upgrade", 4_000, "rehearsal", 4_000), phase(f, "db_upgrade"));
        assertEquals(new Estimate("stop", 2_000, "history"), phase(f, "stop"), "a rehearsal does not stop the server: stop comes from history");
    }

    @Test
    void theHostsOwnHistoryWinsOverTheFleetsAndTheFleetsOverTheDefault() {
        Observed host = new Observed(Map.of("dump", 100e6), Map.of("start", 8_000L));
        Observed fleet = new Observed(Map.of("dump", 10e6, "verify", 200e6), Map.of("start", 20_000L, "stop", 3_000L));
        Forecast f = DowntimeForecast.predict(new Inputs(GB, true, Map.of(), host, fleet));

        assertEquals(new Estimate("dump", 10_000, "history"), phase(f, "dump"));
        assertEquals(new Estimate("verify", 5_000, "fleet history"), phase(f, "verify"));
        assertEquals(new Estimate("db_upgrade", 100_000, "default"), phase(f, "db_upgrade"));
        assertEquals(new Estimate("start", 8_000, "history"), phase(f, "start"));
        assertEquals(new Estimate("stop", 3_000, "fleet history"), phase(f, "stop"));
        assertEquals(new Estimate("switch", 5_000, "default"), phase(f, "switch"));
    }

    @Test
    void theHistorysRehearsalFactorCorrectsTheRehearsalTheHostsOwnFirst() {
        Observed host = new Observed(Map.of(), Map.of(), Map.of("db_upgrade", 2.0));
        Observed fleet = new Observed(Map.of(), Map.of(), Map.of("db_upgrade", 3.0, "dump", 1.5));
        Forecast f = DowntimeForecast.predict(new Inputs(GB, true, Map.of("dump", 1_000L, "verify", 100L, "upgrade", 4_000L), host, fleet));

        assertEquals(new Estimate("db_upgrade", 8_000, "rehearsal x2.00 from history", 4_000), phase(f, "db_upgrade"));
        assertEquals(new Estimate("dump", 1_500, "rehearsal x1.50 from fleet history", 1_000), phase(f, "dump"));
        assertEquals(new Estimate("verify", 100, "rehearsal", 100), phase(f, "verify"));
        assertEquals(Map.of("ms", 8_000L, "source", "rehearsal x2.00 from history", "rehearsed_ms", 4_000L),
                ((Map<?, ?>) f.toMap().get("phases")).get("db_upgrade"));
    }

    @Test
    void aHostWhoseDatabaseNeedsNoUpgradeHasNoDatabaseUpgradePhase() {
        Forecast f = DowntimeForecast.predict(new Inputs(GB, false, Map.of("upgrade", 9_000L), Observed.NONE, Observed.NONE));

        assertEquals(new Estimate("db_upgrade", 0, "not needed"), phase(f, "db_upgrade"));
    }

    @Test
    void aPartialRehearsalFallsBackPhaseByPhase() {
        // a rehearsal that failed in the upgrade scripts timed the dump only
        Forecast f = DowntimeForecast.predict(new Inputs(2 * GB, true, Map.of("dump", 700L, "verify", -1L), Observed.NONE,
                new Observed(Map.of("verify", 1e9), Map.of())));

        assertEquals(new Estimate("dump", 700, "rehearsal", 700), phase(f, "dump"));
        assertEquals(new Estimate("verify", 2_000, "fleet history"), phase(f, "verify"));
    }

    @Test
    void sizedPhasesRoundUpAndAnEmptyOrUnknownSizeTakesNoTime() {
        assertEquals(1, DowntimeForecast.millis(1, 1e9));
        assertEquals(0, DowntimeForecast.millis(0, 1e6));
        Forecast unknown = DowntimeForecast.predict(new Inputs(-1, true, Map.of(), Observed.NONE, Observed.NONE));
        assertEquals(0, phase(unknown, "dump").millis());
    }

    @Test
    void theHistoryModelIsReadFromPlainMapsAndIgnoresWhatItDoesNotKnow() {
        Observed o = Observed.fromMap(Map.of("dump_bps", 5e6, "verify_bps", "fast", "stop_ms", 1200L, "start_ms", 3_000.6, "rehearsal_ms", Map.of(),
                "db_upgrade_rehearsal_factor", 1.8));

        assertEquals(Map.of("dump", 5e6), o.bytesPerSecond());
        assertEquals(Map.of("stop", 1_200L, "start", 3_001L), o.millis());
        assertEquals(Map.of("db_upgrade", 1.8), o.rehearsalFactors());
        assertEquals(Observed.NONE, Observed.fromMap("not a map"));
    }

    @Test
    void theForecastAsReportDataNamesEachPhasesSource() {
        Map<String, Object> map = DowntimeForecast.predict(new Inputs(GB, false, Map.of(), Observed.NONE, Observed.NONE)).toMap();

        assertEquals(15_000L + 50_000 + 20_000 + 0 + 5_000 + 60_000, map.get("downtime_ms"));
        assertEquals(Map.of("ms", 15_000L, "source", "default"), ((Map<?, ?>) map.get("phases")).get("stop"));
        assertEquals(GB, map.get("db_size"));
        assertEquals(30_000L, map.get("outside_ms"));
    }
}
