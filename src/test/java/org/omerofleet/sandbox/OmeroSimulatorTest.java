package org.omerofleet.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OMERO simulator against a real PostgreSQL: installs, starts, and upgrade scripts. */
class OmeroSimulatorTest {

    private static final String SUCCESS = "YOU HAVE SUCCESSFULLY UPGRADED YOUR DATABASE TO VERSION ";
    private static final AtomicInteger HOSTS = new AtomicInteger();

    private static PostgresCluster pg;
    private static Path root;
    private static OmeroReleases releases;

    private final List<Path> homes = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        root = SandboxTestSupport.traversableTempDir("omero-sim-");
        pg = PostgresCluster.start(root.resolve("pg"));
        releases = SandboxTestSupport.releases();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (pg != null) {
            pg.close();
        }
        OmeroInstall.stopProcesses(root);
        Trees.delete(root);
    }

    @AfterEach
    void stopServers() throws Exception {
        for (Path home : homes) {
            OmeroInstall.stopProcesses(home);
        }
    }

    @Test
    void installed43StartsOnceReportsStatusAndStops() throws Exception {
        Host host = install("4.3.2");
        ExecResult start = omero(host.dir, "admin", "start");
        assertEquals(0, start.exitCode(), start.stderr());
        assertTrue(start.stdout().startsWith("No descriptor given. Using etc/grid/default.xml\n"
                + "Waiting on startup. Use CTRL-C to exit\n"), start.stdout());
        assertEquals(0, omero(host.dir, "admin", "status").exitCode());
        assertTrue(Files.readString(host.dir.resolve("var/log/Blitz-0.log"))
                .contains("Verified database patch: OMERO4.3__0"));

        ExecResult again = omero(host.dir, "admin", "start");
        assertEquals(876 % 256, again.exitCode());
        assertEquals("Server already running\n", again.stderr());

        ExecResult stop = omero(host.dir, "admin", "stop");
        assertEquals(0, stop.exitCode());
        assertTrue(stop.stdout().startsWith("Waiting on shutdown. Use CTRL-C to exit"));
        assertEquals(1, omero(host.dir, "admin", "status").exitCode());
        ExecResult stopAgain = omero(host.dir, "admin", "stop");
        assertEquals(0, stopAgain.exitCode());
        assertEquals("Server not running\n", stopAgain.stderr());
    }

    @Test
    void everyReleaseInstallsAtItsOwnSchemaAndStarts() throws Exception {
        for (OmeroRelease release : releases.all()) {
            Host host = install(release.version());
            assertEquals(release.schema() + "|Database updated.|true", SandboxTestSupport.lastPatch(pg, host.db));
            assertEquals("10", SandboxTestSupport.queryOne(pg, host.db, "SELECT count(*) FROM image"));
            ExecResult start = omero(host.dir, "admin", "start");
            assertEquals(0, start.exitCode(), release + ": " + start.stderr());
            assertEquals(0, omero(host.dir, "admin", "stop").exitCode());
        }
    }

    @Test
    void upgradeScript43To44PrintsSuccessAndRecordsThePatch() throws Exception {
        Host host = install("4.3.2");
        Path next = OmeroInstall.unzip(releases.zip("4.4.1"), host.home);
        ExecResult psql = SandboxTestSupport.psql(pg, host.db,
                next.resolve("sql/psql/OMERO4.4__0/OMERO4.3__0.sql"), true);
        assertEquals(0, psql.exitCode(), psql.stderr());
        assertTrue(psql.stdout().contains(" " + SUCCESS + "OMERO4.4__0+"), psql.stdout());
        assertEquals("OMERO4.4__0|Database updated.|true", SandboxTestSupport.lastPatch(pg, host.db));
        assertEquals("10", SandboxTestSupport.queryOne(pg, host.db,
                "SELECT count(*) FROM image WHERE description = 'imported before OMERO 4.4'"));

        Files.copy(host.dir.resolve("etc/grid/config.xml"), next.resolve("etc/grid/config.xml"),
                StandardCopyOption.REPLACE_EXISTING);
        ExecResult start = omero(next, "admin", "start");
        assertEquals(0, start.exitCode(), start.stderr());
    }

    @Test
    void release441RefusesToStartOnA43Database() throws Exception {
        Host host = install("4.3.2");
        Path next = OmeroInstall.unzip(releases.zip("4.4.1"), host.home);
        Files.copy(host.dir.resolve("etc/grid/config.xml"), next.resolve("etc/grid/config.xml"),
                StandardCopyOption.REPLACE_EXISTING);
        ExecResult start = omero(next, "admin", "start");
        assertEquals(43, start.exitCode());
        assertTrue(start.stderr().contains("DB version (OMERO4.3__0) does not match omero.properties "
                + "(OMERO4.4__0). Please apply a db upgrade.\n"), start.stderr());
        assertEquals(1, omero(next, "admin", "status").exitCode());
        assertFalse(Files.exists(next.resolve("var/master/master.pid")));
    }

    @Test
    void missingDbpatchTableAsksForBootstrap() throws Exception {
        Host host = install("4.4.1");
        SandboxTestSupport.execute(pg, host.db, "DROP TABLE dbpatch CASCADE");
        ExecResult start = omero(host.dir, "admin", "start");
        assertEquals(43, start.exitCode());
        assertTrue(start.stderr().contains("Error connecting to database table dbpatch. You may need to bootstrap."),
                start.stderr());
    }

    @Test
    void failMidwayScriptExitsNonZeroAndChangesNothing() throws Exception {
        Host host = install("4.3.2");
        Path bad = OmeroInstall.unzip(releases.zip("4.4.1", OmeroReleases.Fault.FAIL_MIDWAY),
                host.home.resolve("faulty"));
        String before = schemaFingerprint(host.db);
        ExecResult psql = SandboxTestSupport.psql(pg, host.db, bad.resolve("sql/psql/OMERO4.4__0/OMERO4.3__0.sql"), true);
        assertEquals(3, psql.exitCode());
        assertFalse(psql.stdout().contains(SUCCESS));
        assertEquals("OMERO4.3__0|Database updated.|true", SandboxTestSupport.lastPatch(pg, host.db));
        assertEquals(before, schemaFingerprint(host.db));
    }

    @Test
    void silentErrorScriptExitsZeroWithoutOnErrorStopButLeavesTheRowUpdating() throws Exception {
        Host host = install("4.3.2");
        Path bad = OmeroInstall.unzip(releases.zip("4.4.1", OmeroReleases.Fault.SILENT_ERROR),
                host.home.resolve("faulty"));
        ExecResult psql = SandboxTestSupport.psql(pg, host.db, bad.resolve("sql/psql/OMERO4.4__0/OMERO4.3__0.sql"),
                false);
        assertEquals(0, psql.exitCode());
        assertTrue(psql.stdout().contains(SUCCESS + "OMERO4.4__0"));
        assertTrue(psql.stderr().contains("ERROR"), psql.stderr());
        assertEquals("OMERO4.4__0|Updating|false", SandboxTestSupport.lastPatch(pg, host.db));
    }

    @Test
    void scriptsAgainstTheWrongVersionFailAtTheAssertAndChangeNothing() throws Exception {
        Host host = install("4.4.1");
        Path zip54 = OmeroInstall.unzip(releases.zip("5.4.10"), host.home);
        String before = schemaFingerprint(host.db);

        ExecResult legacy = SandboxTestSupport.psql(pg, host.db,
                host.dir.resolve("sql/psql/OMERO4.4__0/OMERO4.3__0.sql"), true);
        assertEquals(3, legacy.exitCode());
        assertTrue(legacy.stderr().contains("ASSERTION ERROR: Wrong database version"), legacy.stderr());

        ExecResult modern = SandboxTestSupport.psql(pg, host.db,
                zip54.resolve("sql/psql/OMERO5.4__0/OMERO5.3__1.sql"), true);
        assertEquals(3, modern.exitCode());
        assertTrue(modern.stderr().contains("wrong OMERO database version for this upgrade script"), modern.stderr());

        assertEquals("OMERO4.4__0|Database updated.|true", SandboxTestSupport.lastPatch(pg, host.db));
        assertEquals(before, schemaFingerprint(host.db));
    }

    @Test
    void chainedScriptsUpgradeA44DatabaseTo54() throws Exception {
        Host host = install("4.4.1");
        Path next = OmeroInstall.unzip(releases.zip("5.4.10"), host.home);
        String[][] chain = {
            {"OMERO5.0__0", "OMERO4.4__0"}, {"OMERO5.1__1", "OMERO5.0__0"}, {"OMERO5.2__0", "OMERO5.1__1"},
            {"OMERO5.3__1", "OMERO5.2__0"}, {"OMERO5.4__0", "OMERO5.3__1"},
        };
        for (String[] step : chain) {
            if (step[0].equals("OMERO5.4__0")) {
                ExecResult pre = SandboxTestSupport.psql(pg, host.db,
                        next.resolve("sql/psql/OMERO5.4__0/OMERO5.3__1-precheck.sql"), true);
                assertEquals(0, pre.exitCode(), pre.stderr());
                assertTrue(pre.stdout().contains("YOUR DATABASE IS READY FOR UPGRADE TO VERSION OMERO5.4__0"));
                assertEquals("OMERO5.3__1|Database updated.|true", SandboxTestSupport.lastPatch(pg, host.db));
            }
            ExecResult psql = SandboxTestSupport.psql(pg, host.db,
                    next.resolve("sql/psql/" + step[0] + "/" + step[1] + ".sql"), true);
            assertEquals(0, psql.exitCode(), step[0] + ": " + psql.stderr());
            assertTrue(psql.stdout().contains(SUCCESS + step[0]), psql.stdout());
            assertEquals(step[0] + "|Database updated.|true", SandboxTestSupport.lastPatch(pg, host.db));
        }
        assertEquals("10", SandboxTestSupport.queryOne(pg, host.db, "SELECT count(*) FROM image WHERE fileset_id IS NOT NULL"));
        OmeroInstall.writeConfig(next, pg, host.db);
        assertEquals(0, omero(next, "admin", "start").exitCode());
        Path latest = OmeroInstall.unzip(releases.zip("5.6.3"), host.home);
        OmeroInstall.writeConfig(latest, pg, host.db);
        assertEquals(0, omero(next, "admin", "stop").exitCode());
        ExecResult start56 = omero(latest, "admin", "start");
        assertEquals(0, start56.exitCode(), start56.stderr());
    }

    @Test
    void stopProcessesLeavesNothingRunning() throws Exception {
        Host host = install("5.0.8");
        assertEquals(0, omero(host.dir, "admin", "start").exitCode());
        assertEquals(0, omero(host.dir, "web", "start").exitCode());
        long server = Long.parseLong(Files.readString(host.dir.resolve("var/master/master.pid")).trim());
        long web = Long.parseLong(Files.readString(host.dir.resolve("var/django.pid")).trim());
        long session = Long.parseLong(Files.readString(host.dir.resolve("var/master/session.pid")).trim());
        assertEquals(3, OmeroInstall.stopProcesses(host.home), "the server, the database session it holds, and the web app");
        assertFalse(OmeroInstall.running(server));
        assertFalse(OmeroInstall.running(session));
        assertFalse(OmeroInstall.running(web));
        assertEquals(0, OmeroInstall.stopProcesses(host.home));
    }

    @Test
    void diagnosticsStartsWithTheBanner() throws Exception {
        Host host = install("4.4.0");
        String out = omero(host.dir, "admin", "diagnostics").stdout();
        assertTrue(out.startsWith("=".repeat(80) + "\nOMERO Diagnostics (admin) 4.4.0-ice34-b2970\n"), out);
        assertTrue(out.contains("Log dir:"));
        assertTrue(out.contains("Server:"));
    }

    @Test
    void startRefusesAReleaseBuiltForAnotherIceThanTheHosts() throws Exception {
        Host host = install("4.4.1");
        OmeroInstall.installIce(host.home, "3.3.1");
        ExecResult start = onHost(host, host.dir, "admin", "start");
        assertEquals(43, start.exitCode(), start.stderr());
        assertTrue(start.stderr().contains("Ice version mismatch: this OMERO.server build needs Ice 3.4, icegridnode is 3.3.1"), start.stderr());
        assertFalse(Files.exists(host.dir.resolve("var/master/master.pid")));
        OmeroInstall.installIce(host.home, "3.4.2");
        assertEquals(0, onHost(host, host.dir, "admin", "start").exitCode(), "the Ice it was built for");
    }

    @Test
    void startRefusesAMissingDataDirAndDiagnosticsAsksForIt() throws Exception {
        Host host = install("4.4.0");
        Files.delete(host.home.resolve("OMERO"));
        ExecResult start = omero(host.dir, "admin", "start");
        assertEquals(43, start.exitCode(), start.stderr());
        assertTrue(start.stderr().contains("omero.data.dir " + host.home.resolve("OMERO") + " does not exist"), start.stderr());
        assertTrue(omero(host.dir, "admin", "diagnostics").stdout().contains("Did you create your omero.data.dir?"));
    }

    @Test
    void aFiveSixCliCallWithoutOmerodirFailsAsTheRealOneDoes() throws Exception {
        Host host = install("5.6.3");
        // the 5.6 zip's bin/omero imports omero-py: a Python 3 virtualenv with it comes first on PATH
        Path venv = RoleLayout.virtualenv(host.home.resolve("venv3"), "omero-py==5.19.4\n");
        Map<String, String> env = SandboxTestSupport.pathWith(pg);
        env.put("PATH", venv.resolve("bin") + ":" + env.get("PATH"));
        Files.createSymbolicLink(venv.resolve("bin/python3"), Path.of("/bin/true"));
        for (String[] call : new String[][] {{"admin", "status"}, {"config", "get"}, {"web", "status"}}) {
            ExecResult r = LocalCommand.run(argv(host.dir, call), host.home, env, SandboxTestSupport.TIMEOUT);
            assertEquals(101, r.exitCode(), String.join(" ", call));
            assertEquals("ERROR: OMERODIR not set\n", r.stderr());
        }
        ExecResult version = LocalCommand.run(argv(host.dir, new String[] {"version"}), host.home, env,
                SandboxTestSupport.TIMEOUT);
        assertEquals(0, version.exitCode(), "version needs no OMERODIR");
        Host older = install("5.4.10");
        assertEquals(0, LocalCommand.run(argv(older.dir, new String[] {"config", "get"}), older.home, SandboxTestSupport.pathWith(pg),
                SandboxTestSupport.TIMEOUT).exitCode(), "5.4 needs no OMERODIR");
    }

    @Test
    void aFiveSixZipsOwnBinOmeroFailsWithoutOmeroPyAsPythonDoesOnAMissingModule() throws Exception {
        Host host = install("5.6.3");
        Map<String, String> env = SandboxTestSupport.pathWith(pg);
        env.put("OMERODIR", host.dir.toString());
        for (String[] call : new String[][] {{"version"}, {"admin", "status"}, {"config", "get"}}) {
            ExecResult r = LocalCommand.run(argv(host.dir, call), host.home, env, SandboxTestSupport.TIMEOUT);
            assertEquals(1, r.exitCode(), String.join(" ", call));
            assertTrue(r.stderr().endsWith("ModuleNotFoundError: No module named 'omero'\n"), r.stderr());
        }
        // a virtualenv without omero-py first on PATH is no better
        Path empty = RoleLayout.virtualenv(host.home.resolve("empty-venv"), "");
        Files.createSymbolicLink(empty.resolve("bin/python3"), Path.of("/bin/true"));
        env.put("PATH", empty.resolve("bin") + ":" + env.get("PATH"));
        assertEquals(1, LocalCommand.run(argv(host.dir, new String[] {"version"}), host.home, env, SandboxTestSupport.TIMEOUT).exitCode());
    }

    @Test
    void aDatabaseUpgradeWhileTheServerHoldsASessionFailsAndChangesNothing() throws Exception {
        Host host = install("4.3.2");
        assertEquals(0, omero(host.dir, "admin", "start").exitCode());
        Path next = OmeroInstall.unzip(releases.zip("4.4.1"), host.home);
        Path script = next.resolve("sql/psql/OMERO4.4__0/OMERO4.3__0.sql");
        ExecResult refused = SandboxTestSupport.psql(pg, host.db, script, true);
        assertEquals(3, refused.exitCode(), refused.stderr());
        assertTrue(refused.stderr().contains("is in use by a running OMERO.server: stop the server before upgrading"), refused.stderr());
        assertEquals("OMERO4.3__0|Database updated.|true", SandboxTestSupport.lastPatch(pg, host.db));
        assertEquals(0, omero(host.dir, "admin", "stop").exitCode());
        ExecResult upgraded = SandboxTestSupport.psql(pg, host.db, script, true);
        assertEquals(0, upgraded.exitCode(), upgraded.stderr());
        assertEquals("OMERO4.4__0|Database updated.|true", SandboxTestSupport.lastPatch(pg, host.db));
    }

    /** {@return bin/omero run as the host's login runs it: ~/bin first on PATH, OMERODIR set} */
    private static ExecResult onHost(Host host, Path dir, String... args) throws Exception {
        java.util.Map<String, String> env = new java.util.HashMap<>(SandboxTestSupport.pathWith(pg));
        env.put("PATH", host.home.resolve("bin") + ":" + env.get("PATH"));
        env.put("OMERODIR", dir.toString());
        return LocalCommand.run(argv(dir, args), host.home, env, SandboxTestSupport.TIMEOUT);
    }

    private static List<String> argv(Path dir, String[] args) {
        List<String> argv = new ArrayList<>(List.of(dir.resolve("bin/omero").toString()));
        argv.addAll(List.of(args));
        return argv;
    }

    private Host install(String version) throws Exception {
        int n = HOSTS.incrementAndGet();
        Path home = root.resolve("host" + n);
        DbSettings db = new DbSettings("omero" + n, "omero" + n, "pw '" + n + "' & more");
        Path dir = OmeroInstall.install(home, releases, version, pg, db);
        homes.add(home);
        assertEquals(dir, home.resolve(OmeroInstall.LINK).toRealPath());
        return new Host(home, dir, db);
    }

    private static ExecResult omero(Path dir, String... args) throws Exception {
        return SandboxTestSupport.omero(dir, pg, args);
    }

    private static String schemaFingerprint(DbSettings db) throws Exception {
        return SandboxTestSupport.queryOne(pg, db, "SELECT string_agg(table_name || '.' || column_name || ':' "
                + "|| data_type, ',' ORDER BY table_name, column_name) FROM information_schema.columns "
                + "WHERE table_schema = 'public'") + "#" + SandboxTestSupport.queryOne(pg, db,
                "SELECT count(*) FROM dbpatch") + "#" + SandboxTestSupport.queryOne(pg, db,
                "SELECT count(*) FROM pg_proc WHERE proname = 'omero_assert_db_version'");
    }

    private record Host(Path home, Path dir, DbSettings db) {
    }
}
