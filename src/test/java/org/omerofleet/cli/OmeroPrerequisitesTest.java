package org.omerofleet.cli;

import static org.omerofleet.cli.SandboxCli.cli;
import static org.omerofleet.cli.SandboxCli.lastReport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omerofleet.cli.SandboxCli.Run;
import org.omerofleet.sandbox.OmeroInstall;
import org.omerofleet.sandbox.OmeroReleases;
import org.omerofleet.sandbox.OmeroSandbox;

/**
 * Every blocker known before downtime: the host's Ice, Java and PostgreSQL against what the release needs, and
 * the release's precheck on the live database, in {@code plan} and before {@code upgrade} stops anything.
 */
class OmeroPrerequisitesTest {

    static Path root;
    static OmeroSandbox sandbox;
    static Path inventory;
    static OmeroReleases releases;

    @BeforeAll
    static void start() throws Exception {
        root = Files.createTempDirectory("omero-prereq-test");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        releases = new OmeroReleases(Path.of("target", "sandbox-zips"));
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("wrongice", "4.4.0");
        versions.put("oldjava", "4.4.0");
        versions.put("noice", "4.4.0");
        versions.put("oldpg", "5.3.5");
        versions.put("prechecked", "5.3.5");
        versions.put("scripts", "4.4.0");
        sandbox = OmeroSandbox.start(root, versions, releases);
        inventory = root.resolve("inventory.yml");
        sandbox.writeInventory(inventory);
        // after the install, as an admin would change a running host: the old server keeps running
        OmeroInstall.installIce(home("wrongice"), "3.3.1");
        OmeroInstall.installCommand(home("oldjava"), "java", "echo 'java version \"1.5.0_22\"' >&2\n");
        Files.delete(home("noice").resolve("bin/icegridnode"));
        Path scripts = home("scripts").resolve("OMERO.server/lib/scripts/omero");
        Files.writeString(scripts.resolve("util_scripts/Hello.py"), "\n# a local fix\n", java.nio.file.StandardOpenOption.APPEND);
        Files.createDirectories(scripts.resolve("custom_scripts"));
        Files.writeString(scripts.resolve("custom_scripts/Local_Export.py"), "# written on this server\n");
        releases.zip("4.4.0"); // the installed release's zip, beside the new one: the pristine scripts
    }

    @AfterAll
    static void stop() throws Exception {
        sandbox.close();
    }

    static Path home(String host) {
        return sandbox.fleet().host(host).home();
    }

    static String masterPid(String host) throws Exception {
        return Files.readString(home(host).resolve("OMERO.server/var/master/master.pid")).strip();
    }

    @Test
    void planShowsAWrongIceAnOldJavaAndAnUnknownIceAndTheHostItWouldUpgradeIsNotUpToDate() throws Exception {
        Run r = cli("plan", "-i", inventory.toString(), "--limit", "wrongice,oldjava,noice", "--release", releases.zip("4.4.1").toString(),
                "--runs-dir", root.resolve("runs-plan44").toString());
        assertEquals(ExitCodes.FAILED_SAFELY, r.exit(), r.out());
        assertTrue(r.out().contains("wrongice: BLOCKER Ice 3.3.1 on the host, but the release is built for Ice 3.4 (ice34)"), r.out());
        assertTrue(r.out().contains("oldjava: BLOCKER Java 1.5.0_22 on the host, but OMERO 4.4.1 needs Java 6 or later"), r.out());
        assertTrue(r.out().contains("noice: warning: the host's Ice version is unknown (no icegridnode answered): cannot check it against ice34"),
                r.out());
        assertTrue(r.out().matches("(?s).*\nnoice +: WOULD_UPGRADE .*"), r.out());
        assertTrue(r.out().matches("(?s).*\nwrongice +: FAILED_NO_CHANGE .*"), r.out());
    }

    @Test
    void anUpgradeStopsNoneOfTheBlockedHosts() throws Exception {
        String wrongIce = masterPid("wrongice");
        String oldJava = masterPid("oldjava");
        Path runs = root.resolve("runs-upgrade44");
        Run r = cli("upgrade", "-i", inventory.toString(), "--limit", "wrongice,oldjava", "--release", releases.zip("4.4.1").toString(),
                "--runs-dir", runs.toString());
        assertEquals(ExitCodes.FAILED_SAFELY, r.exit(), r.out());
        for (String host : new String[] {"wrongice", "oldjava"}) {
            JsonNode report = lastReport(runs, host);
            assertEquals("FAILED_NO_CHANGE", report.get("state").asText(), report.toString());
            assertTrue(home(host).resolve("OMERO.server").toRealPath().getFileName().toString().startsWith("OMERO.server-4.4.0"));
        }
        assertEquals(wrongIce, masterPid("wrongice"), "the same server process runs: it was never stopped");
        assertEquals(oldJava, masterPid("oldjava"), "the same server process runs: it was never stopped");
        assertTrue(OmeroInstall.running(Long.parseLong(wrongIce)));
        assertTrue(OmeroInstall.running(Long.parseLong(oldJava)));
    }

    @Test
    void planComparesThePostgresqlServerWithWhatTheUpgradeScriptsAssert() throws Exception {
        Run r = cli("plan", "-i", inventory.toString(), "--limit", "oldpg", "--release",
                releases.zip("5.4.10", OmeroReleases.Fault.NEEDS_NEWER_POSTGRES).toString(), "--runs-dir", root.resolve("runs-oldpg").toString());
        assertEquals(ExitCodes.FAILED_SAFELY, r.exit(), r.out());
        assertTrue(r.out().matches("(?s).*oldpg: BLOCKER PostgreSQL \\d+\\.\\d+, but the upgrade scripts assert PostgreSQL 99\\.0 or later.*"), r.out());
    }

    @Test
    void planRunsTheReleasesPrecheckOnTheLiveDatabaseAndChangesNothing() throws Exception {
        String pid = masterPid("prechecked");
        String patches = SandboxCli.column(sandbox, "prechecked", "omero_prechecked", "SELECT count(*) FROM dbpatch").get(0);
        Run r = cli("plan", "-i", inventory.toString(), "--limit", "prechecked", "--release", releases.zip("5.4.10").toString(),
                "--runs-dir", root.resolve("runs-precheck").toString());
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("prechecked: sql/psql/OMERO5.4__0/OMERO5.3__1-precheck.sql: YOUR DATABASE IS READY FOR UPGRADE TO VERSION OMERO5.4__0"),
                r.out());
        assertTrue(r.out().matches("(?s).*\nprechecked +: WOULD_UPGRADE .*"), r.out());
        assertEquals(patches, SandboxCli.column(sandbox, "prechecked", "omero_prechecked", "SELECT count(*) FROM dbpatch").get(0));
        assertEquals(pid, masterPid("prechecked"), "the server ran throughout");
    }

    @Test
    void planListsScriptsAddedAndModifiedAgainstTheInstalledReleasesZipAndCarryScriptsCopiesTheAddedOnes() throws Exception {
        Run plan = cli("plan", "-i", inventory.toString(), "--limit", "scripts", "--release", releases.zip("4.4.1").toString(),
                "--runs-dir", root.resolve("runs-scripts-plan").toString());
        assertEquals(0, plan.exit(), plan.out());
        assertTrue(plan.out().contains("scripts: local script added: lib/scripts/omero/custom_scripts/Local_Export.py"), plan.out());
        assertTrue(plan.out().contains("scripts: local script modified: lib/scripts/omero/util_scripts/Hello.py"), plan.out());
        assertTrue(!plan.out().contains("Dataset_Summary.py"), "an untouched script is no change: " + plan.out());

        Run upgrade = cli("upgrade", "-i", inventory.toString(), "--limit", "scripts", "--release", releases.zip("4.4.1").toString(),
                "--carry-scripts", "--runs-dir", root.resolve("runs-scripts-upgrade").toString());
        assertEquals(0, upgrade.exit(), upgrade.out());
        Path now = home("scripts").resolve("OMERO.server").toRealPath();
        assertTrue(now.getFileName().toString().startsWith("OMERO.server-4.4.1"), now.toString());
        assertEquals("# written on this server\n", Files.readString(now.resolve("lib/scripts/omero/custom_scripts/Local_Export.py")));
        assertTrue(!Files.readString(now.resolve("lib/scripts/omero/util_scripts/Hello.py")).contains("a local fix"),
                "the new release's own Hello.py is never overwritten");
        JsonNode report = lastReport(root.resolve("runs-scripts-upgrade"), "scripts").get("report");
        assertEquals("[\"omero/custom_scripts/Local_Export.py\"]", report.get("scripts_carried").toString(), report.toString());
        assertEquals("[\"omero/util_scripts/Hello.py\"]", report.get("scripts_conflicts").toString(), "to merge by hand");
    }
}
