package org.omerofleet.omero;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.omerofleet.omero.UpgradeScripts.Resolution;
import org.omerofleet.omero.UpgradeScripts.Step;

class UpgradeScriptsTest {

    /** What {@code find sql/psql -name '*.sql'} could print in a 4.4.1 server directory. */
    static final List<String> RELEASE_4_4_1 = List.of(
            "sql/psql/OMERO4.4__0/OMERO4.3__0.sql",
            "sql/psql/OMERO4.4__0/OMERO4.1__0.sql",
            "sql/psql/OMERO4.4__0/OMERO4.4-no-shares.sql",
            "sql/psql/OMERO4.4__0/schema.sql",
            "sql/psql/OMERO4.4__0/psql-footer.sql");

    /** The same for a 5.4 to 5.6 server directory, chain scripts mixed with helpers and prechecks. */
    static final List<String> RELEASE_5_6 = List.of(
            "sql/psql/OMERO5.0__0/OMERO4.4__0.sql",
            "sql/psql/OMERO5.0__0/OMERO5.0DEV__6.sql",
            "sql/psql/OMERO5.0__0/2014-SV2-empty-passwords-fix.sql",
            "sql/psql/OMERO5.1__0/OMERO5.0__0.sql",
            "sql/psql/OMERO5.1__1/OMERO5.0__0.sql",
            "sql/psql/OMERO5.1__1/OMERO5.1__0.sql",
            "sql/psql/OMERO5.2__0/OMERO5.1__1.sql",
            "sql/psql/OMERO5.3__0/OMERO5.2__0.sql",
            "sql/psql/OMERO5.3__1/OMERO5.2__0.sql",
            "sql/psql/OMERO5.3__1/OMERO5.3__0.sql",
            "sql/psql/OMERO5.4__0/OMERO5.3__0.sql",
            "sql/psql/OMERO5.4__0/OMERO5.3__0-precheck.sql",
            "sql/psql/OMERO5.4__0/OMERO5.3__1.sql",
            "sql/psql/OMERO5.4__0/OMERO5.3__1-precheck.sql",
            "sql/psql/OMERO5.4__0/schema.sql",
            "sql/psql/OMERO5.4__0/psql-footer.sql");

    private static SchemaVersion v(String name) {
        return SchemaVersion.of(name);
    }

    private static List<String> hops(Resolution r) {
        return r.steps().stream().map(s -> s.from() + "->" + s.to()).toList();
    }

    @Test
    void keepsOnlyChainSteps() {
        UpgradeScripts scripts = UpgradeScripts.fromPaths(RELEASE_4_4_1);
        assertEquals(List.of("sql/psql/OMERO4.4__0/OMERO4.1__0.sql", "sql/psql/OMERO4.4__0/OMERO4.3__0.sql"),
                scripts.steps().stream().map(Step::script).toList());
        assertEquals(List.of(v("OMERO4.1__0"), v("OMERO4.3__0"), v("OMERO4.4__0")), scripts.versions());
    }

    @Test
    void upgrades43To44InOneStep() {
        Resolution r = UpgradeScripts.fromPaths(RELEASE_4_4_1).resolve(v("OMERO4.3__0"));
        assertEquals(Resolution.Kind.PATH, r.kind());
        assertEquals(List.of(new Step(v("OMERO4.3__0"), v("OMERO4.4__0"), "sql/psql/OMERO4.4__0/OMERO4.3__0.sql",
                Optional.empty())), r.steps());
        assertEquals("Database upgrade required OMERO4.3__0->OMERO4.4__0", r.message());
    }

    @Test
    void schema44WithA441ReleaseIsUpToDate() {
        UpgradeScripts scripts = UpgradeScripts.fromPaths(RELEASE_4_4_1);
        Resolution r = scripts.resolve(v("OMERO4.4__0"), ReleaseVersion.of("4.4.1").schema().orElseThrow());
        assertEquals(new Resolution.UpToDate(v("OMERO4.4__0")), r);
        assertEquals(r, scripts.resolve(v("OMERO4.4__0")));
        assertEquals(List.of(), r.steps());
        assertEquals("Database is already at OMERO4.4__0", r.message());
    }

    @Test
    void from50TakesTheHighestNextHopAtEveryStep() {
        Resolution r = UpgradeScripts.fromPaths(RELEASE_5_6).resolve(v("OMERO5.0__0"), v("OMERO5.4__0"));
        assertEquals(List.of("OMERO5.0__0->OMERO5.1__1", "OMERO5.1__1->OMERO5.2__0", "OMERO5.2__0->OMERO5.3__1",
                "OMERO5.3__1->OMERO5.4__0"), hops(r));
        assertEquals("Database upgrade required OMERO5.0__0->OMERO5.4__0", r.message());
    }

    @Test
    void from52GoesThrough53Patch1NotPatch0() {
        Resolution r = UpgradeScripts.fromPaths(RELEASE_5_6).resolve(v("OMERO5.2__0"));
        assertEquals(List.of("OMERO5.2__0->OMERO5.3__1", "OMERO5.3__1->OMERO5.4__0"), hops(r));
    }

    @Test
    void fromADevSchemaJoinsTheChain() {
        Resolution r = UpgradeScripts.fromPaths(RELEASE_5_6).resolve(v("OMERO5.0DEV__6"));
        assertEquals("OMERO5.0DEV__6->OMERO5.0__0", hops(r).get(0));
        assertEquals(v("OMERO5.4__0"), ((Resolution.Path) r).to());
    }

    @Test
    void prechecksAreAttachedToTheirStepAndAreNeverSteps() {
        UpgradeScripts scripts = UpgradeScripts.fromPaths(RELEASE_5_6);
        assertTrue(scripts.steps().stream().noneMatch(s -> s.script().contains("precheck")));
        Step last = scripts.resolve(v("OMERO5.3__1")).steps().get(0);
        assertEquals(Optional.of("sql/psql/OMERO5.4__0/OMERO5.3__1-precheck.sql"), last.precheck());
        Step fromPatch0 = scripts.resolve(v("OMERO5.3__0")).steps().get(0);
        assertEquals(v("OMERO5.4__0"), fromPatch0.to());
        assertEquals(Optional.of("sql/psql/OMERO5.4__0/OMERO5.3__0-precheck.sql"), fromPatch0.precheck());
        assertEquals(Optional.empty(), scripts.resolve(v("OMERO5.2__0")).steps().get(0).precheck());
    }

    @Test
    void aGapIsNoPathWithOmegosMessage() {
        List<String> withGap = RELEASE_5_6.stream().filter(p -> !p.equals("sql/psql/OMERO5.2__0/OMERO5.1__1.sql")).toList();
        Resolution r = UpgradeScripts.fromPaths(withGap).resolve(v("OMERO5.0__0"));
        assertEquals(Resolution.Kind.NO_PATH, r.kind());
        assertEquals("No upgrade path found from OMERO5.0__0 to OMERO5.4__0", r.message());
        assertEquals(List.of(), r.steps());
    }

    @Test
    void aSchemaNoScriptStartsFromIsNoPath() {
        Resolution r = UpgradeScripts.fromPaths(RELEASE_5_6).resolve(v("OMERO4.2__0"), v("OMERO5.4__0"));
        assertEquals("No upgrade path found from OMERO4.2__0 to OMERO5.4__0", r.message());
    }

    @Test
    void aNewerDatabaseIsADowngradeAndRefused() {
        Resolution r = UpgradeScripts.fromPaths(RELEASE_4_4_1).resolve(v("OMERO5.4__0"), v("OMERO4.4__0"));
        assertEquals(new Resolution.Downgrade(v("OMERO5.4__0"), v("OMERO4.4__0")), r);
        assertEquals("Database schema OMERO5.4__0 is newer than the target OMERO4.4__0; downgrade refused", r.message());
        assertEquals(Resolution.Kind.DOWNGRADE, UpgradeScripts.fromPaths(RELEASE_4_4_1).resolve(v("OMERO5.4__0")).kind());
    }

    @Test
    void anExpectedTargetThatTheScriptsDoNotReachIsAMismatch() {
        List<String> only510 = List.of("sql/psql/OMERO5.1__0/OMERO5.0__0.sql");
        Resolution r = UpgradeScripts.fromPaths(only510).resolve(v("OMERO5.0__0"), v("OMERO5.1__1"));
        assertEquals(new Resolution.TargetMismatch(v("OMERO5.1__1"), v("OMERO5.1__0")), r);
        assertEquals("The release's upgrade scripts lead to OMERO5.1__0 but the release runs on OMERO5.1__1;"
                + " refusing to guess", r.message());
    }

    @Test
    void withoutScriptsOnlyTheExpectedSchemaIsUpToDate() {
        UpgradeScripts none = UpgradeScripts.fromPaths(List.of("sql/psql/OMERO5.4__0/schema.sql"));
        assertEquals(Optional.empty(), none.highest());
        assertEquals(Resolution.Kind.UP_TO_DATE, none.resolve(v("OMERO5.4__0"), v("OMERO5.4__0")).kind());
        assertEquals("No upgrade path found from OMERO5.3__1 to OMERO5.4__0",
                none.resolve(v("OMERO5.3__1"), v("OMERO5.4__0")).message());
        Resolution noTarget = none.resolve(v("OMERO5.3__1"));
        assertEquals(Resolution.Kind.NO_PATH, noTarget.kind());
        assertEquals(Optional.empty(), ((Resolution.NoPath) noTarget).target());
    }

    @Test
    void pathsMayCarryAPrefixButMustSitInSqlPsql() {
        UpgradeScripts scripts = UpgradeScripts.fromPaths(List.of(
                "./sql/psql/OMERO4.4__0/OMERO4.3__0.sql",
                "/opt/omero/OMERO.server-4.4.1/sql/psql/OMERO4.4__0/OMERO4.1__0.sql ",
                "sql/OMERO4.4__0/OMERO4.2__0.sql",
                "sql/psql/OMERO4.4__0/extra/OMERO4.2__0.sql",
                "sql/psql/xOMERO4.5__0/OMERO4.4__0.sql",
                "sql/psql/OMERO4.5__0/OMERO4.4__0.sql.orig",
                "",
                "   "));
        assertEquals(List.of("OMERO4.1__0->OMERO4.4__0", "OMERO4.3__0->OMERO4.4__0"),
                scripts.steps().stream().map(s -> s.from() + "->" + s.to()).toList());
    }

    @Test
    void scriptsThatDoNotGoUpAreIgnored() {
        UpgradeScripts scripts = UpgradeScripts.fromPaths(List.of(
                "sql/psql/OMERO4.4__0/OMERO4.3__0.sql",
                "sql/psql/OMERO4.3__0/OMERO4.4__0.sql",
                "sql/psql/OMERO4.4__0/OMERO4.4__0.sql"));
        assertEquals(1, scripts.steps().size());
        assertEquals(List.of("OMERO4.3__0->OMERO4.4__0"), hops(scripts.resolve(v("OMERO4.3__0"))));
    }

    @Test
    void aPathMustChain() {
        Step a = new Step(v("OMERO4.3__0"), v("OMERO4.4__0"), "a.sql", Optional.empty());
        Step b = new Step(v("OMERO5.0__0"), v("OMERO5.1__0"), "b.sql", Optional.empty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Resolution.Path(List.of(a, b)));
        assertEquals("upgrade steps do not chain: OMERO4.3__0->OMERO4.4__0 (a.sql) then OMERO5.0__0->OMERO5.1__0 (b.sql)",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Resolution.Path(List.of()));
    }

    @Test
    void resultIsTheSameWhateverTheInputOrder() {
        List<String> reversed = new ArrayList<>(RELEASE_5_6);
        Collections.reverse(reversed);
        assertEquals(UpgradeScripts.fromPaths(RELEASE_5_6).resolve(v("OMERO5.0__0")),
                UpgradeScripts.fromPaths(reversed).resolve(v("OMERO5.0__0")));
        assertEquals(UpgradeScripts.fromPaths(RELEASE_5_6).steps(), UpgradeScripts.fromPaths(reversed).steps());
    }

    @Test
    void fullHistoryChainsFrom43AllTheWayUp() {
        List<String> all = Stream.concat(RELEASE_4_4_1.stream(), RELEASE_5_6.stream()).collect(Collectors.toList());
        assertEquals(List.of("OMERO4.3__0->OMERO4.4__0", "OMERO4.4__0->OMERO5.0__0", "OMERO5.0__0->OMERO5.1__1",
                "OMERO5.1__1->OMERO5.2__0", "OMERO5.2__0->OMERO5.3__1", "OMERO5.3__1->OMERO5.4__0"),
                hops(UpgradeScripts.fromPaths(all).resolve(v("OMERO4.3__0"))));
    }
}
