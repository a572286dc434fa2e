package org.omerofleet.transport.mina;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.omerofleet.sandbox.SandboxFleet;
import org.omerofleet.sandbox.SandboxHost;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.Connection;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.HostKeyPolicy;
import org.omerofleet.transport.PassphraseProvider;
import org.omerofleet.transport.SshTarget;
import org.omerofleet.transport.TransportException;

/** The MINA SSHD transport against in-process sandbox hosts: real SSH, real /bin/sh. */
class MinaConnectionTest {

    @TempDir
    static Path dir;

    static SandboxFleet fleet;
    static MinaConnectionFactory factory;

    @BeforeAll
    static void startFleet() throws Exception {
        fleet = SandboxFleet.start(dir, List.of("h1", "h2", "h3"));
        factory = new MinaConnectionFactory(PassphraseProvider.none(), name -> null);
    }

    @AfterAll
    static void stopFleet() {
        factory.close();
        fleet.close();
    }

    static SshTarget target(SandboxHost host, Path knownHosts, HostKeyPolicy policy) {
        return new SshTarget(host.name(), "127.0.0.1", host.port(), fleet.user(), List.of(fleet.clientKey()), Optional.empty(),
                knownHosts, policy, Duration.ofSeconds(5), 0, Duration.ofSeconds(15));
    }

    static SshTarget target(SandboxHost host) {
        return target(host, fleet.knownHosts(), HostKeyPolicy.STRICT);
    }

    @Test
    void execReportsExitStatusAndBothStreams() throws Exception {
        try (Connection c = factory.open(target(fleet.host("h1")))) {
            CommandResult r = c.exec(ExecRequest.shell("echo out; echo err >&2; exit 3"));
            assertEquals(3, r.rc());
            assertEquals("out\n", r.stdout());
            assertEquals("err\n", r.stderr());
        }
    }

    @Test
    void commandsRunInTheHostsOwnHomeDirectory() throws Exception {
        try (Connection c = factory.open(target(fleet.host("h2")))) {
            assertEquals(fleet.host("h2").home().toString(), c.exec(ExecRequest.shell("pwd -P")).stdout().strip());
        }
    }

    @Test
    void stdinReachesTheCommandAndIsClosed() throws Exception {
        try (Connection c = factory.open(target(fleet.host("h1")))) {
            CommandResult r = c.exec(ExecRequest.shell("cat").withStdin("line one\nline two".getBytes(StandardCharsets.UTF_8)));
            assertEquals("line one\nline two", r.stdout());
        }
    }

    @Test
    void largeOutputKeepsHeadAndTailWithinTheCaptureLimit() throws Exception {
        try (Connection c = factory.open(target(fleet.host("h1")))) {
            CommandResult r = c.exec(new ExecRequest("seq 1 200000", new byte[0], Duration.ofMinutes(1), 4096));
            assertTrue(r.truncated());
            assertTrue(r.stdout().startsWith("1\n2\n"), r.stdout().substring(0, 20));
            assertTrue(r.stdout().endsWith("199999\n200000\n"));
            assertTrue(r.stdout().length() < 4200);
        }
    }

    @Test
    void uploadAndDownloadCarryTheBytesAndTheirChecksum() throws Exception {
        Path local = dir.resolve("payload.bin");
        byte[] bytes = new byte[300_000];
        new java.util.Random(7).nextBytes(bytes);
        Files.write(local, bytes);
        try (Connection c = factory.open(target(fleet.host("h3")))) {
            String sent = c.upload(local, "payload.bin", 0640);
            Path remote = fleet.host("h3").home().resolve("payload.bin");
            assertArrayEquals(bytes, Files.readAllBytes(remote));
            assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(remote)));
            Path back = dir.resolve("back.bin");
            assertEquals(sent, c.download("payload.bin", back));
            assertArrayEquals(bytes, Files.readAllBytes(back));
            assertEquals(List.of("payload.bin"), List.of(fleet.host("h3").home().toFile().list()));
        }
    }

    @Test
    void hostKeyDifferentFromKnownHostsIsRefusedWithBothFingerprints() throws Exception {
        SandboxHost host = fleet.host("h2");
        var impostor = SandboxFleet.newKey();
        Path knownHosts = dir.resolve("known_hosts_changed");
        Files.writeString(knownHosts, "[127.0.0.1]:" + host.port() + " " + PublicKeyEntry.toString(impostor.getPublic()) + "\n");
        TransportException e = assertThrows(TransportException.HostKeyRejectedException.class,
                () -> factory.open(target(host, knownHosts, HostKeyPolicy.ACCEPT_NEW)));
        assertTrue(e.getMessage().contains(KeyUtils.getFingerPrint(impostor.getPublic())), e.getMessage());
        assertTrue(e.getMessage().contains(KeyUtils.getFingerPrint(host.hostKey())), e.getMessage());
    }

    @Test
    void unknownHostKeyIsRefusedUnderStrictAndRecordedUnderAcceptNew() throws Exception {
        SandboxHost host = fleet.host("h1");
        Path knownHosts = dir.resolve("known_hosts_empty");
        TransportException e = assertThrows(TransportException.HostKeyRejectedException.class,
                () -> factory.open(target(host, knownHosts, HostKeyPolicy.STRICT)));
        assertTrue(e.getMessage().contains("is not in"), e.getMessage());
        assertFalse(Files.exists(knownHosts));
        try (Connection c = factory.open(target(host, knownHosts, HostKeyPolicy.ACCEPT_NEW))) {
            assertTrue(c.exec(ExecRequest.shell("true")).succeeded());
        }
        assertTrue(Files.readString(knownHosts).startsWith("[127.0.0.1]:" + host.port() + " ssh-ed25519 "));
        try (Connection c = factory.open(target(host, knownHosts, HostKeyPolicy.STRICT))) {
            assertTrue(c.isOpen());
        }
    }

    @Test
    void aKeyTheHostDoesNotAcceptIsAnAuthenticationFailureNotRetried() throws Exception {
        Path otherKey = dir.resolve("other_key");
        try (SandboxFleet other = SandboxFleet.start(dir.resolve("other"), List.of("x"))) {
            Files.copy(other.clientKey(), otherKey);
        }
        SandboxHost host = fleet.host("h1");
        SshTarget t = new SshTarget("h1", "127.0.0.1", host.port(), fleet.user(), List.of(otherKey), Optional.empty(),
                fleet.knownHosts(), HostKeyPolicy.STRICT, Duration.ofSeconds(5), 3, Duration.ZERO);
        long started = System.nanoTime();
        assertThrows(TransportException.AuthenticationException.class, () -> factory.open(t));
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofMillis(500)) < 0, "no retry pause for a refused key");
    }

    @Test
    void NET01_aClosedPortFailsAfterTheBoundedRetries() throws Exception {
        SandboxHost host = fleet.host("h3");
        SshTarget t = new SshTarget("gone", "127.0.0.1", 1, fleet.user(), List.of(fleet.clientKey()), Optional.empty(),
                fleet.knownHosts(), HostKeyPolicy.STRICT, Duration.ofSeconds(2), 1, Duration.ZERO);
        TransportException e = assertThrows(TransportException.class, () -> factory.open(t));
        assertTrue(e.getMessage().contains("cannot connect"), e.getMessage());
        assertTrue(host.running());
    }

    @Test
    void NET06_aHostGoingDownDuringACommandMakesItsOutcomeUnknown() throws Exception {
        try (SandboxFleet own = SandboxFleet.start(dir.resolve("down"), List.of("d1"))) {
            SandboxHost host = own.host("d1");
            SshTarget t = new SshTarget("d1", "127.0.0.1", host.port(), own.user(), List.of(own.clientKey()), Optional.empty(),
                    own.knownHosts(), HostKeyPolicy.STRICT, Duration.ofSeconds(5), 0, Duration.ZERO);
            try (Connection c = factory.open(t)) {
                Thread stopper = new Thread(() -> {
                    try {
                        while (!Files.exists(host.home().resolve("started"))) {
                            Thread.onSpinWait();
                        }
                        host.stop();
                    } catch (Exception ignored) {
                        // the assertion below reports what went wrong
                    }
                });
                stopper.start();
                TransportException e = assertThrows(TransportException.class, () -> c.exec(ExecRequest.shell("touch started; sleep 30")));
                assertTrue(e.outcomeUnknown(), e.getMessage());
                stopper.join();
                assertFalse(c.isOpen());
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"ed25519,", "ecdsa,", "rsa,", "ed25519,s3cret phrase", "ecdsa,another one"})
    void opensshKeysOfEveryTypeAuthenticateAndEncryptedOnesTakeTheirPassphraseFromTheEnvironment(String type, String passphrase)
            throws Exception {
        Path key = dir.resolve("key-" + type + (passphrase == null ? "" : "-enc"));
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", type, "-N", passphrase == null ? "" : passphrase, "-C", "test",
                "-f", key.toString()).redirectErrorStream(true).start();
        assertEquals(0, keygen.waitFor(), new String(keygen.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        String pub = Files.readString(Path.of(key + ".pub"));
        fleet.authorize(PublicKeyEntry.parsePublicKeyEntry(pub.strip()).resolvePublicKey(null, null, null));
        SandboxHost host = fleet.host("h1");
        SshTarget t = new SshTarget("h1", "127.0.0.1", host.port(), fleet.user(), List.of(key), Optional.of("FLEET_KEY_PASSPHRASE"),
                fleet.knownHosts(), HostKeyPolicy.STRICT, Duration.ofSeconds(5), 0, Duration.ZERO);
        try (MinaConnectionFactory withEnv = new MinaConnectionFactory(PassphraseProvider.none(),
                name -> name.equals("FLEET_KEY_PASSPHRASE") ? passphrase : null);
             Connection c = withEnv.open(t)) {
            assertTrue(c.exec(ExecRequest.shell("true")).succeeded());
        }
    }

    @Test
    void anEncryptedKeyWithoutItsPassphraseIsAnAuthenticationFailureNamingTheKey() throws Exception {
        Path key = dir.resolve("locked");
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "right", "-f", key.toString()).start();
        assertEquals(0, keygen.waitFor());
        SandboxHost host = fleet.host("h1");
        SshTarget t = new SshTarget("h1", "127.0.0.1", host.port(), fleet.user(), List.of(key), Optional.of("FLEET_KEY_PASSPHRASE"),
                fleet.knownHosts(), HostKeyPolicy.STRICT, Duration.ofSeconds(5), 0, Duration.ZERO);
        try (MinaConnectionFactory wrong = new MinaConnectionFactory(PassphraseProvider.none(), name -> "wrong")) {
            TransportException e = assertThrows(TransportException.AuthenticationException.class, () -> wrong.open(t));
            assertTrue(e.getMessage().contains(key.toString()), e.getMessage());
            assertFalse(e.getMessage().contains("wrong"), "the passphrase itself never appears: " + e.getMessage());
        }
    }
}
