package org.omerofleet.cli;

import static org.omerofleet.cli.SandboxCli.cli;
import static org.omerofleet.cli.SandboxCli.lastReport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omerofleet.cli.SandboxCli.Run;
import org.omerofleet.sandbox.OmeroReleases;
import org.omerofleet.sandbox.OmeroSandbox;
import org.omerofleet.sandbox.WebServerStandIn;

/**
 * Issue 13 item 2 on sandbox hosts: the upgrade regenerates the nginx stanza with the new release's
 * {@code bin/omero web config nginx}, checks it with {@code nginx -t} and reloads; a stanza nginx refuses
 * rolls the upgrade back with the old stanza served again. nginx is the sandbox's stand-in
 * ({@link WebServerStandIn}): its check and its record of what each reload loaded.
 */
class WebServerUpgradeTest {

    static Path root;
    static OmeroSandbox sandbox;
    static Path inventory;
    static OmeroReleases releases;
    static final Map<String, String> OLD_STANZA = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        root = Files.createTempDirectory("web-server-upgrade-test");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        releases = new OmeroReleases(Path.of("target", "sandbox-zips"));
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("web43", "4.3.2");
        versions.put("webbad", "4.4.0");
        versions.put("webapache", "4.4.0");
        sandbox = OmeroSandbox.start(root, versions, releases);
        Map<String, Map<String, Object>> vars = new LinkedHashMap<>();
        for (String host : versions.keySet()) {
            Path home = sandbox.fleet().host(host).home();
            boolean apache = host.equals("webapache");
            Path confD = apache ? WebServerStandIn.installApache(home) : WebServerStandIn.installNginx(home);
            String server = apache ? "apache" : "nginx";
            // the stanza the installed release wrote, served by the web server, as the host's admin set it up
            String stanza = shell(home, home.resolve("OMERO.server/bin/omero") + " web config " + server);
            Files.writeString(confD.resolve("omero-web.conf"), stanza);
            shell(home, apache ? "apachectl graceful" : "nginx -s reload");
            OLD_STANZA.put(host, stanza);
            vars.put(host, Map.of("omero_web_server", server, "omero_web_config_path", confD.resolve("omero-web.conf").toString()));
        }
        inventory = root.resolve("inventory.yml");
        sandbox.fleet().writeInventory(inventory, vars);
    }

    @AfterAll
    static void stop() throws Exception {
        sandbox.close();
    }

    /** {@return the output of {@code command} run by /bin/sh in {@code home}, as the host's login would} */
    static String shell(Path home, String command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command).directory(home.toFile());
        builder.environment().put("HOME", home.toString());
        builder.environment().put("PATH", home.resolve("bin") + ":" + System.getenv("PATH"));
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), command + ": " + out + err);
        return out;
    }

    static Path stanzaFile(String host) {
        return sandbox.fleet().host(host).home().resolve("etc/nginx/conf.d/omero-web.conf");
    }

    static Path serverDir(String host) throws Exception {
        return sandbox.fleet().host(host).home().resolve("OMERO.server").toRealPath();
    }

    @Test
    void theNewReleasesStanzaIsInstalledCheckedAndReloadedWithTheOmeroMountAndCheckModeChangesNothing() throws Exception {
        Path home = sandbox.fleet().host("web43").home();
        Path zip = releases.zip("4.4.1");
        Run plan = cli("plan", "-i", inventory.toString(), "--limit", "web43", "--release", zip.toString(),
                "--runs-dir", root.resolve("runs-plan").toString());
        assertEquals(0, plan.exit(), plan.out());
        assertTrue(plan.out().contains("web43: note: OMERO.web moves from / to /omero (4.3.2 -> 4.4.1): users visit http://<host>/omero/"),
                plan.out());

        String before = SandboxCli.treeDigest(home);
        Run check = cli("upgrade", "-i", inventory.toString(), "--limit", "web43", "--release", zip.toString(), "--check", "--diff",
                "--runs-dir", root.resolve("runs-check").toString());
        assertEquals(0, check.exit(), check.out());
        assertEquals(before, SandboxCli.treeDigest(home), "--check changed no file: stanza, backups and nginx's record of reloads alike");
        assertEquals(1, WebServerStandIn.reloads(home), "--check reloaded nothing");

        Run upgrade = cli("upgrade", "-i", inventory.toString(), "--limit", "web43", "--release", zip.toString(), "--diff",
                "--runs-dir", root.resolve("runs-upgrade").toString());
        assertEquals(0, upgrade.exit(), upgrade.out());
        assertTrue(upgrade.out().contains("-    location / {") && upgrade.out().contains("+    location /omero {"),
                "--diff shows the stanza's change of mount:\n" + upgrade.out());
        String stanza = Files.readString(stanzaFile("web43"));
        assertTrue(stanza.contains("location /omero {") && stanza.contains("return 301 /omero/;"), stanza);
        assertTrue(stanza.contains(serverDir("web43") + "/lib/python/omeroweb/static"), "the new release's own static files: " + stanza);
        assertEquals(2, WebServerStandIn.reloads(home), "nginx reloaded once by the upgrade");
        assertTrue(WebServerStandIn.active(home).contains(stanza), "nginx serves the new stanza: " + WebServerStandIn.active(home));
        assertEquals("-rw-r--r--", "-" + PosixFilePermissions.toString(Files.getPosixFilePermissions(stanzaFile("web43"))));

        JsonNode report = lastReport(root.resolve("runs-upgrade"), "web43");
        assertEquals("SUCCEEDED", report.get("state").asText(), report.toString());
        List<Path> kept;
        try (Stream<Path> list = Files.list(home.resolve("omero-backups"))) {
            kept = list.filter(p -> p.getFileName().toString().startsWith("omero-web.conf.before-")).toList();
        }
        assertEquals(1, kept.size(), kept.toString());
        assertEquals(OLD_STANZA.get("web43"), Files.readString(kept.get(0)), "the replaced stanza is kept");

        Run again = cli("upgrade", "-i", inventory.toString(), "--limit", "web43", "--release", zip.toString(),
                "--runs-dir", root.resolve("runs-again").toString());
        assertEquals(0, again.exit(), again.out());
        assertEquals(2, WebServerStandIn.reloads(home), "an up-to-date host's web server is left alone");
    }

    @Test
    void apacheGetsTheNewReleasesStanzaCheckedByConfigtestAndAGracefulRestart() throws Exception {
        Path home = sandbox.fleet().host("webapache").home();
        Run upgrade = cli("upgrade", "-i", inventory.toString(), "--limit", "webapache", "--release", releases.zip("4.4.1").toString(),
                "--runs-dir", root.resolve("runs-apache").toString());
        assertEquals(0, upgrade.exit(), upgrade.out());
        String stanza = Files.readString(home.resolve("etc/apache2/conf.d/omero-web.conf"));
        assertTrue(stanza.startsWith("# OMERO.web 4.4.1-ice34-b3035: generated by bin/omero web config apache"), stanza);
        assertTrue(stanza.contains("Alias /omero/static " + serverDir("webapache") + "/lib/python/omeroweb/static"), stanza);
        String served = WebServerStandIn.active(home, "apache2");
        assertTrue(served.contains(stanza), "apache serves the new stanza after its graceful restart: " + served);
        assertFalse(served.contains(OLD_STANZA.get("webapache")), served);
    }

    @Test
    void aStanzaNginxRefusesRollsTheUpgradeBackAndTheOldStanzaIsServedByTheRunningOldServer() throws Exception {
        Path home = sandbox.fleet().host("webbad").home();
        Path runs = root.resolve("runs-bad");
        Run upgrade = cli("upgrade", "-i", inventory.toString(), "--limit", "webbad", "--release",
                releases.zip("4.4.1", OmeroReleases.Fault.BAD_WEB_STANZA).toString(), "--runs-dir", runs.toString());
        assertEquals(ExitCodes.FAILED_SAFELY, upgrade.exit(), upgrade.out());
        JsonNode report = lastReport(runs, "webbad");
        assertEquals("FAILED_ROLLED_BACK", report.get("state").asText(), report.toString());
        assertTrue(report.get("message").asText().contains("`nginx -t` refused the configuration")
                && report.get("message").asText().contains("unexpected end of file"), report.get("message").asText());

        assertEquals(OLD_STANZA.get("webbad"), Files.readString(stanzaFile("webbad")), "the old stanza is back");
        shell(home, "nginx -t");
        try (Stream<String> reloads = Files.lines(home.resolve("var/nginx/reloads.log"))) {
            assertEquals(1, reloads.map(line -> line.split(" ")[2]).distinct().count(), "every reload loaded the old stanza: the refused one never was");
        }
        assertEquals("# " + stanzaFile("webbad") + "\n" + OLD_STANZA.get("webbad"), WebServerStandIn.active(home));
        assertTrue(serverDir("webbad").getFileName().toString().startsWith("OMERO.server-4.4.0"), serverDir("webbad").toString());
        assertTrue(Files.exists(serverDir("webbad").resolve("var/master/master.pid")), "the old server runs again");
        assertFalse(Files.exists(stanzaFile("webbad").resolveSibling("omero-web.conf.fleet-new")), "no temporary file left");
    }
}
