package org.omerofleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.omerofleet.sandbox.SandboxFleet;

/** {@code ping -v}: per host, the key exchange, host key type, cipher and MAC the transport negotiated. */
class PingCommandTest {

    @TempDir
    static Path dir;
    static SandboxFleet fleet;
    static Path inventory;

    @BeforeAll
    static void start() throws Exception {
        fleet = SandboxFleet.start(dir.resolve("fleet"), List.of("p1", "p2"));
        inventory = dir.resolve("inventory.yml");
        fleet.writeInventory(inventory, Map.of());
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mina", "jsch"})
    void verbosePingShowsTheNegotiatedAlgorithmsOfEveryHost(String transport) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        int exit = Main.execute(new String[] {"ping", "-v", "-i", inventory.toString(), "--transport", transport}, print, print);
        String output = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, output);
        for (String host : List.of("p1", "p2")) {
            assertTrue(output.lines().anyMatch(l -> l.matches(host + " \\| SUCCESS => pong  \\[kex=[\\w@.-]+ hostkey=ssh-ed25519"
                    + " cipher=[\\w@.-]+ mac=[\\w@.-]+]")), output);
        }
        assertFalse(output.contains("null"), output);
    }

    @org.junit.jupiter.api.Test
    void aHostListOnTheCommandLineReachesHostsWithoutAnInventoryFile() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        String hosts = "127.0.0.1:" + fleet.host("p1").port() + ",";
        int exit = Main.execute(new String[] {"ping", "-i", hosts, "-u", fleet.user(), "--private-key", fleet.clientKey().toString(),
            "--known-hosts", fleet.knownHosts().toString()}, print, print);
        String output = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, output);
        assertTrue(output.contains("127.0.0.1 | SUCCESS => pong"), output);
    }
}
