package org.omerofleet.omero;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class VenvPlanTest {

    private static final VenvPlan.Found NOTHING = new VenvPlan.Found("", "", "", "3.11.2");
    private static final VenvPlan.Wanted OFF = new VenvPlan.Wanted(false, "/opt/omero/server/venv3", "");
    private static final VenvPlan.Wanted ON = new VenvPlan.Wanted(true, "/opt/omero/server/venv3", "5.19.4");

    private static VenvPlan decide(String current, String target, VenvPlan.Found found, VenvPlan.Wanted wanted) {
        return VenvPlan.decide(Optional.of(ReleaseVersion.of(current)), ReleaseVersion.of(target), found, wanted);
    }

    @Test
    void aTargetBefore56NeedsNoVirtualenv() {
        assertEquals(VenvPlan.none(), decide("5.3.5", "5.4.10", NOTHING, OFF));
    }

    @Test
    void aFiveFiveHostGoingTo56WithoutAVirtualenvIsBlockedWithWhatToDo() {
        VenvPlan plan = decide("5.5.1", "5.6.9", NOTHING, OFF);
        assertFalse(plan.setup());
        assertEquals("OMERO 5.5.1 -> 5.6.9: OMERO 5.6's bin/omero runs omero-py from a Python 3 virtualenv, and no Python 3 virtualenv with omero-py"
                + " was found (looked for /opt/omero/server/venv3). Create it (`python3 -m venv /opt/omero/server/venv3 && /opt/omero/server/venv3/bin/pip"
                + " install omero-py`) and set omero_venv_dir: /opt/omero/server/venv3, or set omero_venv_create: true to let the upgrade do it",
                plan.blocker().orElseThrow());
    }

    @Test
    void aVirtualenvWithoutOmeroPyIsNamedInTheBlocker() {
        VenvPlan plan = decide("5.4.10", "5.6.9", new VenvPlan.Found("/srv/venv", "venv_dir", "", "3.11.2"), OFF);
        assertTrue(plan.blocker().orElseThrow().contains("the virtualenv /srv/venv has no omero-py. Create it (`python3 -m venv /srv/venv"), plan.toString());
    }

    @Test
    void withCreationOnItIsAStepWithThePinnedOmeroPy() {
        VenvPlan plan = decide("5.4.10", "5.6.9", NOTHING, ON);
        assertTrue(plan.setup() && plan.create());
        assertEquals("/opt/omero/server/venv3", plan.venv());
        assertTrue(plan.blocker().isEmpty());
        assertTrue(plan.note().orElseThrow().contains("`python3 -m venv /opt/omero/server/venv3` (Python 3.11.2) and "
                + "`/opt/omero/server/venv3/bin/pip install omero-py==5.19.4`"), plan.toString());
    }

    @Test
    void withCreationOnButNoPython3ItIsBlocked() {
        VenvPlan plan = decide("5.4.10", "5.6.9", new VenvPlan.Found("", "", "", ""), ON);
        assertFalse(plan.setup());
        assertTrue(plan.blocker().orElseThrow().contains("omero_venv_create is set but the host has no python3 on the login's PATH"), plan.toString());
    }

    @Test
    void withCreationOnAVirtualenvWithoutOmeroPyOnlyGetsItNoPython3Needed() {
        VenvPlan plan = decide("5.4.10", "5.6.9", new VenvPlan.Found("/srv/venv", "venv_dir", "", ""), ON);
        assertTrue(plan.setup() && plan.blocker().isEmpty(), plan.toString());
        assertTrue(plan.note().orElseThrow().endsWith("the virtualenv /srv/venv has no omero-py; the upgrade will run `/srv/venv/bin/pip install omero-py==5.19.4`"
                + " before the server stops, and the new release's bin/omero will run it"), plan.toString());
    }

    @Test
    void anExistingVirtualenvWithOmeroPyIsUsedAndNotCreated() {
        VenvPlan plan = decide("5.4.10", "5.6.9", new VenvPlan.Found("/opt/omero/server/venv3", "beside", "5.13.1", "3.11.2"), OFF);
        assertTrue(plan.setup());
        assertFalse(plan.create());
        assertTrue(plan.note().orElseThrow().contains("will run omero-py 5.13.1 from the Python 3 virtualenv /opt/omero/server/venv3"), plan.toString());
    }

    @Test
    void aFiveSixHostWhoseBinOmeroRunsAVirtualenvIsLeftToTheUsualOmeroPyUpgrade() {
        assertEquals(VenvPlan.none(), decide("5.6.3", "5.6.9", new VenvPlan.Found("/opt/omero/server/venv3", "wrapper", "5.8.1", ""), OFF));
    }

    @Test
    void aFiveSixHostWithoutAVirtualenvIsBlockedToo() {
        assertTrue(decide("5.6.3", "5.6.9", NOTHING, OFF).blocker().isPresent());
    }
}
