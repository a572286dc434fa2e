package org.omerofleet.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.omerofleet.sandbox.SshKeygen;
import org.omerofleet.transport.jsch.JschConnectionFactory;
import org.omerofleet.transport.mina.MinaConnectionFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * Both transports against a containerised fleet: an OpenSSH host (Alpine, busybox shell) and a PostgreSQL
 * server that only the SSH host can reach, on one Docker network. Tagged {@code docker}; skipped, before
 * anything starts, where no Docker engine answers.
 */
@Tag("docker")
@Testcontainers(disabledWithoutDocker = true)
class DockerFleetIT {

    private static final Map<String, Supplier<ConnectionFactory>> TRANSPORTS = Map.of(
            "mina", () -> new MinaConnectionFactory(PassphraseProvider.none(), name -> null),
            "jsch", () -> new JschConnectionFactory(PassphraseProvider.none(), name -> null));

    static Path dir;
    static Network network;
    static PostgreSQLContainer<?> postgres;
    static GenericContainer<?> sshd;
    static Path clientKey;
    static Path knownHosts;

    @BeforeAll
    static void start(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        clientKey = SshKeygen.generate("ed25519", "", dir.resolve("id_ed25519"));
        network = Network.newNetwork();
        postgres = new PostgreSQLContainer<>("postgres:16-alpine").withNetwork(network).withNetworkAliases("db");
        postgres.start();
        // one host key type, so that the known_hosts written below is all the host can offer
        sshd = new GenericContainer<>(new ImageFromDockerfile("omero-fleet-test-sshd", false).withDockerfileFromBuilder(b -> b
                .from("alpine:3.20")
                .run("apk add --no-cache openssh-server openssh-sftp-server"
                        + " && ssh-keygen -q -t ed25519 -N '' -f /etc/ssh/ssh_host_ed25519_key"
                        + " && adduser -D -s /bin/sh fleet && echo 'fleet:*' | chpasswd -e"
                        + " && install -d -o fleet -m 700 /home/fleet/.ssh"
                        + " && printf '%s\\n' 'HostKey /etc/ssh/ssh_host_ed25519_key' 'PasswordAuthentication no'"
                        + " 'KbdInteractiveAuthentication no' 'AllowTcpForwarding yes' 'Subsystem sftp internal-sftp'"
                        + " > /etc/ssh/sshd_fleet_config")
                .cmd("/usr/sbin/sshd", "-D", "-e", "-f", "/etc/ssh/sshd_fleet_config")
                .build()))
                .withNetwork(network)
                .withExposedPorts(22)
                .withCopyToContainer(Transferable.of(SshKeygen.publicKey(clientKey) + "\n", 0644), "/home/fleet/.ssh/authorized_keys");
        sshd.start();
        // the host key read through Docker, not over the network: nothing is trusted on first use
        String hostKey = sshd.execInContainer("cat", "/etc/ssh/ssh_host_ed25519_key.pub").getStdout().strip();
        knownHosts = Files.writeString(dir.resolve("known_hosts"), "[" + sshd.getHost() + "]:" + sshd.getMappedPort(22) + " " + hostKey + "\n");
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {sshd, postgres, network}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // the next resource is still worth releasing
            }
        }
    }

    private static Connection open(ConnectionFactory factory) throws TransportException {
        return factory.open(new SshTarget("container", sshd.getHost(), sshd.getMappedPort(22), "fleet", List.of(clientKey), Optional.empty(),
                knownHosts, HostKeyPolicy.STRICT, Duration.ofSeconds(10), 0, Duration.ofSeconds(15), Optional.empty(), List.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mina", "jsch"})
    void execReportsExitStatusAndBothStreams(String transport) throws Exception {
        try (ConnectionFactory factory = TRANSPORTS.get(transport).get(); Connection c = open(factory)) {
            CommandResult r = c.exec(ExecRequest.shell("echo out; echo err >&2; exit 3"));
            assertEquals(List.of("3", "out\n", "err\n"), List.of(String.valueOf(r.rc()), r.stdout(), r.stderr()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mina", "jsch"})
    void uploadLandsWithItsModeAndTheChecksumTheHostComputes(String transport) throws Exception {
        Path local = dir.resolve("payload-" + transport);
        byte[] bytes = new byte[300_000];
        new Random(7).nextBytes(bytes);
        Files.write(local, bytes);
        try (ConnectionFactory factory = TRANSPORTS.get(transport).get(); Connection c = open(factory)) {
            String remote = "/home/fleet/payload-" + transport;
            String sent = c.upload(local, remote, 0640, java.util.Optional.empty());
            assertEquals(sent, FileTransfers.remoteSha256(c, "container", remote));
            assertEquals("640\n", c.exec(ExecRequest.argv(List.of("stat", "-c", "%a", remote))).stdout());
        }
    }

    /** The database is reachable from the SSH host only, as an OMERO server's usually is. */
    @ParameterizedTest
    @ValueSource(strings = {"mina", "jsch"})
    void aLocalForwardReachesPostgresqlBehindTheSshHost(String transport) throws Exception {
        try (ConnectionFactory factory = TRANSPORTS.get(transport).get(); Connection c = open(factory);
             PortForward forward = c.forwardLocal("db", PostgreSQLContainer.POSTGRESQL_PORT);
             java.sql.Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + forward.localPort() + "/"
                     + postgres.getDatabaseName(), postgres.getUsername(), postgres.getPassword());
             Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT current_database()")) {
            rs.next();
            assertEquals(postgres.getDatabaseName(), rs.getString(1));
        }
    }
}
