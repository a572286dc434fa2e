package org.omerofleet.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RelaunchTest {

    @Test
    void onlyCommandsThatContactHostsWithoutAHeapLimitGetASizedJvm() {
        assertTrue(Relaunch.wanted(List.of(), Map.of(), new String[] {"upgrade", "-i", "inv.yml"}));
        assertFalse(Relaunch.wanted(List.of("-Xmx2g"), Map.of(), new String[] {"upgrade", "-i", "inv.yml"}));
        assertFalse(Relaunch.wanted(List.of(), Map.of("OMERO_FLEET_JVM", "inherit"), new String[] {"upgrade"}));
        assertFalse(Relaunch.wanted(List.of(), Map.of(), new String[] {"inventory", "-i", "inv.yml"}));
        assertFalse(Relaunch.wanted(List.of(), Map.of(), new String[] {"run", "--help"}));
        assertFalse(Relaunch.wanted(List.of(), Map.of(), new String[] {}));
    }
}
