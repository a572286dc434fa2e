package org.omerofleet.omero;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UpgradePlannerTest {

    private static final long GIB = 1L << 30;
    private static final long MIB = 1L << 20;
    private static final ReleaseVersion R441 = ReleaseVersion.of("OMERO.server-4.4.1-ice34-b3035.zip");
    private static final ReleaseVersion R563 = ReleaseVersion.of("OMERO.server-5.6.3-ice36-b228");

    private final UpgradePlanner planner = new UpgradePlanner();

    private static HostFacts host(String release, String schema) {
        return new HostFacts(ReleaseVersion.parse(release), SchemaVersion.parse(schema), true, 500 * MIB, 10 * GIB,
                10 * GIB);
    }

    @Test
    void from432To441UpgradesTheDatabaseWithOneScript() {
        UpgradePlan plan = planner.plan(host("4.3.2", "OMERO4.3__0"), R441, UpgradeScriptsTest.RELEASE_4_4_1);

        assertTrue(plan.dbUpgradeNeeded());
        assertEquals(List.of("sql/psql/OMERO4.4__0/OMERO4.3__0.sql"),
                plan.scripts().stream().map(UpgradeScripts.Step::script).toList());
        assertFalse(plan.upToDate());
        assertEquals(List.of(), plan.blockers());
        assertTrue(plan.canProceed());
        assertEquals(Optional.of(SchemaVersion.of("OMERO4.3__0")), plan.currentSchema());
        assertEquals(Optional.of(SchemaVersion.of("OMERO4.4__0")), plan.targetSchema());
        assertEquals(Optional.of(ReleaseVersion.of("4.3.2")), plan.currentRelease());
        assertEquals(R441, plan.targetRelease());
        assertEquals(Layout.V4, plan.targetLayout());
    }

    @Test
    void from440To441ChangesBinariesButNotTheDatabase() {
        UpgradePlan plan = planner.plan(host("4.4.0", "OMERO4.4__0"), R441, UpgradeScriptsTest.RELEASE_4_4_1);

        assertFalse(plan.dbUpgradeNeeded());
        assertEquals(List.of(), plan.scripts());
        assertFalse(plan.upToDate());
        assertEquals(List.of(), plan.blockers());
        assertTrue(plan.canProceed());
    }

    @Test
    void from441To441IsUpToDate() {
        UpgradePlan plan = planner.plan(host("OMERO.server-4.4.1-ice34-b3035", "OMERO4.4__0"), ReleaseVersion.of("4.4.1"),
                UpgradeScriptsTest.RELEASE_4_4_1);

        assertTrue(plan.upToDate());
        assertFalse(plan.dbUpgradeNeeded());
        assertEquals(List.of(), plan.blockers());
        assertEquals(List.of(), plan.warnings());
        assertFalse(plan.canProceed());
    }

    @Test
    void upToDateIgnoresLowDisk() {
        HostFacts full = new HostFacts(ReleaseVersion.parse("4.4.1"), SchemaVersion.parse("OMERO4.4__0"), true,
                5 * GIB, 0, 0);
        assertTrue(planner.plan(full, R441, UpgradeScriptsTest.RELEASE_4_4_1).upToDate());
    }

    @Test
    void lessThanTwiceTheDatabaseAtTheBackupDirBlocks() {
        HostFacts facts = new HostFacts(ReleaseVersion.parse("4.3.2"), SchemaVersion.parse("OMERO4.3__0"), false,
                3 * GIB, 5 * GIB, 10 * GIB);
        UpgradePlan plan = planner.plan(facts, R441, UpgradeScriptsTest.RELEASE_4_4_1);

        assertEquals(List.of("Not enough free space for the database backup: 5.0 GiB free, need 6.0 GiB"
                + " (2 x database size 3.0 GiB)"), plan.blockers());
        assertFalse(plan.canProceed());
        assertTrue(plan.dbUpgradeNeeded());
    }

    @Test
    void exactlyTwiceTheDatabaseIsEnough() {
        HostFacts facts = new HostFacts(ReleaseVersion.parse("4.3.2"), SchemaVersion.parse("OMERO4.3__0"), false,
                3 * GIB, 6 * GIB, 10 * GIB);
        assertEquals(List.of(), planner.plan(facts, R441, UpgradeScriptsTest.RELEASE_4_4_1).blockers());
    }

    @Test
    void aBinaryOnlyUpgradeStillNeedsRoomForTheDump() {
        HostFacts facts = new HostFacts(ReleaseVersion.parse("4.4.0"), SchemaVersion.parse("OMERO4.4__0"), false,
                3 * GIB, GIB, 10 * GIB);
        assertEquals(1, planner.plan(facts, R441, UpgradeScriptsTest.RELEASE_4_4_1).blockers().size());
    }

    @Test
    void tooLittleRoomForTheNewReleaseBlocks() {
        HostFacts facts = new HostFacts(ReleaseVersion.parse("4.4.0"), SchemaVersion.parse("OMERO4.4__0"), false,
                MIB, GIB, 200 * MIB);
        assertEquals(List.of("Not enough free space for the new release: 200.0 MiB free at the install directory,"
                + " need 1.0 GiB"), planner.plan(facts, R441, UpgradeScriptsTest.RELEASE_4_4_1).blockers());
        assertEquals(List.of(), new UpgradePlanner(100 * MIB).plan(facts, R441, UpgradeScriptsTest.RELEASE_4_4_1)
                .blockers());
    }

    @Test
    void anUnreadableSchemaBlocks() {
        UpgradePlan plan = planner.plan(host("4.3.2", null), R441, UpgradeScriptsTest.RELEASE_4_4_1);
        assertEquals(List.of("Unable to read the database schema version from dbpatch"), plan.blockers());
        assertFalse(plan.dbUpgradeNeeded());
        assertFalse(plan.upToDate());
    }

    @Test
    void aTargetWithUnknownSchemaBlocks() {
        UpgradePlan plan = planner.plan(host("5.6.3", "OMERO5.4__0"), ReleaseVersion.of("5.7.0"), List.of());
        assertEquals(List.of("No known database schema for target release 5.7.0"), plan.blockers());
        assertEquals(Optional.empty(), plan.targetSchema());
    }

    @Test
    void noUpgradePathBlocks() {
        UpgradePlan plan = planner.plan(host("4.2.2", "OMERO4.2__0"), R441, UpgradeScriptsTest.RELEASE_4_4_1);
        assertEquals(List.of("No upgrade path found from OMERO4.2__0 to OMERO4.4__0"), plan.blockers());
    }

    @Test
    void aNewerDatabaseIsRefused() {
        UpgradePlan plan = planner.plan(host("4.4.1", "OMERO5.0__0"), R441, UpgradeScriptsTest.RELEASE_4_4_1);
        assertEquals(List.of("Database schema OMERO5.0__0 is newer than the target OMERO4.4__0; downgrade refused"),
                plan.blockers());
        assertFalse(plan.upToDate());
    }

    @Test
    void aNewerInstallIsRefused() {
        UpgradePlan plan = planner.plan(host("5.6.3", "OMERO5.4__0"), ReleaseVersion.of("5.6.2"),
                UpgradeScriptsTest.RELEASE_5_6);
        assertEquals(List.of("Installed release 5.6.3 is newer than the target 5.6.2; downgrade refused"),
                plan.blockers());
    }

    @Test
    void scriptsThatDisagreeWithTheReleaseBlock() {
        UpgradePlan plan = planner.plan(host("5.0.8", "OMERO5.0__0"), ReleaseVersion.of("5.1.4"),
                List.of("sql/psql/OMERO5.1__0/OMERO5.0__0.sql"));
        assertEquals(List.of("The release's upgrade scripts lead to OMERO5.1__0 but the release runs on OMERO5.1__1;"
                + " refusing to guess"), plan.blockers());
    }

    @Test
    void from50To563ChainsFourScriptsAndWarnsOfTheRunningServer() {
        UpgradePlan plan = planner.plan(host("5.0.8", "OMERO5.0__0"), R563, UpgradeScriptsTest.RELEASE_5_6);
        assertEquals(4, plan.scripts().size());
        assertEquals(SchemaVersion.of("OMERO5.4__0"), plan.scripts().get(3).to());
        assertEquals(List.of("OMERO.server is running and will be stopped for the upgrade"), plan.warnings());
        assertTrue(plan.canProceed());
    }

    @Test
    void crossingFrom4To5Warns() {
        UpgradePlan plan = planner.plan(host("4.4.1", "OMERO4.4__0"), R563, UpgradeScriptsTest.RELEASE_5_6);
        assertTrue(plan.warnings().contains("Layout changes from V4 to V5 (4.4.1 -> 5.6.3): OMERO.web, symlink and"
                + " environment differ"), plan.warnings().toString());
        assertEquals(5, plan.scripts().size());
    }

    @Test
    void anUnknownInstallWarnsAndIsNeverUpToDate() {
        UpgradePlan plan = planner.plan(host(null, "OMERO5.4__0"), R563, UpgradeScriptsTest.RELEASE_5_6);
        assertFalse(plan.upToDate());
        assertEquals(List.of(), plan.blockers());
        assertTrue(plan.warnings().contains("Installed release unknown; the install will be replaced by 5.6.3"));
    }

    @Test
    void sameReleaseWithAnOldSchemaStillUpgradesTheDatabase() {
        UpgradePlan plan = planner.plan(host("4.4.1", "OMERO4.3__0"), R441, UpgradeScriptsTest.RELEASE_4_4_1);
        assertFalse(plan.upToDate());
        assertTrue(plan.dbUpgradeNeeded());
        assertEquals(List.of(), plan.blockers());
    }

    @Test
    void hostFactsRejectNegativeSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new HostFacts(Optional.empty(), Optional.empty(), false, -1, 0, 0));
        assertEquals("dbSizeBytes must not be negative: -1", e.getMessage());
    }

    @Test
    void aPlanCannotClaimAnUpgradeWithoutScripts() {
        assertThrows(IllegalArgumentException.class, () -> new UpgradePlan(Optional.empty(), Optional.empty(), R441,
                Optional.empty(), true, List.of(), false, List.of(), List.of()));
    }
}
