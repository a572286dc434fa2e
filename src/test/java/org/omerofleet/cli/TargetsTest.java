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
        Path bastionKey = Files.writeString(home.resolve(".ssh/bastion_key"), "not read here");
        Files.writeString(home.resolve(".ssh/config"), String.join("\n",
                "Host omero-db",
                "  HostName 10.0.0.5",
                "  IdentityFile " + key,
                "Host omero-*",
                "  User omero",
                "  Port 2222",
                "  ConnectTimeout 25",
                "  ServerAliveInterval 7",
                "Host behind",
                "  ProxyJump admin@bastion:2200",
                "Host bastion",
                "  HostName 192.0.2.9",
                "  IdentityFile " + bastionKey,
                "Host piped",
                "  ProxyCommand ssh -W %h:%p bastion",
                ""));
        ConnectionOptions options = new ConnectionOptions();
        options.hostKeyChecking = ConnectionOptions.HostKeyChecking.STRICT;
        options.connectTimeoutSeconds = null;
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
        assertEquals(java.time.Duration.ofSeconds(25), t.connectTimeout());
        assertEquals(java.time.Duration.ofSeconds(7), t.keepalive());
    }

    @Test
    void inventoryVariablesAndTheCommandLineWinOverTheSshConfig() throws Exception {
        SshTarget t = targets("admin").resolve("omero-db", Map.of("ansible_host", "192.0.2.7", "ansible_port", 22));
        assertEquals("192.0.2.7", t.hostname());
        assertEquals(22, t.port());
        assertEquals("admin", t.user());
        assertEquals(java.time.Duration.ofSeconds(10), targets("admin").resolve("elsewhere", Map.of()).connectTimeout(),
                "without ConnectTimeout in the config the default holds");
    }

    @Test
    void aHostWithoutAnEntryKeepsItsNameAndOpenSshDefaults() throws Exception {
        SshTarget t = targets(null).resolve("elsewhere", Map.of());
        assertEquals("elsewhere", t.hostname());
        assertEquals(22, t.port());
        assertEquals("me", t.user());
    }

    @Test
    void proxyJumpInTheSshConfigBecomesAJumpHostResolvedThroughItsOwnEntry() throws Exception {
        SshTarget t = targets(null).resolve("behind", Map.of("ansible_ssh_private_key_file", "/keys/omero"));
        SshTarget jump = t.jumps().get(0);
        assertEquals(List.of("bastion", "192.0.2.9", "admin"), List.of(jump.name(), jump.hostname(), jump.user()));
        assertEquals(2200, jump.port());
        assertEquals(List.of(home.resolve(".ssh/bastion_key")), jump.identityFiles(), "the jump host's own IdentityFile");
        assertEquals(t.knownHosts(), jump.knownHosts());
        assertEquals("behind", t.hostname(), "the host behind is named as the jump host will resolve it");
    }

    @Test
    void fleetJumpHostWinsOverProxyJumpAndListsHopsInOrder() throws Exception {
        SshTarget t = targets(null).resolve("behind", Map.of("fleet_jump_host", "gate, ops@[2001:db8::1]:2222",
                "ansible_ssh_private_key_file", "/keys/omero"));
        assertEquals(2, t.jumps().size());
        SshTarget gate = t.jumps().get(0);
        assertEquals(List.of("gate", "gate", "me", "22"), List.of(gate.name(), gate.hostname(), gate.user(), String.valueOf(gate.port())));
        assertEquals(List.of(Path.of("/keys/omero")), gate.identityFiles(), "without an IdentityFile of its own, the host's keys");
        SshTarget second = t.jumps().get(1);
        assertEquals(List.of("2001:db8::1", "ops", "2222"), List.of(second.hostname(), second.user(), String.valueOf(second.port())));
    }

    @Test
    void fleetJumpHostNoneConnectsDirectlyDespiteProxyJump() throws Exception {
        assertEquals(List.of(), targets(null).resolve("behind", Map.of("fleet_jump_host", "none")).jumps());
    }

    @Test
    void aJumpHostOtherThanUserAtHostPortIsInvalidInput() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> targets(null).resolve("omero-db", Map.of("fleet_jump_host", "bastion:99999")));
        assertEquals("host 'omero-db': jump host 'bastion:99999' must be [user@]host[:port]", e.getMessage());
    }

    @Test
    void proxyCommandIsRefusedRatherThanSilentlyConnectingDirectly() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> targets(null).resolve("piped", Map.of()));
        assertTrue(e.getMessage().startsWith("host 'piped': ProxyCommand in the ssh config is not supported"), e.getMessage());
    }

    @Test
    void ansibleSshArgsAskingForAJumpHostAreRefusedRatherThanIgnored() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> targets(null).resolve("elsewhere", Map.of("ansible_ssh_common_args", "-o ProxyJump=bastion")));
        assertTrue(e.getMessage().contains("set fleet_jump_host"), e.getMessage());
    }
}
