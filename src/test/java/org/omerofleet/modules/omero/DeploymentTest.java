package org.omerofleet.modules.omero;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the report's LAYOUT column says of a host, from what the detection fragment printed. */
class DeploymentTest {

    @Test
    void aHostDeployedByTheOmeRolesIsDescribedWithBothVirtualenvsAndUnits() {
        Map<String, String> raw = Map.of("venv", "/opt/omero/server/venv3", "omero_py", "5.19.4", "server_unit", "omero-server",
                "web_dir", "/opt/omero/web/OMERO.web", "web_venv", "/opt/omero/web/venv3", "omero_web", "5.27.1", "web_unit", "omero-web");
        Map<String, Object> facts = Deployment.facts(raw);
        assertEquals("venv (omero-py 5.19.4), systemd, web separate (omero-web 5.27.1), systemd", facts.get("deployment"));
        assertEquals(true, facts.get("systemd"));
        assertEquals("/opt/omero/web/venv3", facts.get("web_venv"));
        assertTrue(Deployment.inVenv(raw));
    }

    @Test
    void aPlainInstallHasEmptyDeploymentFactsSoThePlaybookSkipsEveryVenvStep() {
        Map<String, Object> facts = Deployment.facts(Map.of("venv", ""));
        assertEquals("", facts.get("deployment"));
        assertEquals(false, facts.get("systemd"));
        for (String key : new String[] {"venv", "server_unit", "web_dir", "web_venv", "web_unit"}) {
            assertEquals("", facts.get(key), key);
        }
        assertFalse(Deployment.inVenv(Map.of()));
    }

    @Test
    void aServerUnitWithoutVirtualenvIsStillSystemd() {
        assertEquals("systemd", Deployment.describe(Map.of("server_unit", "omero-server")));
    }
}
