package org.omerofleet.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real OpenSSH daemons on 127.0.0.1: one {@code sshd -D -e} per host, each with its own host keys,
 * directory, config and free port, all accepting one generated client key for the current user. Each
 * daemon has an ecdsa and an ed25519 key, as a real server has several, and {@link #knownHosts()} records
 * only the ed25519 one, as a client that asked for that type first would have.
 *
 * <p>Unlike the sandbox, a command starts in the real user's home directory, so tests work in
 * {@link #workDir(String)} through absolute paths; {@code HOME} is the host's own {@code home} directory,
 * so that the real user's shell start-up files do not run on every command. As root, sshd needs its privilege-separation
 * directory {@code /run/sshd}, which is created when missing; as another user it runs unprivileged.
 */
public final class OpenSshFleet implements SshFleet {

    public static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final Duration STARTUP = Duration.ofSeconds(20);

    private final Path root;
    private final Path clientKey;
    private final Path knownHosts;
    private final Path authorizedKeys;
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    /** Whether the daemons keep OpenSSH's default MaxSessions and MaxStartups, as a stock server does. */
    private boolean defaultLimits;

    /** One daemon and its files. */
    private record Host(Path dir, Path work, int port, List<String> hostKeys, Process process) {
    }

    private OpenSshFleet(Path root) {
        this.root = root;
        this.clientKey = root.resolve("id_ed25519");
        this.knownHosts = root.resolve("known_hosts");
        this.authorizedKeys = root.resolve("authorized_keys");
    }

    /** {@return whether {@code /usr/sbin/sshd} and {@code ssh-keygen} are present and runnable} */
    public static boolean available() {
        if (!Files.isExecutable(SSHD)) {
            return false;
        }
        try {
            // "-t" with no host keys fails, but a runnable binary says so on stderr rather than not starting
            Process p = new ProcessBuilder(SSHD.toString(), "-t", "-f", "/dev/null").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            Process keygen = new ProcessBuilder("ssh-keygen", "-V").redirectErrorStream(true).start();
            keygen.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && keygen.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@return a started fleet with one daemon per name under {@code root/hosts/<name>}} */
    public static OpenSshFleet start(Path root, List<String> names) throws IOException {
        OpenSshFleet fleet = new OpenSshFleet(root);
        try {
            fleet.init(names);
            return fleet;
        } catch (IOException | RuntimeException e) {
            fleet.close();
            throw e;
        }
    }

    /**
     * {@return a started fleet whose daemons keep OpenSSH's default limits ({@code MaxSessions 10},
     * {@code MaxStartups 10:30:100}), as a stock jump host has}
     */
    public static OpenSshFleet startWithDefaultLimits(Path root, List<String> names) throws IOException {
        OpenSshFleet fleet = new OpenSshFleet(root);
        fleet.defaultLimits = true;
        try {
            fleet.init(names);
            return fleet;
        } catch (IOException | RuntimeException e) {
            fleet.close();
            throw e;
        }
    }

    private void init(List<String> names) throws IOException {
        Files.createDirectories(root.resolve("hosts"));
        if ("root".equals(System.getProperty("user.name"))) {
            Files.createDirectories(Path.of("/run/sshd"));
        }
        SshKeygen.generate("ed25519", "", clientKey);
        Files.writeString(authorizedKeys, SshKeygen.publicKey(clientKey) + " omero-fleet-test\n", StandardCharsets.UTF_8);
        StringBuilder known = new StringBuilder();
        for (String name : names) {
            Host host = startHost(name);
            hosts.put(name, host);
            known.append("[127.0.0.1]:").append(host.port()).append(' ').append(host.hostKeys().get(0)).append('\n');
        }
        Files.writeString(knownHosts, known, StandardCharsets.UTF_8);
    }

    private Host startHost(String name) throws IOException {
        Path dir = Files.createDirectories(root.resolve("hosts").resolve(name)).toAbsolutePath();
        Path work = Files.createDirectories(dir.resolve("work"));
        Path home = Files.createDirectories(dir.resolve("home"));
        Path hostKeyFile = SshKeygen.generate("ed25519", "", dir.resolve("ssh_host_ed25519_key"));
        Path ecdsaKeyFile = SshKeygen.generate("ecdsa", "", dir.resolve("ssh_host_ecdsa_key"));
        int port = freePort();
        Path config = dir.resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "ListenAddress 127.0.0.1",
                "Port " + port,
                "HostKey " + hostKeyFile,
                "HostKey " + ecdsaKeyFile,
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + authorizedKeys.toAbsolutePath(),
                "StrictModes no",
                "UsePAM no",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "AllowTcpForwarding yes",
                defaultLimits ? "# MaxSessions and MaxStartups: OpenSSH's defaults" : "MaxSessions 64",
                "Subsystem sftp internal-sftp",
                "LogLevel VERBOSE",
                // a HOME of the host's own, as a real server's login has: the controller user's shell start-up
                // files (here root's .bashrc runs `pyenv init`, seconds per command under load) are not the host's
                "SetEnv HOME=" + home,
                ""), StandardCharsets.UTF_8);
        Path log = dir.resolve("sshd.log");
        Process process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        awaitListening(process, port, log);
        return new Host(dir, work, port, List.of(SshKeygen.publicKey(hostKeyFile), SshKeygen.publicKey(ecdsaKeyFile)), process);
    }

    private static void awaitListening(Process process, int port, Path log) throws IOException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("sshd exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                sleep(Duration.ofMillis(50));
            }
        }
        process.destroyForcibly();
        throw new IOException("sshd did not listen on port " + port + " within " + STARTUP + ": " + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private Host host(String name) {
        Host host = hosts.get(name);
        if (host == null) {
            throw new IllegalArgumentException("no OpenSSH host " + name);
        }
        return host;
    }

    @Override
    public String user() {
        return System.getProperty("user.name");
    }

    @Override
    public Path clientKey() {
        return clientKey;
    }

    @Override
    public Path knownHosts() {
        return knownHosts;
    }

    @Override
    public int port(String host) {
        return host(host).port();
    }

    @Override
    public Path workDir(String host) {
        return host(host).work();
    }

    @Override
    public Path loginDirectory(String host) {
        try {
            return Path.of(System.getProperty("user.home")).toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return the daemon's log (LogLevel VERBOSE: each connection and each accepted login)} */
    public Path log(String host) {
        return host(host).dir().resolve("sshd.log");
    }

    @Override
    public String hostKeyFingerprint(String host) {
        return SshKeygen.fingerprint(host(host).hostKeys().get(0));
    }

    @Override
    public List<String> hostKeys(String host) {
        return host(host).hostKeys();
    }

    /** sshd reads authorized_keys at every login, so an appended line counts at once. */
    @Override
    public synchronized void authorize(Path publicKeyFile) throws IOException {
        Files.writeString(authorizedKeys, SshKeygen.publicKey(publicKeyFile) + " omero-fleet-test\n", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
    }

    /**
     * Kill the daemon and every per-connection process it forked, the session processes first, so that
     * clients see their connection drop rather than a clean exit.
     */
    @Override
    public void stop(String host) {
        kill(host(host).process());
    }

    private static void kill(Process process) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.sort((a, b) -> Boolean.compare(!isSshd(a), !isSshd(b)));
        tree.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean isSshd(ProcessHandle p) {
        return p.info().command().map(c -> c.contains("sshd")).orElse(false);
    }

    @Override
    public boolean running(String host) {
        return host(host).process().isAlive();
    }

    @Override
    public boolean reportsExitSignals() {
        return true;
    }

    @Override
    public void close() {
        hosts.values().forEach(h -> kill(h.process()));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
