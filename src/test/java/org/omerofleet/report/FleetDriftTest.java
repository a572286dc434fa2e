package org.omerofleet.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.omerofleet.result.HostOutcome;
import org.omerofleet.result.HostState;
import org.omerofleet.result.HostStats;

/** How the fleet's value of a setting is chosen, and who drifts from it. */
class FleetDriftTest {

    /** A host that was asked, with these settings (a value starting {@code digest:} is a secret with that digest). */
    private static HostOutcome host(String name, Map<String, String> settings) {
        Map<String, Object> config = new LinkedHashMap<>();
        List<List<String>> digests = new ArrayList<>();
        settings.forEach((k, v) -> {
            if (v.startsWith("digest:")) {
                config.put(k, "********");
                digests.add(List.of(k, v.substring(7)));
            } else {
                config.put(k, v);
            }
        });
        Map<String, Object> facts = Map.of("release", "5.6.3", "schema", "OMERO5.4__0", "config", config, "config_digests", digests,
                "target_release", "", "target_schema", "");
        return new HostOutcome(name, HostState.UP_TO_DATE, HostStats.EMPTY, "", Map.of("omero", facts), List.of());
    }

    private static HostOutcome unreachable(String name) {
        return new HostOutcome(name, HostState.UNREACHABLE, HostStats.EMPTY, "connection refused", Map.of(), List.of());
    }

    @Test
    void theMostCommonValueIsTheFleetsAndAMissingSettingCountsAsUnset() {
        FleetDrift drift = new FleetDrift(List.of(host("a", Map.of("omero.x", "1")), host("b", Map.of("omero.x", "1")), host("c", Map.of()),
                unreachable("d")));
        assertEquals(List.of(new FleetDrift.Setting("omero.x", "1", false, Map.of("c", "(unset)"))), drift.settings());
        assertEquals("omero.x=(unset) (fleet: 1)", drift.settingsColumn("c"));
        assertEquals("", drift.settingsColumn("d"));
    }

    @Test
    void aTieGoesToTheValueOfTheFirstHostInInventoryOrder() {
        FleetDrift drift = new FleetDrift(List.of(host("a", Map.of("omero.x", "2")), host("b", Map.of("omero.x", "1")),
                host("c", Map.of("omero.x", "1")), host("d", Map.of("omero.x", "2")), host("e", Map.of("omero.x", "3"))));
        assertEquals(List.of(new FleetDrift.Setting("omero.x", "2", false, Map.of("b", "1", "c", "1", "e", "3"))), drift.settings());
    }

    @Test
    void aSettingThatDiffersOnEveryHostHasNoFleetValueAndNoDrift() {
        FleetDrift drift = new FleetDrift(List.of(host("a", Map.of("omero.db.name", "a")), host("b", Map.of("omero.db.name", "b")),
                host("c", Map.of("omero.db.name", "c"))));
        assertEquals(List.of(), drift.settings());
        assertEquals(List.of("omero.db.name"), drift.perHost());
    }

    @Test
    void secretsAreComparedByDigestAndShownMasked() {
        FleetDrift drift = new FleetDrift(List.of(host("a", Map.of("omero.db.pass", "digest:aa")), host("b", Map.of("omero.db.pass", "digest:aa")),
                host("c", Map.of("omero.db.pass", "digest:bb"))));
        assertEquals(List.of(new FleetDrift.Setting("omero.db.pass", "********", true, Map.of("c", "********"))), drift.settings());
        assertEquals("omero.db.pass=******** (not the fleet's)", drift.settingsColumn("c"));
    }
}
