package org.omerofleet.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.common.util.threads.CloseableExecutorService;
import org.apache.sshd.common.util.threads.ThreadUtils;
import org.omerofleet.transport.ShellQuote;

/**
 * A fleet of {@link SandboxHost}s sharing one small pool of I/O threads, with the files a controller
 * needs to reach them: an OpenSSH private key the hosts accept and a known_hosts file that lists
 * every host key.
 */
public final class SandboxFleet implements AutoCloseable {

    private final Path root;
    private final Path clientKeyFile;
    private final Path knownHosts;
    private final String user;
    private final Map<String, SandboxHost> hosts = new LinkedHashMap<>();
    private final List<PublicKey> authorizedKeys = new CopyOnWriteArrayList<>();
    private final CloseableExecutorService io;
    private final ScheduledExecutorService timers;
    private final ExecutorService pumps;
    private final SandboxHost.Shared shared;

    private SandboxFleet(Path root, String user) {
        this.root = root;
        this.user = user;
        this.clientKeyFile = root.resolve("id_ed25519");
        this.knownHosts = root.resolve("known_hosts");
        this.io = ThreadUtils.newFixedThreadPool("sandbox-io", Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "sandbox-timer"));
        this.pumps = Executors.newCachedThreadPool(r -> daemon(r, "sandbox-shell"));
        this.shared = new SandboxHost.Shared(user, authorizedKeys, io, timers, pumps);
    }

    /**
     * Start one host per name under {@code root/hosts/<name>}, each with a fresh ed25519 host key.
     *
     * @param root a directory for keys, known_hosts and host homes
     * @param names host names, as they will appear in the inventory
     */
    public static SandboxFleet start(Path root, List<String> names) throws IOException {
        return start(root, names, List.of());
    }

    /**
     * Start a fleet whose shells search {@code ~/bin}, then {@code extraPath} (e.g. the sandbox PostgreSQL's client
     * tools), then the controller's PATH, as a login shell on a real host would search ~/bin first. The extra
     * directories come before the system's so that a host's psql is the cluster's own binary, not Debian's
     * {@code /usr/bin/psql} wrapper, which starts a Perl interpreter on every call.
     */
    public static SandboxFleet start(Path root, List<String> names, List<Path> extraPath) throws IOException {
        SandboxFleet fleet = new SandboxFleet(root, System.getProperty("user.name"));
        try {
            fleet.init(names, extraPath);
            return fleet;
        } catch (IOException | RuntimeException e) {
            fleet.close();
            throw e;
        }
    }

    private void init(List<String> names, List<Path> extraPath) throws IOException {
        Files.createDirectories(root.resolve("hosts"));
        KeyPair clientKey = newKey();
        writePrivateKey(clientKey, clientKeyFile);
        authorizedKeys.add(clientKey.getPublic());
        for (String name : names) {
            Path home = Files.createDirectories(root.resolve("hosts").resolve(name));
            StringBuilder path = new StringBuilder(home.resolve("bin").toString());
            extraPath.forEach(p -> path.append(':').append(p));
            path.append(':').append(System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
            Map<String, String> environment = Map.of("HOME", home.toString(), "USER", user, "LOGNAME", user, "PATH", path.toString());
            writeProfile(home, path.toString());
            SandboxHost host = new SandboxHost(name, home, environment, newKey(), shared);
            host.start();
            hosts.put(name, host);
        }
        writeKnownHosts();
    }

    /**
     * Give the host's login shell the same PATH as its commands get ({@code ~/bin} first), as the skeleton
     * {@code ~/.profile} of a Debian login puts {@code ~/bin} first: the OMERO modules run in the login
     * environment, and the machine's {@code /etc/profile} resets PATH.
     */
    private static void writeProfile(Path home, String path) throws IOException {
        Path profile = home.resolve(".profile");
        if (!Files.exists(profile)) {
            Files.writeString(profile, "# omero-fleet sandbox host: ~/bin first, then the sandbox PostgreSQL's tools and the controller's PATH\n"
                    + "PATH=" + ShellQuote.quote(path) + "\nexport PATH\n");
        }
    }

    /** Let every host accept {@code key} too (as a line added to authorized_keys would). */
    public void authorize(PublicKey key) {
        authorizedKeys.add(key);
    }

    /** Rewrite known_hosts from the hosts' current keys. */
    public void writeKnownHosts() throws IOException {
        StringBuilder lines = new StringBuilder();
        for (SandboxHost host : hosts.values()) {
            lines.append("[127.0.0.1]:").append(host.port()).append(' ').append(PublicKeyEntry.toString(host.hostKey())).append('\n');
        }
        Files.writeString(knownHosts, lines, StandardCharsets.UTF_8);
    }

    /**
     * Write an Ansible YAML inventory for this fleet: every host in group {@code sandbox}, with the
     * connection variables and {@code extraVars} per host.
     */
    public void writeInventory(Path file, Map<String, Map<String, Object>> extraVars) throws IOException {
        Map<String, Integer> ports = new LinkedHashMap<>();
        hosts.values().forEach(h -> ports.put(h.name(), h.port()));
        LoopbackInventory.write(file, access(), ports, extraVars);
    }

    /** {@return the user, key and known_hosts file that reach every host of this fleet} */
    public LoopbackInventory.Access access() {
        return new LoopbackInventory.Access(user, clientKeyFile, knownHosts);
    }

    public List<SandboxHost> hosts() {
        return new ArrayList<>(hosts.values());
    }

    public SandboxHost host(String name) {
        SandboxHost host = hosts.get(name);
        if (host == null) {
            throw new IllegalArgumentException("no sandbox host " + name);
        }
        return host;
    }

    public Path clientKey() {
        return clientKeyFile;
    }

    public Path knownHosts() {
        return knownHosts;
    }

    public String user() {
        return user;
    }

    /** {@return a fresh ed25519 key pair} */
    public static KeyPair newKey() {
        try {
            KeyPairGenerator generator = SecurityUtils.getKeyPairGenerator(SecurityUtils.EDDSA);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ed25519 keys need net.i2p.crypto:eddsa on the class path", e);
        }
    }

    private static void writePrivateKey(KeyPair key, Path file) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(file)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "omero-fleet-sandbox", null, out);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write " + file, e);
        }
        Files.writeString(file.resolveSibling(file.getFileName() + ".pub"), PublicKeyEntry.toString(key.getPublic()) + " omero-fleet-sandbox\n");
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        List<IOException> failures = new ArrayList<>();
        for (SandboxHost host : hosts.values()) {
            try {
                host.close();
            } catch (IOException e) {
                failures.add(e);
            }
        }
        pumps.shutdownNow();
        timers.shutdownNow();
        io.shutdownNow();
        if (!failures.isEmpty()) {
            throw new UncheckedIOException("some sandbox hosts did not stop cleanly", failures.get(0));
        }
    }
}
