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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.omerofleet.sandbox.DbSettings;
import org.omerofleet.sandbox.LoopbackInventory;
import org.omerofleet.sandbox.OmeroInstall;
import org.omerofleet.sandbox.OmeroReleases;
import org.omerofleet.sandbox.OmeroSandbox;
import org.omerofleet.sandbox.OpenSshFleet;
import org.omerofleet.sandbox.PostgresCluster;

/**
 * The upgrade end to end through real OpenSSH sshd (the user's real login shell, real sftp-server),
 * once per transport. Each host's OMERO lives in its own directory, named by absolute inventory
 * variables, as several instances on one machine would be.
 */
class OpenSshUpgradeTest {

    static Path root;
    static PostgresCluster postgres;
    static OpenSshFleet fleet;
    static OmeroReleases releases;
    static Path inventory;
    static final Map<String, DbSettings> DATABASES = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(OpenSshFleet.available(), "no /usr/sbin/sshd: install openssh-server");
        root = Files.createTempDirectory("openssh-upgrade");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        releases = new OmeroReleases(Path.of("target", "sandbox-zips"));
        postgres = PostgresCluster.start(root.resolve("postgres"));
        List<String> hosts = List.of("viamina", "viajsch");
        fleet = OpenSshFleet.start(root.resolve("fleet"), hosts);
        Map<String, Integer> ports = new LinkedHashMap<>();
        Map<String, Map<String, Object>> vars = new LinkedHashMap<>();
        for (String host : hosts) {
            Path dir = fleet.workDir(host);
            DATABASES.put(host, OmeroSandbox.installRunning(dir, host, "4.3.2", releases, postgres));
            ports.put(host, fleet.port(host));
            vars.put(host, Map.of("omero_server_dir", dir.resolve(OmeroInstall.LINK).toString(), "backup_dir", dir.resolve("backups").toString()));
        }
        inventory = root.resolve("inventory.yml");
        LoopbackInventory.write(inventory, fleet.user(), fleet.clientKey(), fleet.knownHosts(), ports, vars);
    }

    @AfterAll
    static void stop() throws Exception {
        if (fleet != null) {
            for (String host : List.of("viamina", "viajsch")) {
                OmeroInstall.stopProcesses(fleet.workDir(host));
            }
            fleet.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mina", "jsch"})
    void upgradeThroughRealSshd(String transport) throws Exception {
        String host = "via" + transport;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        int exit = Main.execute(new String[] {"upgrade", "-i", inventory.toString(), "--limit", host, "--transport", transport,
            "--release", releases.zip("4.4.1").toString(), "--runs-dir", root.resolve("runs").toString()}, print, print);
        assertEquals(0, exit, out.toString(StandardCharsets.UTF_8));
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
