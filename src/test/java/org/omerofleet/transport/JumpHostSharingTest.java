package org.omerofleet.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.omerofleet.sandbox.OpenSshFleet;
import org.omerofleet.testing.SandboxTestFleet;
import org.omerofleet.transport.jsch.JschConnectionFactory;
import org.omerofleet.transport.mina.MinaConnectionFactory;

/**
 * Fifty hosts behind one real OpenSSH jump host with a stock configuration (MaxSessions 10, MaxStartups
 * 10:30:100): all fifty are reached and held open at once, and the jump host's own log shows at most
 * five logins, one per ten hosts. Logging in once per host, 50 logins at once, MaxStartups would start
 * dropping.
 */
class JumpHostSharingTest {

    private static final int HOSTS = 50;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"mina", "jsch"})
    void fiftyHostsBehindOneStockJumpHostShareAtMostFiveOfItsSessions(String transport) throws Exception {
        Assumptions.assumeTrue(OpenSshFleet.available(), "no /usr/sbin/sshd: install openssh-server");
        List<String> names = IntStream.rangeClosed(1, HOSTS).mapToObj(i -> "behind" + i).toList();
        try (OpenSshFleet bastion = OpenSshFleet.startWithDefaultLimits(dir.resolve("bastion"), List.of("bastion"));
             SandboxTestFleet hosts = SandboxTestFleet.start(dir.resolve("hosts"), names);
             ConnectionFactory factory = transport.equals("mina")
                     ? new MinaConnectionFactory(PassphraseProvider.none(), name -> null)
                     : new JschConnectionFactory(PassphraseProvider.none(), name -> null)) {
            SshTarget jump = new SshTarget("bastion", "127.0.0.1", bastion.port("bastion"), bastion.user(), List.of(bastion.clientKey()),
                    Optional.empty(), bastion.knownHosts(), HostKeyPolicy.STRICT, Duration.ofSeconds(30), 2, Duration.ZERO, Optional.empty(),
                    List.of());
            ExecutorService pool = Executors.newFixedThreadPool(HOSTS);
            List<Connection> open = new ArrayList<>();
            try {
                List<Future<Connection>> opening = new ArrayList<>();
                for (String name : names) {
                    SshTarget target = new SshTarget(name, "127.0.0.1", hosts.port(name), hosts.user(), List.of(hosts.clientKey()),
                            Optional.empty(), hosts.knownHosts(), HostKeyPolicy.STRICT, Duration.ofSeconds(30), 2, Duration.ZERO,
                            Optional.empty(), List.of(jump));
                    opening.add(pool.submit(() -> factory.open(target)));
                }
                for (Future<Connection> f : opening) {
                    open.add(f.get());
                }
                for (int i = 0; i < HOSTS; i++) {
                    CommandResult pwd = open.get(i).exec(ExecRequest.shell("pwd"));
                    assertEquals(hosts.loginDirectory(names.get(i)) + "\n", pwd.stdout(), names.get(i));
                }
                String log = Files.readString(bastion.log("bastion"));
                long logins = log.lines().filter(l -> l.contains("Accepted publickey for")).count();
                assertTrue(logins >= 1 && logins <= (HOSTS + JumpSessions.CHANNELS_PER_SESSION - 1) / JumpSessions.CHANNELS_PER_SESSION,
                        logins + " logins on the jump host for " + HOSTS + " hosts:\n" + log);
                assertFalse(log.contains("MaxStartups"), log);
            } finally {
                open.forEach(Connection::close);
                pool.shutdownNow();
            }
        }
    }
}
