package org.omerofleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.omerofleet.cli.SandboxCli.cli;
import static org.omerofleet.cli.SandboxCli.column;
import static org.omerofleet.cli.SandboxCli.lastReport;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omerofleet.cli.SandboxCli.Run;
import org.omerofleet.sandbox.OmeroInstall;
import org.omerofleet.sandbox.OmeroReleases;
import org.omerofleet.sandbox.OmeroSandbox;
import org.omerofleet.sandbox.RoleLayout;
import org.omerofleet.sandbox.WebServerStandIn;

/**
 * Issue 13 item 6: OMERO 5.6 as the OME Ansible roles deploy it (server under a symlink, omero-py in a
 * virtualenv, OMERO.web a separate install with its own virtualenv and OMERODIR, systemd units), upgraded
 * 5.6.3 -> 5.6.9, and 5.4 hosts going to 5.6.9: blocked by the plan without a Python 3 virtualenv with omero-py,
 * upgraded with the one the upgrade creates ({@code omero_venv_create}), rolled back; on sandbox hosts with a real PostgreSQL.
 */
class Omero56UpgradeTest {

    static Path root;
    static OmeroSandbox sandbox;
    static Path inventory;
    static OmeroReleases releases;
    static final String WEB = "opt/omero/web/OMERO.web";

    @BeforeAll
    static void start() throws Exception {
        root = Files.createTempDirectory("omero56-test");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        releases = new OmeroReleases(Path.of("target", "sandbox-zips"));
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("role56", "5.6.3" + RoleLayout.SUFFIX);
        versions.put("plain54", "5.4.10");
        versions.put("venv54", "5.4.10");
        versions.put("failing54", "5.4.10");
        versions.put("prepared54", "5.4.10");
        versions.put("failing56", "5.6.3" + RoleLayout.SUFFIX);
        sandbox = OmeroSandbox.start(root, versions, releases);
        // role56's nginx serves the stanza its separate OMERO.web generated, as the OME web role sets it up
        Path home = sandbox.fleet().host("role56").home();
        Path confD = WebServerStandIn.installNginx(home);
        Files.writeString(confD.resolve("omero-web.conf"), WebServerUpgradeTest.shell(home, home.resolve(WEB) + "/bin/omero web config nginx"));
        WebServerUpgradeTest.shell(home, "nginx -s reload");
        Map<String, Map<String, Object>> vars = new LinkedHashMap<>(sandbox.hostVars());
        Map<String, Object> role56 = new LinkedHashMap<>(vars.getOrDefault("role56", Map.of()));
        role56.put("omero_web_server", "nginx");
        role56.put("omero_web_config_path", confD.resolve("omero-web.conf").toString());
        vars.put("role56", role56);
        // these two let the upgrade create the Python 3 virtualenv with omero-py that 5.6 needs; plain54 does not
        vars.put("venv54", Map.of("omero_venv_create", true));
        vars.put("failing54", Map.of("omero_venv_create", true));
        // prepared54's admin made the virtualenv, somewhere of their own, and named it
        RoleLayout.virtualenv(sandbox.fleet().host("prepared54").home().resolve("py/omero"), "omero-py==5.13.1\nzeroc-ice==3.6.5\n");
        vars.put("prepared54", Map.of("omero_venv_dir", "py/omero"));
        inventory = root.resolve("inventory.yml");
        sandbox.fleet().writeInventory(inventory, vars);
    }

    @AfterAll
    static void stop() throws Exception {
        sandbox.close();
    }

    private static String schema(String host) throws Exception {
        return column(sandbox, host, sandbox.database(host).name(),
                "SELECT currentversion || '__' || currentpatch FROM dbpatch ORDER BY id DESC LIMIT 1").get(0);
    }

    @Test
    void reportShowsTheLayoutItFound() throws Exception {
        Path out = root.resolve("report.json");
        Run report = cli("report", "-i", inventory.toString(), "--format", "json", "-o", out.toString(), "--runs-dir", root.resolve("runs-report").toString());
        assertEquals(0, report.exit(), report.out());
        String json = Files.readString(out);
        assertTrue(json.matches("(?s).*\"V5 venv \\(omero-py 5\\.8\\.1\\), systemd, web separate \\(omero-web 5\\.8\\.1\\), systemd\".*"), json);
        assertTrue(json.matches("(?s).*\"release\" *: *\"5\\.6\\.3\".*"),
                "the release is the install directory's, not omero-py's version that `omero version` prints: " + json);
    }

    @Test
    void upgrades56xTo56yThroughSystemdAndBothVirtualenvs() throws Exception {
        Path home = sandbox.fleet().host("role56").home();
        Path server = home.resolve(RoleLayout.SERVER_DIR);
        byte[] config = Files.readAllBytes(server.resolve("etc/grid/config.xml"));
        Path zip = releases.zip("5.6.9");
        Path runs = root.resolve("runs-56");
        Run upgrade = cli("upgrade", "-i", inventory.toString(), "--limit", "role56", "--release", zip.toString(), "--runs-dir", runs.toString());
        assertEquals(0, upgrade.exit(), upgrade.out());

        JsonNode report = lastReport(runs, "role56");
        assertEquals("SUCCEEDED", report.get("state").asText(), upgrade.out());
        assertEquals("5.6.3", report.get("report").get("release_before").asText());
        assertEquals("5.6.9", report.get("report").get("release_after").asText());
        assertEquals("OMERO5.4__0", schema("role56"), "no database change between 5.6 releases");

        Path current = server.toRealPath();
        assertTrue(current.getFileName().toString().startsWith("OMERO.server-5.6.9"), current.toString());
        assertEquals(new String(config), Files.readString(current.resolve("etc/grid/config.xml")), "config.xml carried over");
        assertTrue(Files.readString(current.resolve("bin/omero")).contains("/opt/omero/server/venv3/bin/omero"),
                "the new release runs omero-py from the virtualenv, as the role's wrapper does");
        assertTrue(Files.exists(current.resolve("var/master/master.pid")), "the new server runs");

        List<String> calls = Files.readAllLines(home.resolve(".sandbox-systemd/calls"));
        int stop = calls.indexOf("stop omero-server");
        int start = calls.lastIndexOf("start omero-server");
        assertTrue(stop > 0 && start > stop, "stopped and started through systemd, in that order: " + calls);
        assertTrue(calls.contains("restart omero-web"), "OMERO.web restarted on its new omero-web: " + calls);
        assertEquals("omero-py==5.19.4", line(home.resolve("opt/omero/server/venv3/lib/sandbox-site-packages"), "omero-py"));
        assertEquals("omero-web==5.27.1", line(home.resolve("opt/omero/web/venv3/lib/sandbox-site-packages"), "omero-web"));
        assertTrue(Files.exists(home.resolve("opt/omero/web/OMERO.web/var/django.pid")), "OMERO.web runs again");
        String served = WebServerStandIn.active(home);
        assertTrue(served.contains("# OMERO.web omero-web 5.27.1: generated by bin/omero web config nginx"),
                "nginx serves the stanza the upgraded OMERO.web generated, from its own install: " + served);
        assertTrue(served.contains("location /omero {"), served);
    }

    @Test
    void aFiveFourHostWithoutAVirtualenvIsBlockedByThePlanAndTheUpgradeStopsNothing() throws Exception {
        Path home = sandbox.fleet().host("plain54").home();
        Path zip = releases.zip("5.6.9");
        Run plan = cli("plan", "-i", inventory.toString(), "--limit", "plain54", "--release", zip.toString(), "--runs-dir", root.resolve("runs-54-plan").toString());
        assertEquals(ExitCodes.FAILED_SAFELY, plan.exit(), plan.out());
        String venv = home.toRealPath().resolve("venv3").toString();
        assertTrue(plan.out().contains("plain54: BLOCKER OMERO 5.4.10 -> 5.6.9: OMERO 5.6's bin/omero runs omero-py from a Python 3 virtualenv, and no Python 3"
                + " virtualenv with omero-py was found (looked for " + venv + "). Create it (`python3 -m venv " + venv + " && " + venv
                + "/bin/pip install omero-py`) and set omero_venv_dir: " + venv + ", or set omero_venv_create: true to let the upgrade do it"), plan.out());

        String pid = masterPid(home);
        Path runs = root.resolve("runs-54-blocked");
        Run upgrade = cli("upgrade", "-i", inventory.toString(), "--limit", "plain54", "--release", zip.toString(), "--runs-dir", runs.toString());
        assertEquals(ExitCodes.FAILED_SAFELY, upgrade.exit(), upgrade.out());
        assertEquals("FAILED_NO_CHANGE", lastReport(runs, "plain54").get("state").asText(), upgrade.out());
        assertEquals(pid, masterPid(home), "the same server process runs: it was never stopped");
        assertTrue(OmeroInstall.running(Long.parseLong(pid)));
        assertTrue(home.resolve("OMERO.server").toRealPath().getFileName().toString().startsWith("OMERO.server-5.4.10"));
        assertFalse(Files.exists(home.resolve("venv3")), "no virtualenv made");
        try (var files = Files.list(home)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().contains("5.6.9")), "the release was neither pushed nor unpacked");
        }
    }

    @Test
    void aFiveFourHostIsUpgradedTo56WithTheVirtualenvTheUpgradeCreates() throws Exception {
        Path home = sandbox.fleet().host("venv54").home();
        Path venv = home.toRealPath().resolve("venv3");
        Path zip = releases.zip("5.6.9");
        Run plan = cli("plan", "-i", inventory.toString(), "--limit", "venv54", "--release", zip.toString(), "--runs-dir", root.resolve("runs-v54-plan").toString());
        assertEquals(0, plan.exit(), plan.out());
        assertTrue(plan.out().contains("venv54: note: OMERO 5.4.10 -> 5.6.9: no Python 3 virtualenv with omero-py was found (looked for " + venv
                + "); the upgrade will create it with `python3 -m venv " + venv + "` (Python 3.12.3) and `" + venv + "/bin/pip install omero-py`"
                + " before the server stops, and the new release's bin/omero will run it"), plan.out());
        assertTrue(plan.out().matches("(?s).*\nvenv54 +: WOULD_UPGRADE .*"), plan.out());

        Run check = cli("upgrade", "-i", inventory.toString(), "--limit", "venv54", "--release", zip.toString(), "--check", "-v",
                "--runs-dir", root.resolve("runs-v54-check").toString());
        assertEquals(0, check.exit(), check.out());
        assertTrue(check.out().contains("would run python3 -m venv " + venv + "; would run pip install omero-py; would make bin/omero run " + venv + "/bin/omero"),
                check.out());
        assertFalse(Files.exists(venv), "--check creates nothing");

        Path runs = root.resolve("runs-v54");
        Run upgrade = cli("upgrade", "-i", inventory.toString(), "--limit", "venv54", "--release", zip.toString(), "--runs-dir", runs.toString());
        assertEquals(0, upgrade.exit(), upgrade.out());
        JsonNode report = lastReport(runs, "venv54");
        assertEquals("SUCCEEDED", report.get("state").asText(), upgrade.out());
        assertEquals("5.6.9", report.get("report").get("release_after").asText());
        assertEquals("OMERO5.4__0", schema("venv54"));
        Path current = home.resolve("OMERO.server").toRealPath();
        assertTrue(current.getFileName().toString().startsWith("OMERO.server-5.6.9"), current.toString());
        assertTrue(Files.isRegularFile(venv.resolve("pyvenv.cfg")), "made by python3 -m venv");
        assertEquals("omero-py==5.19.4", line(venv.resolve("lib/sandbox-site-packages"), "omero-py"), "the newest omero-py, as the guide's pip install");
        assertEquals("zeroc-ice==3.6.5", line(venv.resolve("lib/sandbox-site-packages"), "zeroc-ice"), "with its dependency");
        assertTrue(Files.readString(current.resolve("bin/omero")).contains("exec '" + venv + "/bin/omero'"), "the new release runs omero-py from the venv");
        assertTrue(OmeroInstall.running(Long.parseLong(masterPid(home))), "the new server runs");

        Path out = root.resolve("report-v54.json");
        Run after = cli("report", "-i", inventory.toString(), "--limit", "venv54", "--format", "json", "-o", out.toString(),
                "--runs-dir", root.resolve("runs-v54-report").toString());
        assertEquals(0, after.exit(), after.out());
        assertTrue(Files.readString(out).contains("\"V5 venv (omero-py 5.19.4)\""), Files.readString(out));

        // the step again, as a rerun after an interruption would: nothing to do
        Path playbook = root.resolve("venv-again.yml");
        Files.writeString(playbook, "- hosts: venv54\n  gather_facts: false\n  tasks:\n    - omero_venv_setup:\n        venv: " + venv
                + "\n        release_dir: " + current + "\n        server_dir: OMERO.server\n        create: true\n");
        Run again = cli("run", "-i", inventory.toString(), playbook.toString(), "--runs-dir", root.resolve("runs-v54-again").toString());
        assertEquals(0, again.exit(), again.out());
        assertTrue(again.out().matches("(?s).*venv54 +: ok=1 +changed=0 .*"), again.out());
    }

    @Test
    void aFiveFourHostWithAVirtualenvAtOmeroVenvDirIsUpgradedTo56RunningIt() throws Exception {
        Path home = sandbox.fleet().host("prepared54").home();
        Path venv = home.toRealPath().resolve("py/omero");
        Path zip = releases.zip("5.6.9");
        Run plan = cli("plan", "-i", inventory.toString(), "--limit", "prepared54", "--release", zip.toString(), "--runs-dir", root.resolve("runs-p54-plan").toString());
        assertEquals(0, plan.exit(), plan.out());
        assertTrue(plan.out().contains("prepared54: note: OMERO 5.4.10 -> 5.6.9: the new release's bin/omero will run omero-py 5.13.1 from the Python 3 virtualenv "
                + venv + " (OMERODIR set to the server path)"), plan.out());
        Path runs = root.resolve("runs-p54");
        Run upgrade = cli("upgrade", "-i", inventory.toString(), "--limit", "prepared54", "--release", zip.toString(), "--runs-dir", runs.toString());
        assertEquals(0, upgrade.exit(), upgrade.out());
        assertEquals("SUCCEEDED", lastReport(runs, "prepared54").get("state").asText(), upgrade.out());
        Path current = home.resolve("OMERO.server").toRealPath();
        assertTrue(Files.readString(current.resolve("bin/omero")).contains("exec '" + venv + "/bin/omero'"), "the new release runs the admin's virtualenv");
        assertFalse(Files.exists(home.resolve("venv3")), "none created");
        assertEquals("omero-py==5.19.4", line(venv.resolve("lib/sandbox-site-packages"), "omero-py"), "omero-py upgraded there, as on any 5.6 host");
        assertTrue(OmeroInstall.running(Long.parseLong(masterPid(home))), "the new server runs");
    }

    @Test
    void aFiveFourHostWhoseNewServerFailsToStartRollsBackToTheOldServerAndKeepsTheNewVirtualenv() throws Exception {
        Path home = sandbox.fleet().host("failing54").home();
        Path runs = root.resolve("runs-54-fails");
        Run upgrade = cli("upgrade", "-i", inventory.toString(), "--limit", "failing54", "--release",
                releases.zip("5.6.9", OmeroReleases.Fault.START_FAILS).toString(), "--runs-dir", runs.toString());
        assertEquals(2, upgrade.exit(), upgrade.out());
        assertEquals("FAILED_ROLLED_BACK", lastReport(runs, "failing54").get("state").asText(), upgrade.out());
        assertTrue(home.resolve("OMERO.server").toRealPath().getFileName().toString().startsWith("OMERO.server-5.4.10"));
        assertTrue(OmeroInstall.running(Long.parseLong(masterPid(home))), "the old server runs again");
        assertEquals("OMERO5.4__0", schema("failing54"));
        assertEquals("omero-py==5.19.4", line(home.resolve("venv3/lib/sandbox-site-packages"), "omero-py"),
                "the new virtualenv is kept: the old server does not use it, and the next upgrade finds it");
    }

    @Test
    void aNewServerThatFailsToStartRollsBackThroughSystemdAndPutsTheOldOmeroPyBack() throws Exception {
        Path home = sandbox.fleet().host("failing56").home();
        Path zip = releases.zip("5.6.9", OmeroReleases.Fault.START_FAILS);
        Path runs = root.resolve("runs-56-fails");
        Run upgrade = cli("upgrade", "-i", inventory.toString(), "--limit", "failing56", "--release", zip.toString(), "--runs-dir", runs.toString());
        assertEquals(2, upgrade.exit(), upgrade.out());
        assertEquals("FAILED_ROLLED_BACK", lastReport(runs, "failing56").get("state").asText(), upgrade.out());
        assertTrue(home.resolve(RoleLayout.SERVER_DIR).toRealPath().getFileName().toString().startsWith("OMERO.server-5.6.3"));
        assertEquals("omero-py==5.8.1", line(home.resolve("opt/omero/server/venv3/lib/sandbox-site-packages"), "omero-py"),
                "the omero-py the old server ran with is back");
        assertTrue(Files.readString(home.resolve("opt/omero/server/venv3/pip.log")).contains("omero-py==5.8.1"), "put back by pip");
        List<String> calls = Files.readAllLines(home.resolve(".sandbox-systemd/calls"));
        assertEquals("start omero-server", calls.stream().filter(c -> c.startsWith("start ") || c.startsWith("stop ")).reduce((a, b) -> b).orElse(""),
                "the old server started again through its unit: " + calls);
        ProcessBuilder isActive = new ProcessBuilder(home.resolve("bin/systemctl").toString(), "is-active", "omero-server").redirectErrorStream(true);
        isActive.environment().put("HOME", home.toString());
        Process active = isActive.start();
        active.getOutputStream().close();
        assertEquals("active", new String(active.getInputStream().readAllBytes()).strip());
        assertEquals(0, active.waitFor());
        assertEquals("OMERO5.4__0", schema("failing56"));
    }

    @Test
    void theVirtualenvsOmeroNeedsOmerodirAndItsVersionIsOmeroPys() throws Exception {
        Path venvOmero = sandbox.fleet().host("failing56").home().resolve("opt/omero/server/venv3/bin/omero");
        ProcessBuilder status = new ProcessBuilder(venvOmero.toString(), "admin", "status").redirectErrorStream(true);
        status.environment().remove("OMERODIR");
        Process p = status.start();
        assertEquals("ERROR: OMERODIR not set", new String(p.getInputStream().readAllBytes()).strip());
        assertEquals(101, p.waitFor());
        Process version = new ProcessBuilder(venvOmero.toString(), "version").redirectErrorStream(true).start();
        assertTrue(new String(version.getInputStream().readAllBytes()).strip().matches("5\\.(8\\.1|19\\.4)"), "omero-py's version, not the server's");
        assertEquals(0, version.waitFor());
    }

    private static String masterPid(Path home) throws Exception {
        return Files.readString(home.resolve("OMERO.server/var/master/master.pid")).strip();
    }

    private static String line(Path file, String pkg) throws Exception {
        return Files.readAllLines(file).stream().filter(l -> l.startsWith(pkg + "==")).findFirst().orElse("");
    }
}
