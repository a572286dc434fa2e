package org.omerofleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.omerofleet.sandbox.DbSettings;
import org.omerofleet.sandbox.LoopbackInventory;
import org.omerofleet.sandbox.OmeroInstall;
import org.omerofleet.sandbox.OmeroReleases;
import org.omerofleet.sandbox.OmeroSandbox;
import org.omerofleet.sandbox.OpenSshFleet;
import org.omerofleet.sandbox.PostgresCluster;
import org.omerofleet.sandbox.SshKeygen;

/**
 * The upgrade end to end through real OpenSSH sshd (the user's real login shell, real sftp-server),
 * once per transport, directly and behind a jump host ({@code bastion}, itself no OMERO host, named
 * through an ssh config alias; one host behind it per transport). All hosts share the real user's home
 * and so its host lock: each run upgrades one host. Each
 * host's OMERO lives in its own directory, named by absolute inventory variables, as several instances
 * on one machine would be.
 */
class OpenSshUpgradeTest {

    static Path root;
    static PostgresCluster postgres;
    static OpenSshFleet fleet;
    static OmeroReleases releases;
    static Path inventory;
    static Path sshConfig;
    static final Map<String, DbSettings> DATABASES = new LinkedHashMap<>();
    static final List<String> OMERO_HOSTS = List.of("viamina", "viajsch", "behindmina", "behindjsch");

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(OpenSshFleet.available(), "no /usr/sbin/sshd: install openssh-server");
        root = Files.createTempDirectory("openssh-upgrade");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        releases = new OmeroReleases(Path.of("target", "sandbox-zips"));
        postgres = PostgresCluster.start(root.resolve("postgres"));
        List<String> hosts = new ArrayList<>(OMERO_HOSTS);
        hosts.add("bastion");
        fleet = OpenSshFleet.start(root.resolve("fleet"), hosts);
        Map<String, Integer> ports = new LinkedHashMap<>();
        Map<String, Map<String, Object>> vars = new LinkedHashMap<>();
        for (String host : OMERO_HOSTS) {
            Path dir = fleet.workDir(host);
            DATABASES.put(host, OmeroSandbox.installRunning(dir, host, "4.3.2", releases, postgres));
            ports.put(host, fleet.port(host));
            Map<String, Object> hostVars = new LinkedHashMap<>(Map.of("omero_server_dir", dir.resolve(OmeroInstall.LINK).toString(),
                    "backup_dir", dir.resolve("backups").toString()));
            if (host.startsWith("behind")) {
                hostVars.put("fleet_jump_host", "bastion");
                hostVars.put("fleet_transport", host.substring("behind".length()));
            }
            vars.put(host, hostVars);
        }
        sshConfig = Files.writeString(root.resolve("ssh_config"), String.join("\n", "Host bastion", "  HostName 127.0.0.1",
                "  Port " + fleet.port("bastion"), "  User " + fleet.user(), ""));
        inventory = root.resolve("inventory.yml");
        LoopbackInventory.write(inventory, fleet.access(), ports, vars);
    }

    @AfterAll
    static void stop() throws Exception {
        if (fleet != null) {
            for (String host : OMERO_HOSTS) {
                OmeroInstall.stopProcesses(fleet.workDir(host));
            }
            fleet.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private static Run upgrade(String limit, String transport, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("upgrade", "-i", inventory.toString(), "--limit", limit, "--transport", transport,
                "--release", releases.zip("4.4.1").toString(), "--runs-dir", root.resolve("runs").toString(), "--ssh-config", sshConfig.toString()));
        args.addAll(List.of(more));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        int exit = Main.execute(args.toArray(new String[0]), print, print);
        return new Run(exit, out.toString(StandardCharsets.UTF_8));
    }

    record Run(int exit, String output) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"mina", "jsch"})
    void upgradeThroughRealSshd(String transport) throws Exception {
        String host = "via" + transport;
        Run run = upgrade(host, transport);
        assertEquals(0, run.exit(), run.output());
        assertUpgraded(host);
    }

    /** The bastion's log shows the controller's login: the upgrade went through it. */
    @ParameterizedTest
    @ValueSource(strings = {"mina", "jsch"})
    void upgradeBehindAJumpHost(String transport) throws Exception {
        String host = "behind" + transport;
        long before = logins("bastion");
        Run run = upgrade(host, transport);
        assertEquals(0, run.exit(), run.output());
        assertUpgraded(host);
        assertTrue(logins("bastion") > before, "no login on the jump host");
    }

    /** Both hosts behind the bastion in one run, each with its own transport ({@code fleet_transport}). */
    @Test
    void SEC01_aChangedKeyOnTheJumpHostStopsEveryHostBehindItBeforeAnyChange() throws Exception {
        String impostor = SshKeygen.publicKey(SshKeygen.generate("ed25519", "", root.resolve("bastion-impostor")));
        String bastion = "[127.0.0.1]:" + fleet.port("bastion") + " ";
        Path knownHosts = root.resolve("known_hosts_bastion_changed");
        Files.write(knownHosts, Files.readAllLines(fleet.knownHosts()).stream()
                .map(l -> l.startsWith(bastion) ? bastion + impostor : l).toList());
        Map<String, String> state = new LinkedHashMap<>();
        for (String host : List.of("behindmina", "behindjsch")) {
            state.put(host, fleet.workDir(host).resolve(OmeroInstall.LINK).toRealPath() + " " + logins(host));
        }
        Run run = upgrade("behind*", "mina", "-e", "fleet_known_hosts=" + knownHosts);
        assertEquals(ExitCodes.FAILED_SAFELY, run.exit(), run.output());
        for (String host : List.of("behindmina", "behindjsch")) {
            assertTrue(run.output().contains(host + ": jump host bastion: HOST KEY CHANGED for " + bastion.strip()), run.output());
            assertEquals(state.get(host), fleet.workDir(host).resolve(OmeroInstall.LINK).toRealPath() + " " + logins(host),
                    "nothing changed and nobody logged in");
        }
        assertTrue(run.output().contains(SshKeygen.fingerprint(impostor)), run.output());
        assertTrue(run.output().contains(fleet.hostKeyFingerprint("bastion")), run.output());
    }

    private static long logins(String host) throws Exception {
        return Files.readAllLines(fleet.log(host)).stream().filter(l -> l.contains("Accepted publickey")).count();
    }

    private static void assertUpgraded(String host) throws Exception {
        DbSettings db = DATABASES.get(host);
        try (Connection c = postgres.connect(db.name(), db.user(), db.password()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT currentversion || '__' || currentpatch FROM dbpatch ORDER BY id DESC LIMIT 1")) {
            rs.next();
            assertEquals("OMERO4.4__0", rs.getString(1));
        }
        Path server = fleet.workDir(host).resolve(OmeroInstall.LINK).toRealPath();
        assertTrue(server.getFileName().toString().startsWith("OMERO.server-4.4.1"), server.toString());
        assertTrue(Files.exists(server.resolve("var/master/master.pid")), "the new server runs");
    }
}
