package org.omerofleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omerofleet.transport.SshTarget;

/** Connection targets from inventory variables, the command line and ~/.ssh/config, in that order. */
class TargetsTest {

    @TempDir
    Path home;

    private Targets targets(String user) throws Exception {
        Files.createDirectories(home.resolve(".ssh"));
        Path key = Files.writeString(home.resolve(".ssh/omero_db_key"), "not read here");
        Files.writeString(home.resolve(".ssh/config"), String.join("\n",
                "Host omero-db",
                "  HostName 10.0.0.5",
                "  IdentityFile " + key,
                "Host omero-*",
                "  User omero",
                "  Port 2222",
                "Host behind",
                "  ProxyJump bastion.example.org",
                ""));
        ConnectionOptions options = new ConnectionOptions();
        options.hostKeyChecking = "strict";
        options.connectTimeoutSeconds = 10;
        options.user = user;
        assertTrue(Files.exists(key));
        return new Targets(options, home, "me");
    }

    @Test
    void sshConfigFillsWhatTheInventoryLeavesOpen() throws Exception {
        SshTarget t = targets(null).resolve("omero-db", Map.of());
        assertEquals("10.0.0.5", t.hostname());
        assertEquals(2222, t.port());
        assertEquals("omero", t.user());
        assertEquals(List.of(home.resolve(".ssh/omero_db_key")), t.identityFiles());
    }

    @Test
    void inventoryVariablesAndTheCommandLineWinOverTheSshConfig() throws Exception {
        SshTarget t = targets("admin").resolve("omero-db", Map.of("ansible_host", "192.0.2.7", "ansible_port", 22));
        assertEquals("192.0.2.7", t.hostname());
        assertEquals(22, t.port());
        assertEquals("admin", t.user());
    }

    @Test
    void aHostWithoutAnEntryKeepsItsNameAndOpenSshDefaults() throws Exception {
        SshTarget t = targets(null).resolve("elsewhere", Map.of());
        assertEquals("elsewhere", t.hostname());
        assertEquals(22, t.port());
        assertEquals("me", t.user());
    }

    @Test
    void proxyJumpIsRefusedRatherThanSilentlyConnectingDirectly() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> targets(null).resolve("behind", Map.of()));
        assertTrue(e.getMessage().contains("ProxyJump bastion.example.org"), e.getMessage());
    }
}
