package org.omerofleet.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.omerofleet.sandbox.SshKeygen;
import org.omerofleet.testing.SandboxTestFleet;
import org.omerofleet.testing.SshAgent;
import org.omerofleet.sandbox.SshFleet;

/**
 * What every {@link Connection} must do, run unchanged against each transport (subclasses give the
 * factory) and each kind of host (the in-process sandbox by default, real OpenSSH when a subclass
 * overrides {@link #startFleet}). Files go to absolute paths in each host's own work directory,
 * because a real sshd starts commands in the real user's home.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ConnectionContract {

    /** Named budget for tests that could hang on a broken transport; {@code -Dfleet.test.timeout=SECONDS} overrides. */
    static final Duration TEST_TIMEOUT = Duration.ofSeconds(Long.getLong("fleet.test.timeout", 120));

    Path dir;

    SshFleet fleet;
    ConnectionFactory factory;

    /** {@return a factory of the transport under test} */
    protected abstract ConnectionFactory newFactory(PassphraseProvider passphrases, Function<String, String> environment);

    /** {@return whether the transport offers the keys of the ssh-agent at {@code $SSH_AUTH_SOCK}} */
    protected abstract boolean usesSshAgent();

    /** {@return started hosts with the given names; the in-process sandbox unless overridden} */
    protected SshFleet startFleet(Path root, List<String> names) throws Exception {
        return SandboxTestFleet.start(root, names);
    }

    @BeforeAll
    void startHosts(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        fleet = startFleet(dir.resolve("fleet"), List.of("h1", "h2", "h3"));
        factory = newFactory(PassphraseProvider.none(), name -> null);
    }

    @AfterAll
    void stopHosts() {
        if (factory != null) {
            factory.close();
        }
        if (fleet != null) {
            fleet.close();
        }
    }

    SshTarget target(SshFleet hosts, String host, Path knownHosts, HostKeyPolicy policy, List<Path> keys, int retries) {
        return new SshTarget(host, "127.0.0.1", hosts.port(host), hosts.user(), keys, Optional.of("FLEET_KEY_PASSPHRASE"),
                knownHosts, policy, Duration.ofSeconds(5), retries, Duration.ofSeconds(15), Optional.empty(), List.of());
    }

    SshTarget target(String host, Path knownHosts, HostKeyPolicy policy) {
        return target(fleet, host, knownHosts, policy, List.of(fleet.clientKey()), 0);
    }

    SshTarget target(String host) {
        return target(host, fleet.knownHosts(), HostKeyPolicy.STRICT);
    }

    @Test
    void execReportsExitStatusAndBothStreams() throws Exception {
        try (Connection c = factory.open(target("h1"))) {
            CommandResult r = c.exec(ExecRequest.shell("echo out; echo err >&2; exit 3"));
            assertEquals(3, r.rc());
            assertEquals("out\n", r.stdout());
            assertEquals("err\n", r.stderr());
            assertEquals(Optional.empty(), r.exitSignal());
        }
    }

    @Test
    void commandsStartInTheLoginDirectory() throws Exception {
        try (Connection c = factory.open(target("h2"))) {
            assertEquals(fleet.loginDirectory("h2").toRealPath().toString(), c.exec(ExecRequest.shell("pwd -P")).stdout().strip());
        }
    }

    @Test
    void stdinReachesTheCommandAndIsClosed() throws Exception {
        try (Connection c = factory.open(target("h1"))) {
            CommandResult r = c.exec(ExecRequest.shell("cat").withStdin("line one\nline two".getBytes(StandardCharsets.UTF_8)));
            assertEquals("line one\nline two", r.stdout());
        }
    }

    @Test
    void largeOutputKeepsHeadAndTailWithinTheCaptureLimit() throws Exception {
        try (Connection c = factory.open(target("h1"))) {
            CommandResult r = c.exec(new ExecRequest("seq 1 200000", new byte[0], Duration.ofMinutes(1), 4096));
            assertTrue(r.truncated());
            assertTrue(r.stdout().startsWith("1\n2\n"), r.stdout().substring(0, 20));
            assertTrue(r.stdout().endsWith("199999\n200000\n"));
            assertTrue(r.stdout().length() < 4200);
        }
    }

    @Test
    void threeMegabytesOnBothStreamsAtOnceDoNotStall() throws Exception {
        String flood = "head -c 3145728 /dev/zero | tr '\\000' o & head -c 3145728 /dev/zero | tr '\\000' e >&2; wait; echo done";
        try (Connection c = factory.open(target("h2"))) {
            CommandResult r = assertTimeoutPreemptively(TEST_TIMEOUT,
                    () -> c.exec(new ExecRequest(flood, new byte[0], TEST_TIMEOUT, ExecRequest.DEFAULT_CAPTURE_LIMIT)));
            assertEquals(0, r.rc());
            assertTrue(r.truncated());
            assertTrue(r.stdout().startsWith("ooooo"));
            assertTrue(r.stdout().endsWith("ooooo\ndone\n") || r.stdout().endsWith("ooooodone\n"), r.stdout().substring(r.stdout().length() - 20));
            assertTrue(r.stdout().contains("[... " + (3145728 + 5 - ExecRequest.DEFAULT_CAPTURE_LIMIT) + " bytes omitted ...]"));
            String kept = r.stdout().replaceAll("\\[\\.\\.\\. \\d+ bytes omitted \\.\\.\\.\\]", "").replace("done", "");
            assertFalse(kept.contains("e"), "stderr leaked into stdout");
            assertTrue(r.stderr().startsWith("eeeee") && r.stderr().endsWith("eeeee"));
            assertTrue(r.stderr().contains("[... " + (3145728 - ExecRequest.DEFAULT_CAPTURE_LIMIT) + " bytes omitted ...]"));
        }
    }

    @Test
    void uploadAndDownloadCarryTheBytesAndTheirChecksum() throws Exception {
        Path local = dir.resolve("payload.bin");
        byte[] bytes = new byte[300_000];
        new Random(7).nextBytes(bytes);
        Files.write(local, bytes);
        // a directory of its own: the host's home holds its login files too
        Path work = Files.createDirectories(fleet.workDir("h3").resolve("upload-and-download"));
        String remote = work.resolve("payload.bin").toString();
        try (Connection c = factory.open(target("h3"))) {
            String sent = c.upload(local, remote, 0640, java.util.Optional.empty());
            assertArrayEquals(bytes, Files.readAllBytes(Path.of(remote)));
            assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(remote))));
            Path back = dir.resolve("back.bin");
            assertEquals(sent, c.download(remote, back));
            assertArrayEquals(bytes, Files.readAllBytes(back));
            assertEquals(List.of("payload.bin"), List.of(work.toFile().list()), "no partial file is left behind");
        }
    }

    @Test
    void SEC07_anUploadIsReadableByTheUserOnlyFromTheMomentItsFileExists() throws Exception {
        // the content comes through a pipe that this test holds open, so the upload is caught mid-way, deterministically
        Path pipe = dir.resolve("secret.fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).redirectErrorStream(true).start();
        assertEquals(0, mkfifo.waitFor(), new String(mkfifo.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        Path work = Files.createDirectories(fleet.workDir("h1").resolve("private-upload"));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection c = factory.open(target("h1"));
             WatchService watch = work.getFileSystem().newWatchService()) {
            work.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            Future<String> upload = pool.submit(() -> c.upload(pipe, work.resolve("secret.txt").toString(), 0640, Optional.empty()));
            try (OutputStream content = Files.newOutputStream(pipe)) {
                content.write("db_password=first half".getBytes(StandardCharsets.UTF_8));
                content.flush();
                WatchKey created = watch.poll(TEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                assertTrue(created != null, "no file was created for the upload");
                Path partial = work.resolve((Path) created.pollEvents().get(0).context());
                assertTrue(partial.getFileName().toString().startsWith(".secret.txt.part-"), partial.toString());
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(partial)),
                        "the partial file must not be readable by others while the content is on its way");
                content.write(" and the rest".getBytes(StandardCharsets.UTF_8));
            }
            upload.get(TEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertEquals("db_password=first half and the rest", Files.readString(work.resolve("secret.txt")));
            assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve("secret.txt"))),
                    "the mode asked for is set once the content is in");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void SEC01_aChangedHostKeyIsRefusedWithBothFingerprintsAndNeverRecorded() throws Exception {
        Path impostor = SshKeygen.generate("ed25519", "", dir.resolve("impostor"));
        String impostorKey = SshKeygen.publicKey(impostor);
        Path knownHosts = dir.resolve("known_hosts_changed");
        Files.writeString(knownHosts, "[127.0.0.1]:" + fleet.port("h2") + " " + impostorKey + "\n");
        TransportException e = assertThrows(TransportException.HostKeyRejectedException.class,
                () -> factory.open(target("h2", knownHosts, HostKeyPolicy.ACCEPT_NEW)));
        assertTrue(e.getMessage().contains(SshKeygen.fingerprint(impostorKey)), e.getMessage());
        assertTrue(e.getMessage().contains(fleet.hostKeyFingerprint("h2")), e.getMessage());
        assertEquals(1, Files.readAllLines(knownHosts).size(), "a changed key is never recorded");
    }

    @Test
    void SEC03_hashedEntriesVouchForTheirHost() throws Exception {
        Path hashed = dir.resolve("known_hosts_hashed");
        Files.copy(fleet.knownHosts(), hashed, StandardCopyOption.REPLACE_EXISTING);
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-H", "-f", hashed.toString()).redirectErrorStream(true).start();
        assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertTrue(Files.readString(hashed).startsWith("|1|"));
        try (Connection c = factory.open(target("h3", hashed, HostKeyPolicy.STRICT))) {
            assertTrue(c.exec(ExecRequest.shell("true")).succeeded());
        }
    }

    @Test
    void SEC02_anUnknownHostKeyIsRefusedUnderStrictAndRecordedUnderAcceptNew() throws Exception {
        Path knownHosts = dir.resolve("known_hosts_empty");
        TransportException e = assertThrows(TransportException.HostKeyRejectedException.class,
                () -> factory.open(target("h1", knownHosts, HostKeyPolicy.STRICT)));
        assertTrue(e.getMessage().contains("is not in"), e.getMessage());
        assertFalse(Files.exists(knownHosts));
        try (Connection c = factory.open(target("h1", knownHosts, HostKeyPolicy.ACCEPT_NEW))) {
            assertTrue(c.exec(ExecRequest.shell("true")).succeeded());
        }
        assertTrue(Files.readString(knownHosts).startsWith("[127.0.0.1]:" + fleet.port("h1") + " ssh-ed25519 "));
        try (Connection c = factory.open(target("h1", knownHosts, HostKeyPolicy.STRICT))) {
            assertTrue(c.isOpen());
        }
    }

    /** {@return the host's key as the fleet's known_hosts records it: {@code type base64}} */
    String recordedKey(String host) throws Exception {
        String prefix = "[127.0.0.1]:" + fleet.port(host) + " ";
        return Files.readAllLines(fleet.knownHosts()).stream().filter(l -> l.startsWith(prefix))
                .map(l -> l.substring(prefix.length())).findFirst().orElseThrow();
    }

    Path knownHosts(String name, String... lines) throws Exception {
        return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
    }

    void assertConnects(String host, Path knownHosts) throws Exception {
        try (Connection c = factory.open(target(host, knownHosts, HostKeyPolicy.STRICT))) {
            assertTrue(c.exec(ExecRequest.shell("true")).succeeded());
        }
    }

    TransportException assertRefused(String host, Path knownHosts) {
        return assertThrows(TransportException.HostKeyRejectedException.class,
                () -> factory.open(target(host, knownHosts, HostKeyPolicy.STRICT)));
    }

    /** OpenSSH looks a host up as {@code [host]:port} off port 22, in comma lists, wildcards and negations. */
    @ParameterizedTest(name = "\"{0}\" vouches: {1}")
    @CsvSource(delimiter = '|', value = {
        "elsewhere,[127.0.0.1]:PORT | true",
        "[127.0.0.?]:PORT           | true",
        "[127.0.0.1]:*              | true",
        "*                          | true",
        "*,![127.0.0.1]:PORT        | false",
        "127.0.0.1                  | false",
        "[127.0.0.1]:1PORT          | false"})
    void SEC03_hostFieldsMatchAsInOpenSsh(String hosts, boolean vouches) throws Exception {
        Path file = knownHosts("known_hosts_field", hosts.replace("PORT", String.valueOf(fleet.port("h1"))) + " " + recordedKey("h1"));
        if (vouches) {
            assertConnects("h1", file);
        } else {
            assertTrue(assertRefused("h1", file).getMessage().contains("is not in"));
        }
    }

    @Test
    void SEC03_theSameHostOnTwoPortsHasOneKeyPerPort() throws Exception {
        String h1 = "[127.0.0.1]:" + fleet.port("h1") + " ";
        String h2 = "[127.0.0.1]:" + fleet.port("h2") + " ";
        Path both = knownHosts("known_hosts_two_ports", h1 + recordedKey("h1"), h2 + recordedKey("h2"));
        assertConnects("h1", both);
        assertConnects("h2", both);
        Path swapped = knownHosts("known_hosts_other_port", h2 + recordedKey("h1"));
        assertTrue(assertRefused("h2", swapped).getMessage().contains("HOST KEY CHANGED"));
        assertTrue(assertRefused("h1", swapped).getMessage().contains("is not in"), "a key recorded for another port says nothing");
    }

    @Test
    void SEC03_aRecordedKeyOfAnotherTypeIsNotAChangedKey() throws Exception {
        String name = "[127.0.0.1]:" + fleet.port("h1") + " ";
        // a type no fleet host has a key of
        String rsa = SshKeygen.publicKey(SshKeygen.generate("rsa", "", dir.resolve("other-type")));
        TransportException e = assertRefused("h1", knownHosts("known_hosts_other_type", name + rsa));
        assertTrue(e.getMessage().contains("is not in") && !e.getMessage().contains("CHANGED"), e.getMessage());
        assertConnects("h1", knownHosts("known_hosts_two_types", name + rsa, name + recordedKey("h1")));
    }

    /** As OpenSSH does, a client asks first for the key types known_hosts records, so a host with several keys is checked with that one. */
    @Test
    void SEC03_aHostWithKeysOfSeveralTypesIsCheckedWithTheTypeKnownHostsRecords() throws Exception {
        for (String key : fleet.hostKeys("h1")) {
            Path file = knownHosts("known_hosts_one_type", "[127.0.0.1]:" + fleet.port("h1") + " " + key);
            try (Connection c = factory.open(target("h1", file, HostKeyPolicy.STRICT))) {
                assertTrue(c.negotiated().contains("hostkey=" + key.split(" ")[0] + " "), c.negotiated());
            }
        }
    }

    @Test
    void SEC03_aRevokedKeyIsRefusedEvenWhereAnotherLineListsIt() throws Exception {
        String key = recordedKey("h1");
        TransportException e = assertRefused("h1", knownHosts("known_hosts_revoked", "[127.0.0.1]:" + fleet.port("h1") + " " + key,
                "@revoked * " + key));
        assertTrue(e.getMessage().contains("@revoked") && e.getMessage().contains(fleet.hostKeyFingerprint("h1")), e.getMessage());
    }

    @Test
    void SEC03_aCertAuthorityLineIsReportedAsUnsupportedRatherThanIgnoredSilently() throws Exception {
        String ca = SshKeygen.publicKey(SshKeygen.generate("ed25519", "", dir.resolve("host-ca")));
        TransportException e = assertRefused("h1", knownHosts("known_hosts_ca", "@cert-authority [127.0.0.1]:* " + ca));
        assertTrue(e.getMessage().contains("@cert-authority") && e.getMessage().contains("not supported"), e.getMessage());
    }

    /** {@return {@code host} of {@code hosts} reached through {@code jumps}, all checked in {@code knownHosts}} */
    SshTarget through(SshFleet hosts, Path knownHosts, String host, String... jumps) {
        SshTarget t = target(hosts, host, knownHosts, HostKeyPolicy.STRICT, List.of(hosts.clientKey()), 0);
        List<SshTarget> hops = new ArrayList<>();
        for (String jump : jumps) {
            hops.add(target(hosts, jump, knownHosts, HostKeyPolicy.STRICT, List.of(hosts.clientKey()), 0));
        }
        return new SshTarget(t.name(), t.hostname(), t.port(), t.user(), t.identityFiles(), t.passphraseEnv(), t.knownHosts(),
                t.hostKeyPolicy(), t.connectTimeout(), t.connectRetries(), t.keepalive(), t.transport(), hops);
    }

    /**
     * Each hop is checked under its own {@code [host]:port}: both keys are ed25519, so checking the jump host under
     * the inner host's name would refuse it as changed. Taking the jump host down cuts the connection, the inner host
     * still running: the traffic went through the jump host.
     */
    @Test
    void aCommandRunsOnAHostBehindAJumpHostWhoseConnectionGoesThroughIt() throws Exception {
        try (SshFleet own = startFleet(dir.resolve("jumping"), List.of("jump", "inner"))) {
            Connection c = factory.open(through(own, own.knownHosts(), "inner", "jump"));
            try {
                assertEquals("behind\n", c.exec(ExecRequest.shell("echo behind")).stdout());
                own.stop("jump");
                long deadline = System.nanoTime() + TEST_TIMEOUT.toNanos();
                while (c.isOpen() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertFalse(c.isOpen(), "the connection outlived its jump host");
                assertThrows(TransportException.class, () -> c.exec(ExecRequest.shell("true")));
            } finally {
                c.close();
            }
            assertTrue(own.running("inner"));
            try (Connection direct = factory.open(target(own, "inner", own.knownHosts(), HostKeyPolicy.STRICT, List.of(own.clientKey()), 0))) {
                assertTrue(direct.exec(ExecRequest.shell("true")).succeeded());
            }
        }
    }

    @Test
    void aCommandRunsThroughTwoJumpHostsInOrder() throws Exception {
        try (Connection c = factory.open(through(fleet, fleet.knownHosts(), "h3", "h1", "h2"))) {
            assertEquals("two hops\n", c.exec(ExecRequest.shell("echo two hops")).stdout());
        }
    }

    @Test
    void SEC01_aChangedKeyOnAJumpHostStopsTheHostBehindItNamingTheJumpHostAndBothFingerprints() throws Exception {
        String impostor = SshKeygen.publicKey(SshKeygen.generate("ed25519", "", dir.resolve("jump-impostor")));
        Path knownHosts = knownHosts("known_hosts_jump_changed", "[127.0.0.1]:" + fleet.port("h1") + " " + impostor,
                "[127.0.0.1]:" + fleet.port("h2") + " " + recordedKey("h2"));
        TransportException e = assertThrows(TransportException.HostKeyRejectedException.class,
                () -> factory.open(through(fleet, knownHosts, "h2", "h1")));
        assertTrue(e.getMessage().startsWith("h2: jump host h1: HOST KEY CHANGED for [127.0.0.1]:" + fleet.port("h1")), e.getMessage());
        assertTrue(e.getMessage().contains(SshKeygen.fingerprint(impostor)), e.getMessage());
        assertTrue(e.getMessage().contains(fleet.hostKeyFingerprint("h1")), e.getMessage());
    }

    @Test
    void aKeyTheHostDoesNotAcceptIsAnAuthenticationFailureNotRetried() throws Exception {
        Path otherKey = SshKeygen.generate("ed25519", "", dir.resolve("other_key"));
        SshTarget t = target(fleet, "h1", fleet.knownHosts(), HostKeyPolicy.STRICT, List.of(otherKey), 3);
        // an AuthenticationException is what ConnectionSetup never retries (ConnectionSetupRetryTest counts the attempts)
        assertThrows(TransportException.AuthenticationException.class, () -> factory.open(t));
    }

    @Test
    void NET01_aClosedPortFailsAfterTheBoundedRetries() throws Exception {
        SshTarget t = new SshTarget("gone", "127.0.0.1", 1, fleet.user(), List.of(fleet.clientKey()), Optional.empty(),
                fleet.knownHosts(), HostKeyPolicy.STRICT, Duration.ofSeconds(2), 1, Duration.ZERO, Optional.empty(), List.of());
        long started = System.nanoTime();
        TransportException e = assertThrows(TransportException.class, () -> factory.open(t));
        assertTrue(e.getMessage().contains("cannot connect"), e.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofMillis(500)) >= 0, "one retry after 500 ms");
        assertTrue(fleet.running("h3"));
    }

    /**
     * A host that takes the TCP connection and never says a word (a saturated controller or host looks the
     * same from here) is a connect timeout, the failure the adaptive handshake cap reacts to, not any failure.
     */
    @Test
    void NET01_aHostThatAcceptsButNeverAnswersIsAConnectTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            SshTarget t = new SshTarget("silent", "127.0.0.1", silent.getLocalPort(), fleet.user(), List.of(fleet.clientKey()), Optional.empty(),
                    fleet.knownHosts(), HostKeyPolicy.STRICT, Duration.ofSeconds(1), 0, Duration.ZERO, Optional.empty(), List.of());
            TransportException e = assertThrows(TransportException.ConnectTimeoutException.class, () -> factory.open(t));
            assertTrue(e.getMessage().contains("within 1 s"), e.getMessage());
        }
    }

    @Test
    void NET06_aHostGoingDownDuringACommandMakesItsOutcomeUnknown() throws Exception {
        try (SshFleet own = startFleet(dir.resolve("down"), List.of("d1"))) {
            Path started = own.workDir("d1").resolve("started");
            SshTarget t = target(own, "d1", own.knownHosts(), HostKeyPolicy.STRICT, List.of(own.clientKey()), 0);
            try (Connection c = factory.open(t)) {
                Thread stopper = new Thread(() -> {
                    try {
                        while (!Files.exists(started)) {
                            Thread.onSpinWait();
                        }
                        own.stop("d1");
                    } catch (Exception ignored) {
                        // the assertion below reports what went wrong
                    }
                });
                stopper.start();
                TransportException e = assertThrows(TransportException.class,
                        () -> c.exec(ExecRequest.shell("touch " + ShellQuote.quote(started.toString()) + "; sleep 30")));
                assertTrue(e.outcomeUnknown(), e.getMessage());
                stopper.join();
                assertFalse(c.isOpen());
            }
        }
    }

    @Test
    void aCommandOverItsTimeoutHasAnUnknownOutcomeAndTheConnectionStaysUsable() throws Exception {
        try (Connection c = factory.open(target("h2"))) {
            long started = System.nanoTime();
            TransportException e = assertThrows(TransportException.class,
                    () -> c.exec(ExecRequest.shell("sleep 30").withTimeout(Duration.ofMillis(700))));
            assertTrue(e.outcomeUnknown(), e.getMessage());
            assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(10)) < 0);
            assertEquals("still here\n", c.exec(ExecRequest.shell("echo still here")).stdout());
        }
    }

    /**
     * A command killed by a signal never counts as success. OpenSSH reports SSH {@code exit-signal}
     * and no exit status, and both transports pass that on as signal {@code TERM} with an empty status;
     * the sandbox only sees its shell through {@link Process} and reports 128+15.
     */
    @Test
    void aCommandKilledByASignalIsNeverASuccess() throws Exception {
        try (Connection c = factory.open(target("h1"))) {
            CommandResult r = c.exec(ExecRequest.shell("kill -TERM $$; sleep 5"));
            assertFalse(r.succeeded());
            if (fleet.reportsExitSignals()) {
                assertEquals(OptionalInt.empty(), r.exitStatus());
                assertEquals(Optional.of("TERM"), r.exitSignal());
            } else {
                assertEquals(143, r.rc());
            }
        }
    }

    @Test
    void aLocalForwardReachesAServerThroughTheHost() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             Connection c = factory.open(target("h3"))) {
            Thread echo = new Thread(() -> {
                try (Socket s = server.accept()) {
                    String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
                    s.getOutputStream().write(("pong " + line + "\n").getBytes(StandardCharsets.UTF_8));
                    s.getOutputStream().flush();
                } catch (Exception ignored) {
                    // the client side's assertion reports it
                }
            });
            echo.start();
            try (PortForward forward = c.forwardLocal("127.0.0.1", server.getLocalPort())) {
                assertTrue(forward.localPort() > 0);
                assertTimeoutPreemptively(TEST_TIMEOUT, () -> {
                    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), forward.localPort())) {
                        OutputStream out = s.getOutputStream();
                        out.write("ping\n".getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                        assertEquals("pong ping", in.readLine());
                    }
                });
            }
            echo.join(TEST_TIMEOUT.toMillis());
        }
    }

    @Test
    void severalThreadsRunCommandsOnOneConnectionAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (Connection c = factory.open(target("h1"))) {
            List<Future<String>> outputs = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                String word = "w" + i;
                outputs.add(pool.submit(() -> c.exec(ExecRequest.shell("sleep 0.1; echo " + word)).stdout()));
            }
            for (int i = 0; i < outputs.size(); i++) {
                assertEquals("w" + i + "\n", outputs.get(i).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void negotiatedNamesTheAlgorithmsInUse() throws Exception {
        try (Connection c = factory.open(target("h2"))) {
            String n = c.negotiated();
            assertTrue(n.contains("kex=") && n.contains("hostkey=ssh-ed25519") && n.contains("cipher=") && n.contains("mac="), n);
            assertFalse(n.contains("null"), n);
        }
    }

    @ParameterizedTest
    @CsvSource({"ed25519,", "ecdsa,", "rsa,", "ed25519,s3cret phrase", "ecdsa,another one", "rsa,third"})
    void opensshKeysOfEveryTypeAuthenticateAndEncryptedOnesTakeTheirPassphraseFromTheEnvironment(String type, String passphrase)
            throws Exception {
        Path key = SshKeygen.generate(type, passphrase, dir.resolve("key-" + type + (passphrase == null ? "" : "-enc")));
        fleet.authorize(Path.of(key + ".pub"));
        // without the .pub beside it, as a key copied alone would be
        Files.delete(Path.of(key + ".pub"));
        SshTarget t = target(fleet, "h1", fleet.knownHosts(), HostKeyPolicy.STRICT, List.of(key), 0);
        try (ConnectionFactory withEnv = newFactory(PassphraseProvider.none(), name -> name.equals("FLEET_KEY_PASSPHRASE") ? passphrase : null);
             Connection c = withEnv.open(t)) {
            assertTrue(c.exec(ExecRequest.shell("true")).succeeded());
        }
    }

    @Test
    void aPassphraseProviderIsAskedOncePerKeyFile() throws Exception {
        Path key = SshKeygen.generate("ed25519", "asked for", dir.resolve("key-asked"));
        fleet.authorize(Path.of(key + ".pub"));
        List<String> asked = new CopyOnWriteArrayList<>();
        PassphraseProvider provider = file -> {
            asked.add(file);
            return Optional.of("asked for".toCharArray());
        };
        SshTarget t = target(fleet, "h1", fleet.knownHosts(), HostKeyPolicy.STRICT, List.of(key), 0);
        try (ConnectionFactory prompting = newFactory(provider, name -> null)) {
            for (int i = 0; i < 2; i++) {
                try (Connection c = prompting.open(t)) {
                    assertTrue(c.exec(ExecRequest.shell("true")).succeeded());
                }
            }
        }
        assertEquals(List.of(key.toString()), asked);
    }

    /** {@return a real ssh-agent holding a key that every host accepts and no key file on disk holds} */
    private SshAgent agentWithAKeyNoFileNames(Path agentDir) throws Exception {
        Path key = SshKeygen.generate("ed25519", "", agentDir.resolve("in-agent"));
        fleet.authorize(Path.of(key + ".pub"));
        SshAgent agent = SshAgent.start(agentDir);
        agent.add(key);
        Files.delete(key);
        return agent;
    }

    @Test
    void anSshAgentKeyAuthenticatesWhenNoKeyFileIsGiven(@TempDir Path agentDir) throws Exception {
        Assumptions.assumeTrue(usesSshAgent(), "this transport cannot use an ssh-agent");
        try (SshAgent agent = agentWithAKeyNoFileNames(agentDir);
             ConnectionFactory withAgent = newFactory(PassphraseProvider.none(), name -> name.equals("SSH_AUTH_SOCK") ? agent.socket().toString() : null);
             Connection c = withAgent.open(target(fleet, "h1", fleet.knownHosts(), HostKeyPolicy.STRICT, List.of(), 0))) {
            assertTrue(c.exec(ExecRequest.shell("true")).succeeded());
        }
    }

    @Test
    void aTransportWithoutAgentSupportSaysSoWhenOnlyAnAgentHoldsTheKey(@TempDir Path agentDir) throws Exception {
        Assumptions.assumeFalse(usesSshAgent(), "this transport uses the ssh-agent");
        try (SshAgent agent = agentWithAKeyNoFileNames(agentDir);
             ConnectionFactory withAgent = newFactory(PassphraseProvider.none(), name -> name.equals("SSH_AUTH_SOCK") ? agent.socket().toString() : null)) {
            TransportException e = assertThrows(TransportException.AuthenticationException.class,
                    () -> withAgent.open(target(fleet, "h1", fleet.knownHosts(), HostKeyPolicy.STRICT, List.of(), 0)));
            assertTrue(e.getMessage().contains("cannot use the ssh-agent at " + agent.socket()) && e.getMessage().contains("--transport jsch"),
                    e.getMessage());
        }
    }

    @Test
    void anEncryptedKeyWithoutItsPassphraseIsAnAuthenticationFailureNamingTheKey() throws Exception {
        Path key = SshKeygen.generate("ed25519", "right", dir.resolve("locked"));
        SshTarget t = target(fleet, "h1", fleet.knownHosts(), HostKeyPolicy.STRICT, List.of(key), 0);
        try (ConnectionFactory wrong = newFactory(PassphraseProvider.none(), name -> "wrong")) {
            TransportException e = assertThrows(TransportException.AuthenticationException.class, () -> wrong.open(t));
            assertTrue(e.getMessage().contains(key.toString()), e.getMessage());
            assertFalse(e.getMessage().contains("wrong"), "the passphrase itself never appears: " + e.getMessage());
        }
    }
}
