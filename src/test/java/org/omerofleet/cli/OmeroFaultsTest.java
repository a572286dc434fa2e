package org.omerofleet.cli;

import static org.omerofleet.cli.SandboxCli.cli;
import static org.omerofleet.cli.SandboxCli.lastReport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omerofleet.cli.SandboxCli.Run;
import org.omerofleet.sandbox.OmeroInstall;
import org.omerofleet.sandbox.OmeroReleases;
import org.omerofleet.sandbox.OmeroSandbox;

/** Faults during the upgrade, restores and the password canary, on sandbox hosts with a real PostgreSQL. */
class OmeroFaultsTest {

    static Path root;
    static OmeroSandbox sandbox;
    static Path inventory;
    static OmeroReleases releases;

    @BeforeAll
    static void start() throws Exception {
        root = Files.createTempDirectory("omero-faults-test");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        releases = new OmeroReleases(Path.of("target", "sandbox-zips"));
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("midway", "4.3.2");
        versions.put("silent", "4.3.2");
        versions.put("unfinished", "4.3.2");
        versions.put("truncated", "4.3.2");
        versions.put("netcut", "4.3.2");
        versions.put("chain", "5.0.8");
        versions.put("restored", "4.4.0");
        versions.put("locked", "4.4.0");
        versions.put("realdir", "4.3.2");
        versions.put("dumpcut", "4.3.2");
        versions.put("badbackup", "4.4.0");
        versions.put("badrestore", "4.4.0");
        versions.put("manifest", "4.4.0");
        versions.put("nocreatedb", "4.3.2");
        sandbox = OmeroSandbox.start(root, versions, releases);
        inventory = root.resolve("inventory.yml");
        sandbox.writeInventory(inventory);
    }

    @AfterAll
    static void stop() throws Exception {
        sandbox.close();
    }

    static List<String> column(String host, String database, String sql) throws Exception {
        return SandboxCli.column(sandbox, host, database, sql);
    }

    static String schema(String host, String database) throws Exception {
        return column(host, database, "SELECT currentversion || '__' || currentpatch FROM dbpatch ORDER BY id DESC LIMIT 1").get(0);
    }

    static String images(String host, String database) throws Exception {
        return column(host, database, "SELECT count(*) FROM image").get(0);
    }

    static boolean ran(JsonNode host, String module) {
        for (JsonNode step : host.get("steps")) {
            if (step.get("module").asText().equals(module) && !step.get("status").asText().equals("SKIPPED")) {
                return true;
            }
        }
        return false;
    }

    static Path serverDir(String host) throws Exception {
        return sandbox.fleet().host(host).home().resolve("OMERO.server").toRealPath();
    }

    static String dbName(String host) throws Exception {
        return SandboxCli.serverDatabase(serverDir(host));
    }

    static Path upgrade(String host, Path zip) {
        Path runs = root.resolve("runs-" + host);
        Run r = cli("upgrade", "-i", inventory.toString(), "--limit", host, "--release", zip.toString(), "--runs-dir", runs.toString());
        assertEquals(ExitCodes.FAILED_SAFELY, r.exit(), r.out());
        return runs;
    }

    @Test
    void DB05_aScriptFailingMidwayLeavesTheSchemaAndDataAndTheOldServerRunning() throws Exception {
        String imagesBefore = images("midway", "omero_midway");
        Path runs = upgrade("midway", releases.zip("4.4.1", OmeroReleases.Fault.FAIL_MIDWAY));
        JsonNode report = lastReport(runs, "midway");
        assertEquals("FAILED_ROLLED_BACK", report.get("state").asText(), report.toString());
        assertEquals("OMERO4.3__0", schema("midway", "omero_midway"));
        assertEquals(imagesBefore, images("midway", "omero_midway"));
        assertTrue(serverDir("midway").getFileName().toString().startsWith("OMERO.server-4.3.2"), serverDir("midway").toString());
        assertEquals("omero_midway", dbName("midway"), "the schema never moved, so no restore was needed");
        assertTrue(Files.exists(serverDir("midway").resolve("var/master/master.pid")), "the old server runs again");
        assertEquals("4.3.2", report.get("report").get("release_after").asText());
    }

    @Test
    void CMD08_aFourXInstallUnpackedInPlaceRunsAgainOnARestoredDatabaseWhenTheNewServerWillNotStart() throws Exception {
        Path home = sandbox.fleet().host("realdir").home();
        Path release = home.resolve("OMERO.server").toRealPath();
        OmeroInstall.stopProcesses(home);
        Files.delete(home.resolve("OMERO.server"));
        Files.move(release, home.resolve("OMERO.server"));
        Process start = new ProcessBuilder(home.resolve("OMERO.server/bin/omero").toString(), "admin", "start").directory(home.toFile())
                .redirectErrorStream(true).start();
        assertEquals(0, start.waitFor(), new String(start.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertFalse(Files.isSymbolicLink(home.resolve("OMERO.server")), "a real directory, as the 4.x guide unpacks it");

        // the new server refuses to start: the failure comes after the database upgrade and the switch
        Path runs = upgrade("realdir", releases.zip("4.4.1", OmeroReleases.Fault.START_FAILS));
        JsonNode report = lastReport(runs, "realdir");
        assertEquals("FAILED_ROLLED_BACK", report.get("state").asText(), report.toString());
        assertEquals(home.resolve("OMERO.server-old").toRealPath(), home.resolve("OMERO.server").toRealPath(), "the old install is back");
        assertTrue(Files.exists(home.resolve("OMERO.server-old/var/master/master.pid")), "the old server runs again");
        String restored = dbName("realdir");
        assertNotEquals("omero_realdir", restored, "the upgraded database is replaced by a restore of the dump");
        assertEquals("OMERO4.3__0", schema("realdir", restored));
        assertEquals("OMERO4.4__0", schema("realdir", "omero_realdir"), "the original is kept as it was left");
    }

    @Test
    void aNewServerThatWillNotStartRollsBackToTheRunningOldServerOnAHostWhoseOmeroRoleCannotCreateDatabases() throws Exception {
        String role = sandbox.database("nocreatedb").user();
        assertEquals(List.of("f"), column("nocreatedb", "postgres", "SELECT rolcreatedb::text FROM pg_roles WHERE rolname = '" + role + "'").stream()
                .map(v -> v.substring(0, 1)).toList(), "a typical host: the OMERO role has no CREATEDB");
        Path runs = upgrade("nocreatedb", releases.zip("4.4.1", OmeroReleases.Fault.START_FAILS));
        JsonNode report = lastReport(runs, "nocreatedb");
        assertEquals("FAILED_ROLLED_BACK", report.get("state").asText(), report.toString());
        assertTrue(serverDir("nocreatedb").getFileName().toString().startsWith("OMERO.server-4.3.2"), serverDir("nocreatedb").toString());
        assertTrue(Files.exists(serverDir("nocreatedb").resolve("var/master/master.pid")), "the old server runs again");
        String restored = dbName("nocreatedb");
        assertTrue(restored.startsWith("omero_nocreatedb_restored_"), restored);
        assertEquals("OMERO4.3__0", schema("nocreatedb", restored));
        assertEquals(List.of(role), column("nocreatedb", "postgres",
                "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '" + restored + "'"),
                "created by the superuser, owned by the OMERO role");
        assertEquals("OMERO4.4__0", schema("nocreatedb", "omero_nocreatedb"), "the original is kept as it was left");
    }

    @Test
    void CMD02_aScriptErringOutsideATransactionIsStoppedAndTheMovedSchemaRestoredIntoANewDatabase() throws Exception {
        Path runs = upgrade("silent", releases.zip("4.4.1", OmeroReleases.Fault.SILENT_ERROR));
        JsonNode report = lastReport(runs, "silent");
        assertEquals("FAILED_ROLLED_BACK", report.get("state").asText(), report.toString());
        assertTrue(report.get("message").asText().contains("failed (exit 3)"), "ON_ERROR_STOP stops psql: " + report.get("message"));
        String restored = dbName("silent");
        assertNotEquals("omero_silent", restored, "the half-upgraded database is replaced by a restore");
        assertEquals("OMERO4.3__0", schema("silent", restored));
        assertEquals(images("silent", restored), "10");
        assertTrue(column("silent", "postgres", "SELECT datname FROM pg_database").contains("omero_silent"), "the original is kept");
        assertTrue(serverDir("silent").getFileName().toString().startsWith("OMERO.server-4.3.2"));
        assertTrue(Files.exists(serverDir("silent").resolve("var/master/master.pid")), "the old server runs again");
    }

    @Test
    void CMD02_aScriptThatExitsZeroWithTheSuccessLineButLeavesDbpatchUnfinishedIsCaughtByThePostcondition() throws Exception {
        Path runs = upgrade("unfinished", releases.zip("4.4.1", OmeroReleases.Fault.UNFINISHED));
        JsonNode report = lastReport(runs, "unfinished");
        assertEquals("FAILED_ROLLED_BACK", report.get("state").asText(), report.toString());
        assertTrue(report.get("message").asText().contains("newest dbpatch row is 'OMERO4.4__0|Updating|false'"), report.get("message").asText());
        String restored = dbName("unfinished");
        assertNotEquals("omero_unfinished", restored);
        assertEquals("OMERO4.3__0", schema("unfinished", restored));
        assertTrue(Files.exists(serverDir("unfinished").resolve("var/master/master.pid")), "the old server runs again");
    }

    @Test
    void DB03_aTruncatedDumpIsNeverABackupAndNoDatabaseStepFollows() throws Exception {
        Path fake = SandboxCli.truncatingPgDump(sandbox.fleet().host("truncated").home().resolve("bin"));
        Path backups = Files.createDirectories(sandbox.fleet().host("truncated").home().resolve("omero-backups"));
        List<Path> earlier;
        try (Stream<Path> files = Files.list(backups)) {
            earlier = files.toList();
        }
        try {
            Path runs = upgrade("truncated", releases.zip("4.4.1"));
            JsonNode report = lastReport(runs, "truncated");
            assertEquals("FAILED_ROLLED_BACK", report.get("state").asText(), report.toString());
            assertFalse(ran(report, "omero_db_upgrade"), "no database step after a failed backup");
            assertEquals("OMERO4.3__0", schema("truncated", "omero_truncated"));
            try (Stream<Path> files = Files.list(backups)) {
                List<Path> made = files.filter(f -> !earlier.contains(f)).toList();
                assertEquals(1, made.size(), made.toString());
                assertTrue(made.get(0).toString().endsWith(".partial"), "only a .partial is left, never a backup: " + made);
            }
            assertTrue(Files.exists(serverDir("truncated").resolve("var/master/master.pid")), "the old server runs again");
        } finally {
            Files.delete(fake);
        }
    }

    /**
     * Upgrade {@code host} while its {@code tool} pauses 3 s when its arguments match {@code argumentsPattern}
     * (a shell case pattern), and cut the connection under it: the host's SSH server is stopped and started
     * again during the pause.
     */
    private static Run upgradeCuttingTheConnectionDuring(String host, String tool, String argumentsPattern, Path runs) throws Exception {
        var sandboxHost = sandbox.fleet().host(host);
        Path fake = Files.createDirectories(sandboxHost.home().resolve("bin")).resolve(tool);
        Files.writeString(fake, "#!/bin/sh\n"
                + "# the real " + tool + ", pausing so that the test can cut the connection under it\n"
                + "case \"$*\" in " + argumentsPattern + ") touch \"$HOME/cut-here\"; sleep 3;; esac\n"
                + "PATH=$(printf '%s' \"$PATH\" | sed 's|^[^:]*:||') exec " + tool + " \"$@\"\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        Thread cutter = new Thread(() -> {
            try {
                while (!Files.exists(sandboxHost.home().resolve("cut-here"))) {
                    Thread.onSpinWait();
                }
                sandboxHost.stop();
                sandboxHost.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        cutter.setDaemon(true);
        cutter.start();
        try {
            Run r = cli("upgrade", "-i", inventory.toString(), "--limit", host, "--release", releases.zip("4.4.1").toString(),
                    "--runs-dir", runs.toString());
            cutter.join();
            return r;
        } finally {
            Files.delete(fake);
        }
    }

    @Test
    void NET06_aConnectionCutDuringTheDatabaseUpgradeLetsItFinishAndTheHostSucceedsAfterReconnecting() throws Exception {
        Path runs = root.resolve("runs-netcut");
        Run r = upgradeCuttingTheConnectionDuring("netcut", "psql", "*OMERO4.4__0/OMERO4.3__0.sql*", runs);
        assertEquals(0, r.exit(), r.out());
        assertEquals("SUCCEEDED", lastReport(runs, "netcut").get("state").asText());
        assertEquals(List.of("OMERO4.3__0", "OMERO4.4__0"),
                column("netcut", "omero_netcut", "SELECT currentversion || '__' || currentpatch FROM dbpatch ORDER BY id"),
                "the upgrade ran exactly once");
    }

    @Test
    void CTL05_aHostLockedByAnotherControllerFailsUntouchedUntilThatLockIsReleasedById() throws Exception {
        Path home = sandbox.fleet().host("locked").home();
        Path lock = Files.createDirectories(home.resolve(".omero-fleet/locks/omero-fleet"));
        Files.writeString(lock.resolve("owner"), "id=laptop-of-alice:2026-12-01T09-00-00\nhost=locked\n");
        Path runs = root.resolve("runs-locked");
        Run refused = cli("upgrade", "-i", inventory.toString(), "--limit", "locked", "--release", releases.zip("4.4.1").toString(),
                "--runs-dir", runs.toString());
        assertEquals(ExitCodes.FAILED_SAFELY, refused.exit(), refused.out());
        assertEquals("FAILED_NO_CHANGE", lastReport(runs, "locked").get("state").asText());
        assertTrue(refused.out().contains("laptop-of-alice:2026-12-01T09-00-00"), refused.out());
        assertTrue(refused.out().contains("omero-fleet unlock --limit locked --lock-id"), refused.out());
        assertTrue(serverDir("locked").getFileName().toString().startsWith("OMERO.server-4.4.0"));
        assertTrue(Files.exists(serverDir("locked").resolve("var/master/master.pid")), "the server was not touched");

        Run wrongId = cli("unlock", "-i", inventory.toString(), "--limit", "locked", "--lock-id", "someone-else", "--runs-dir", runs.toString());
        assertEquals(ExitCodes.FAILED_SAFELY, wrongId.exit(), wrongId.out());
        assertTrue(Files.exists(lock), "only the lock with the given id is released");
        Run unlock = cli("unlock", "-i", inventory.toString(), "--limit", "locked", "--lock-id", "laptop-of-alice:2026-12-01T09-00-00",
                "--runs-dir", runs.toString());
        assertEquals(0, unlock.exit(), unlock.out());
        Run upgrade = cli("upgrade", "-i", inventory.toString(), "--limit", "locked", "--release", releases.zip("4.4.1").toString(),
                "--runs-dir", runs.toString());
        assertEquals(0, upgrade.exit(), upgrade.out());
        assertFalse(Files.exists(lock), "the run released its own lock");
    }

    @Test
    void NET03_aConnectionCutDuringTheDumpLetsItFinishDetachedAndNoDatabaseStepRunsBeforeItIsVerified() throws Exception {
        Path runs = root.resolve("runs-dumpcut");
        Run r = upgradeCuttingTheConnectionDuring("dumpcut", "pg_dump", "*", runs);
        assertEquals(0, r.exit(), r.out());
        JsonNode report = lastReport(runs, "dumpcut");
        assertEquals("SUCCEEDED", report.get("state").asText());
        Path dump = Path.of(report.get("report").get("backup_path").asText());
        assertTrue(Files.isRegularFile(dump) && !dump.toString().endsWith(".partial"), "the dump finished detached and was verified");
        assertEquals(List.of("OMERO4.3__0", "OMERO4.4__0"),
                column("dumpcut", "omero_dumpcut", "SELECT currentversion || '__' || currentpatch FROM dbpatch ORDER BY id"));
    }

    @Test
    void aFiveZeroToFiveFourUpgradeRunsEveryScriptOfTheChainInOrder() throws Exception {
        // 5.4 is built for Ice 3.6 only: the admin upgraded the host's Ice first (the 5.0 server keeps running)
        OmeroInstall.installIce(sandbox.fleet().host("chain").home(), "3.6.5");
        Path runs = root.resolve("runs-chain");
        Run r = cli("upgrade", "-i", inventory.toString(), "--limit", "chain", "--release", releases.zip("5.4.10").toString(),
                "--runs-dir", runs.toString());
        assertEquals(0, r.exit(), r.out());
        assertEquals(List.of("OMERO5.0__0", "OMERO5.1__1", "OMERO5.2__0", "OMERO5.3__1", "OMERO5.4__0"),
                column("chain", "omero_chain", "SELECT currentversion || '__' || currentpatch FROM dbpatch ORDER BY id"));
        assertEquals("SUCCEEDED", lastReport(runs, "chain").get("state").asText());
    }

    @Test
    void DB03_aBackupWhoseDumpIsTruncatedFailsWithExitTwoAndTheServerRunsAgain() throws Exception {
        Path fake = SandboxCli.truncatingPgDump(sandbox.fleet().host("badbackup").home().resolve("bin"));
        try {
            Path runs = root.resolve("runs-badbackup");
            Run backup = cli("backup", "-i", inventory.toString(), "--limit", "badbackup", "--runs-dir", runs.toString());
            assertEquals(ExitCodes.FAILED_SAFELY, backup.exit(), backup.out());
            JsonNode report = lastReport(runs, "badbackup");
            assertEquals("FAILED_NO_CHANGE", report.get("state").asText(), report.toString());
            assertEquals(1, report.get("stats").get("failed").asInt(), report.toString());
            assertTrue(backup.out().contains("badbackup : FAILED_NO_CHANGE"), backup.out());
            assertTrue(Files.exists(serverDir("badbackup").resolve("var/master/master.pid")), "the server runs again after the always section");
        } finally {
            Files.delete(fake);
        }
    }

    @Test
    void aRestoreOfAMissingDumpFailsWithExitTwoAndLeavesTheServerRunningOnItsDatabase() throws Exception {
        String database = dbName("badrestore");
        Path runs = root.resolve("runs-badrestore");
        Run restore = cli("restore", "-i", inventory.toString(), "--limit", "badrestore", "--backup", "/nonexistent/omero.pgdump",
                "--runs-dir", runs.toString());
        assertEquals(ExitCodes.FAILED_SAFELY, restore.exit(), restore.out());
        JsonNode report = lastReport(runs, "badrestore");
        assertEquals("FAILED_NO_CHANGE", report.get("state").asText(), report.toString());
        assertEquals(database, dbName("badrestore"), "omero.db.name is untouched");
        assertTrue(Files.exists(serverDir("badrestore").resolve("var/master/master.pid")), "the old server runs again");
    }

    @Test
    void DB04_aRestoreChecksTheDumpAgainstItsManifestBeforeItTouchesAnything() throws Exception {
        Path runs = root.resolve("runs-manifest");
        Run backup = cli("backup", "-i", inventory.toString(), "--limit", "manifest", "--runs-dir", runs.toString());
        assertEquals(0, backup.exit(), backup.out());
        Path dump = Path.of(lastReport(runs, "manifest").get("report").get("backup_path").asText());
        Path manifest = dump.resolveSibling(dump.getFileName() + ".manifest");
        String recorded = Files.readString(manifest);
        assertTrue(recorded.contains("sha256=" + org.omerofleet.transport.FileTransfers.fileSha256(dump)), recorded);
        assertTrue(recorded.contains("dbpatch=OMERO4.4__0"), recorded);
        assertTrue(recorded.contains("database=omero_manifest"), recorded);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(manifest)));

        Path unlisted = dump.resolveSibling("copied-by-hand.pgdump");
        Files.copy(dump, unlisted);
        Run noManifest = cli("restore", "-i", inventory.toString(), "--limit", "manifest", "--backup", unlisted.toString(),
                "--runs-dir", runs.toString());
        assertEquals(ExitCodes.FAILED_SAFELY, noManifest.exit(), noManifest.out());
        assertTrue(noManifest.out().contains("no manifest beside"), noManifest.out());

        Files.writeString(dump, "x", java.nio.file.StandardOpenOption.APPEND);
        Run tampered = cli("restore", "-i", inventory.toString(), "--limit", "manifest", "--backup", "latest", "--runs-dir", runs.toString());
        assertEquals(ExitCodes.FAILED_SAFELY, tampered.exit(), tampered.out());
        assertTrue(tampered.out().contains("does not have the size its manifest records"), tampered.out());
        assertEquals("omero_manifest", dbName("manifest"));
        List<String> databases = column("manifest", "postgres", "SELECT datname FROM pg_database");
        assertFalse(databases.stream().anyMatch(d -> d.startsWith("omero_manifest_restored_")), "nothing was created: " + databases);
        assertTrue(Files.exists(serverDir("manifest").resolve("var/master/master.pid")), "the server runs again");
    }

    @Test
    void DB10_aRestoreLandsInANewDatabaseThatTheServerThenUses() throws Exception {
        Path runs = root.resolve("runs-restore");
        Run backup = cli("backup", "-i", inventory.toString(), "--limit", "restored", "--runs-dir", runs.toString());
        assertEquals(0, backup.exit(), backup.out());
        List<String> tables = List.of("project", "dataset", "image", "dbpatch");
        List<String> before = new ArrayList<>();
        for (String t : tables) {
            before.add(column("restored", "omero_restored", "SELECT count(*) FROM " + t).get(0));
        }
        Run restore = cli("restore", "-i", inventory.toString(), "--limit", "restored", "--backup", "latest", "--runs-dir", runs.toString());
        assertEquals(0, restore.exit(), restore.out());
        String now = dbName("restored");
        assertTrue(now.startsWith("omero_restored_restored_"), now);
        List<String> after = new ArrayList<>();
        for (String t : tables) {
            after.add(column("restored", now, "SELECT count(*) FROM " + t).get(0));
        }
        assertEquals(before, after);
        assertTrue(column("restored", "postgres", "SELECT datname FROM pg_database").contains("omero_restored"), "the original is kept");
        assertTrue(Files.exists(serverDir("restored").resolve("var/master/master.pid")), "the server runs on the restored database");
    }

    @Test
    void SEC05_SEC06_theDatabasePasswordAppearsInNoLogReportOutputOrProcessCommandLine() throws Exception {
        Path runs = root.resolve("runs-canary");
        List<String> passwords = List.of("midway", "silent", "unfinished", "truncated", "netcut", "chain", "restored", "locked", "realdir", "dumpcut").stream()
                .map(h -> sandbox.database(h).password())
                // the report's facts module sends the password to the controller hex-encoded
                .flatMap(pw -> Stream.of(pw, HexFormat.of().formatHex(pw.getBytes(StandardCharsets.UTF_8)))).toList();
        List<String> leaks = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean sampling = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                ProcessHandle.allProcesses().forEach(p -> p.info().commandLine().ifPresent(cmd -> {
                    passwords.stream().filter(cmd::contains).forEach(pw -> leaks.add(cmd));
                }));
            }
        });
        sampler.start();
        Run plan;
        Run backup;
        Run report;
        try {
            plan = cli("plan", "-i", inventory.toString(), "--release", releases.zip("4.4.1").toString(), "-v", "--runs-dir", runs.toString());
            backup = cli("backup", "-i", inventory.toString(), "-v", "--runs-dir", runs.toString());
            // the report logs in over JDBC through the tunnel: the password reaches the controller, and must go no further
            report = cli("report", "-i", inventory.toString(), "--format", "json", "-v", "--runs-dir", runs.toString());
        } finally {
            sampling.set(false);
            sampler.join();
        }
        assertEquals(List.of(), leaks, "a password showed in a process command line");
        assertTrue(report.out().contains("\"schema_source\" : \"jdbc\""), report.out());
        for (String password : passwords) {
            assertFalse(plan.out().contains(password), "password in the plan's output");
            assertFalse(backup.out().contains(password), "password in the backup's output");
            assertFalse(report.out().contains(password), "password in the report's output");
            try (Stream<Path> files = Files.walk(runs)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    assertFalse(Files.readString(f).contains(password), "password in " + f);
                }
            }
        }
    }
}
