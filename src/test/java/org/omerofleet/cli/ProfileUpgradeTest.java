package org.omerofleet.cli;

import static org.omerofleet.cli.SandboxCli.cli;
import static org.omerofleet.cli.SandboxCli.lastReport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omerofleet.cli.SandboxCli.Run;
import org.omerofleet.sandbox.OmeroReleases;
import org.omerofleet.sandbox.OmeroSandbox;

/**
 * Issue 13 item 5 on sandbox hosts: the OMERO modules run in the login environment, and the profile
 * entries that named the old install are pointed at the new one (diff, backup), or put back by the rescue.
 */
class ProfileUpgradeTest {

    static Path root;
    static OmeroSandbox sandbox;
    static Path inventory;
    static OmeroReleases releases;
    static final Map<String, String> BASHRC = new LinkedHashMap<>();
    static final Map<String, String> OLD_RELEASE = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        root = Files.createTempDirectory("profile-upgrade-test");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        releases = new OmeroReleases(Path.of("target", "sandbox-zips"));
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("env43", "4.3.2");
        versions.put("envfail", "4.3.2");
        sandbox = OmeroSandbox.start(root, versions, releases);
        for (String host : versions.keySet()) {
            Path home = sandbox.fleet().host(host).home();
            String release = home.resolve("OMERO.server").toRealPath().getFileName().toString();
            // Ice is found only through the login profile's PATH, as on a host whose Ice lives under /opt
            Path ice = Files.createDirectories(home.resolve("Ice-3.4.2/bin"));
            Files.move(home.resolve("bin/icegridnode"), ice.resolve("icegridnode"));
            Files.writeString(home.resolve(".profile"), "export PATH=\"$HOME/Ice-3.4.2/bin:$HOME/" + release + "/bin:$PATH\"\n"
                    + "export PYTHONPATH=\"$HOME/" + release + "/lib/python\"\n", StandardOpenOption.APPEND);
            String bashrc = "alias ll='ls -l'\nexport OMERODIR=~/" + release + "\nexport LD_LIBRARY_PATH=" + home.resolve(release) + "/lib:/usr/lib\n"
                    + "# a note about " + release + " stays as it is\n";
            Files.writeString(home.resolve(".bashrc"), bashrc);
            BASHRC.put(host, bashrc);
            OLD_RELEASE.put(host, release);
        }
        inventory = root.resolve("inventory.yml");
        sandbox.writeInventory(inventory);
    }

    @AfterAll
    static void stop() throws Exception {
        sandbox.close();
    }

    @Test
    void theModulesRunInTheLoginEnvironmentAndTheProfileEntriesFollowTheNewReleaseWithADiffAndABackup() throws Exception {
        Path home = sandbox.fleet().host("env43").home();
        Path zip = releases.zip("4.4.1");
        Run plan = cli("plan", "-i", inventory.toString(), "--limit", "env43", "--release", zip.toString(), "--runs-dir", root.resolve("runs-plan").toString());
        assertEquals(0, plan.exit(), plan.out());
        assertFalse(plan.out().contains("Ice version is unknown"), "icegridnode was found on the login shell's PATH:\n" + plan.out());
        Run noLogin = cli("plan", "-i", inventory.toString(), "--limit", "env43", "--release", zip.toString(), "-e", "omero_login_env=false",
                "--runs-dir", root.resolve("runs-plan").toString());
        assertTrue(noLogin.out().contains("env43: warning: the host's Ice version is unknown"), "without the login shell it is not:\n" + noLogin.out());

        String profile = Files.readString(home.resolve(".profile"));
        String before = SandboxCli.treeDigest(home);
        Run check = cli("upgrade", "-i", inventory.toString(), "--limit", "env43", "--release", zip.toString(), "--check", "--diff",
                "--runs-dir", root.resolve("runs-check").toString());
        assertEquals(0, check.exit(), check.out());
        assertEquals(before, SandboxCli.treeDigest(home), "--check changed no file");

        Run upgrade = cli("upgrade", "-i", inventory.toString(), "--limit", "env43", "--release", zip.toString(), "--diff",
                "--runs-dir", root.resolve("runs-upgrade").toString());
        assertEquals(0, upgrade.exit(), upgrade.out());
        assertTrue(upgrade.out().contains("-export OMERODIR=~/OMERO.server-4.3.2") && upgrade.out().contains("+export OMERODIR=~/OMERO.server-4.4.1"),
                "--diff shows each profile's change:\n" + upgrade.out());
        String bashrc = Files.readString(home.resolve(".bashrc"));
        String newRelease = home.resolve("OMERO.server").toRealPath().getFileName().toString();
        String oldRelease = OLD_RELEASE.get("env43");
        assertEquals(BASHRC.get("env43").replace("OMERODIR=~/" + oldRelease, "OMERODIR=~/" + newRelease)
                .replace(home.resolve(oldRelease) + "/lib:", home.resolve(newRelease) + "/lib:"), bashrc,
                "the two entries follow the new release in their own spelling; the alias and the comment do not change");
        String newProfile = Files.readString(home.resolve(".profile"));
        assertTrue(newProfile.contains("$HOME/" + newRelease + "/bin:") && newProfile.contains("PYTHONPATH=\"$HOME/" + newRelease + "/lib/python\""),
                newProfile);
        assertTrue(newProfile.contains("$HOME/Ice-3.4.2/bin"), "entries naming other directories stay: " + newProfile);
        JsonNode report = lastReport(root.resolve("runs-upgrade"), "env43");
        assertEquals("SUCCEEDED", report.get("state").asText(), report.toString());
        Path backups = home.resolve("omero-backups");
        try (var list = Files.list(backups)) {
            Map<String, String> kept = new LinkedHashMap<>();
            for (Path p : list.filter(p -> p.getFileName().toString().contains(".before-")).toList()) {
                kept.put(p.getFileName().toString().replaceFirst("\\.before-.*", ""), Files.readString(p));
            }
            assertEquals(Map.of(".bashrc", BASHRC.get("env43"), ".profile", profile), kept, "each rewritten file was kept as it was");
        }
    }

    @Test
    void aFailedUpgradePutsTheProfileFilesBackWithTheOldServerRunning() throws Exception {
        Path home = sandbox.fleet().host("envfail").home();
        String profile = Files.readString(home.resolve(".profile"));
        Path runs = root.resolve("runs-fail");
        Run upgrade = cli("upgrade", "-i", inventory.toString(), "--limit", "envfail", "--release",
                releases.zip("4.4.1", OmeroReleases.Fault.START_FAILS).toString(), "--runs-dir", runs.toString());
        assertEquals(ExitCodes.FAILED_SAFELY, upgrade.exit(), upgrade.out());
        JsonNode report = lastReport(runs, "envfail");
        assertEquals("FAILED_ROLLED_BACK", report.get("state").asText(), report.toString());
        assertEquals(BASHRC.get("envfail"), Files.readString(home.resolve(".bashrc")), "the rescue put .bashrc back");
        assertEquals(profile, Files.readString(home.resolve(".profile")), "and .profile");
        Path server = home.resolve("OMERO.server").toRealPath();
        assertTrue(server.getFileName().toString().startsWith("OMERO.server-4.3.2") && Files.exists(server.resolve("var/master/master.pid")),
                "the old server runs again: " + server);
    }
}
