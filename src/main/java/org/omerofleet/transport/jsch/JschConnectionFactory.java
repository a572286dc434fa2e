package org.omerofleet.transport.jsch;

import com.jcraft.jsch.AgentIdentityRepository;
import com.jcraft.jsch.AgentProxyException;
import com.jcraft.jsch.Identity;
import com.jcraft.jsch.IdentityRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchHostKeyException;
import com.jcraft.jsch.KeyPair;
import com.jcraft.jsch.SSHAgentConnector;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.UnixDomainSocketFactory;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Vector;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.omerofleet.transport.Connection;
import org.omerofleet.transport.ConnectionFactory;
import org.omerofleet.transport.ConnectionSetup;
import org.omerofleet.transport.FileTransfers;
import org.omerofleet.transport.Hop;
import org.omerofleet.transport.JumpSessions;
import org.omerofleet.transport.KeyFiles;
import org.omerofleet.transport.KnownHosts;
import org.omerofleet.transport.PassphraseProvider;
import org.omerofleet.transport.SshTarget;
import org.omerofleet.transport.TransportException;

/**
 * Open connections with JSch (the {@code com.github.mwiede} fork), configured per session only: one
 * {@link JSch} instance per factory and never {@code JSch.setConfig}, so two factories cannot disturb
 * each other. Each session owns a reader thread.
 *
 * <p>Behaves as the MINA adapter does: connection setup is retried with a growing pause, a refused
 * host key or authentication never is; private keys are read once per file for the life of the
 * factory; host keys are checked against the target's known_hosts, SHA-1 RSA and DSA are refused.
 * Unlike the MINA adapter it also offers the keys of the ssh-agent at {@code $SSH_AUTH_SOCK}.
 */
public final class JschConnectionFactory implements ConnectionFactory {

    private static final int KEEPALIVE_COUNT_MAX = 3;
    /** Algorithms OpenSSH 8.8+ refuses too; certificates are not supported by the known_hosts check. */
    private static final List<String> REFUSED = List.of("ssh-rsa", "ssh-dss");

    private final ConnectionSetup setup = new ConnectionSetup();
    /** Sessions with jump hosts, shared by the hosts behind them. */
    private final JumpSessions<List<Session>> jumpSessions = new JumpSessions<>(JumpSessions.CHANNELS_PER_SESSION,
            chain -> chain.stream().allMatch(Session::isConnected), JschConnectionFactory::disconnectAll);
    private final JSch jsch = new JSch();
    private final PassphraseProvider passphrases;
    private final Function<String, String> environment;
    /** Offered after the key files when set, as OpenSSH offers the agent's keys. */
    private final Optional<Path> agentSocket;
    private final KeyFiles<LoadedKey> keys = new KeyFiles<>();

    /**
     * @param passphrases asked for the passphrase of an encrypted key when no environment variable holds it
     * @param environment reads environment variables ({@code System::getenv} in production)
     */
    public JschConnectionFactory(PassphraseProvider passphrases, Function<String, String> environment) {
        this.passphrases = passphrases;
        this.environment = environment;
        this.agentSocket = KeyFiles.agentSocket(environment);
    }

    @Override
    public Connection open(SshTarget target) throws TransportException {
        List<Leg> route = new ArrayList<>();
        for (Hop hop : Hop.route(target)) {
            route.add(new Leg(hop, keys.identities(hop.host().identityFiles(), file -> load(file, hop.host().passphraseEnv()))));
        }
        return setup.open(target, () -> attempt(target, route));
    }

    /** One host of a connection's route with its keys. */
    private record Leg(Hop hop, List<LoadedKey> identities) {
    }

    /**
     * Connect to the target, directly or through a local forward over a session with its jump hosts that the
     * hosts behind them share ({@link JumpSessions}); each hop is checked against known_hosts under its own name
     * and port. Closing the connection removes its forward and lets go of its share of the jump host's session.
     */
    private Connection attempt(SshTarget target, List<Leg> route) throws TransportException {
        Leg last = route.get(route.size() - 1);
        if (route.size() == 1) {
            return new JschConnection(session(last, target.hostname(), target.port()), target.name(), () -> { });
        }
        JumpSessions<List<Session>>.Lease lease = jumpSessions.lease(target, () -> jumpChain(route.subList(0, route.size() - 1)));
        Session via = lease.route().get(lease.route().size() - 1);
        int port = -1;
        try {
            port = tunnel(via, last.hop());
            Session session = session(last, "127.0.0.1", port);
            int forward = port;
            return new JschConnection(session, target.name(), () -> {
                removeForward(via, forward);
                lease.release();
            });
        } catch (TransportException | RuntimeException e) {
            removeForward(via, port);
            lease.release();
            throw e;
        }
    }

    /** {@return authenticated sessions with every jump host of a route in turn, each after the first through the one before} */
    private List<Session> jumpChain(List<Leg> jumps) throws TransportException {
        List<Session> chain = new ArrayList<>();
        try {
            for (Leg leg : jumps) {
                SshTarget host = leg.hop().host();
                chain.add(chain.isEmpty() ? session(leg, host.hostname(), host.port())
                        : session(leg, "127.0.0.1", tunnel(chain.get(chain.size() - 1), leg.hop())));
            }
            return chain;
        } catch (TransportException | RuntimeException e) {
            disconnectAll(chain);
            throw e;
        }
    }

    /** Disconnect a route's sessions, last hop first. */
    private static void disconnectAll(List<Session> chain) {
        for (int i = chain.size() - 1; i >= 0; i--) {
            disconnectQuietly(chain.get(i));
        }
    }

    private static void removeForward(Session via, int port) {
        if (port < 0) {
            return;
        }
        try {
            via.delPortForwardingL("127.0.0.1", port);
        } catch (JSchException | RuntimeException ignored) {
            // the session is gone, and its forwards with it
        }
    }

    /** {@return a loopback port that reaches {@code hop} through {@code via}, for as long as {@code via} is connected} */
    private static int tunnel(Session via, Hop hop) throws TransportException {
        try {
            return via.setPortForwardingL("127.0.0.1", 0, hop.host().hostname(), hop.host().port());
        } catch (JSchException e) {
            throw new TransportException(hop.label() + ": cannot open a tunnel to " + hop.where() + ": " + FileTransfers.rootMessage(e), e);
        }
    }

    /** {@return an authenticated session with one host of a route, dialled at {@code address:port}, whose key known_hosts vouches for} */
    private Session session(Leg leg, String address, int port) throws TransportException {
        Hop hop = leg.hop();
        SshTarget host = hop.host();
        KnownHostsRepository hostKeys = new KnownHostsRepository(
                new KnownHosts(host.knownHosts(), host.hostKeyPolicy(), host.hostname(), host.port()), host.knownHosts().toString());
        Session session = null;
        try {
            session = jsch.getSession(host.user(), address, port);
            session.setHostKeyRepository(hostKeys);
            session.setIdentityRepository(new Identities(leg.identities(), agent(hop)));
            session.setConfig("StrictHostKeyChecking", "yes");
            session.setConfig("PreferredAuthentications", "publickey");
            // Terrapin (CVE-2023-48795): a server that cannot do the strict key exchange is refused (SEC-04)
            session.setConfig("require_strict_kex", "yes");
            session.setConfig("server_host_key", allowed(session.getConfig("server_host_key")));
            session.setConfig("PubkeyAcceptedAlgorithms", allowed(session.getConfig("PubkeyAcceptedAlgorithms")));
            session.setDaemonThread(true);
            if (!host.keepalive().isZero()) {
                session.setServerAliveInterval(Math.toIntExact(host.keepalive().toMillis()));
                session.setServerAliveCountMax(KEEPALIVE_COUNT_MAX);
            }
            session.connect(Math.toIntExact(host.connectTimeout().toMillis()));
            return session;
        } catch (JSchException e) {
            disconnectQuietly(session);
            String refusal = hostKeys.refusal();
            if (refusal != null || e instanceof JSchHostKeyException) {
                throw new TransportException.HostKeyRejectedException(hop.label() + ": "
                        + (refusal != null ? refusal : FileTransfers.rootMessage(e)));
            }
            if (isAuthenticationFailure(e)) {
                throw new TransportException.AuthenticationException(hop.label() + ": authentication as '" + host.user()
                        + "' refused by " + host.hostname() + ":" + host.port() + " (keys offered: " + describe(host.identityFiles())
                        + agentSocket.map(a -> " and the ssh-agent's at " + a).orElse("") + ")", e);
            }
            if (isTimeout(e)) {
                throw new TransportException.ConnectTimeoutException("no connection to " + hop.where() + " within "
                        + host.connectTimeout().toSeconds() + " s", e);
            }
            throw new TransportException(hop.label() + ": cannot connect to " + hop.where() + ": " + FileTransfers.rootMessage(e), e);
        } catch (RuntimeException e) {
            disconnectQuietly(session);
            throw new TransportException(hop.label() + ": cannot connect to " + hop.where() + ": " + FileTransfers.rootMessage(e), e);
        }
    }

    /** The configured list without SHA-1 RSA, DSA and certificate algorithms. */
    private static String allowed(String algorithms) {
        return Arrays.stream(algorithms.split(","))
                .filter(a -> !REFUSED.contains(a) && !a.contains("-cert-v01@"))
                .collect(Collectors.joining(","));
    }

    private static boolean isAuthenticationFailure(JSchException e) {
        String m = String.valueOf(e.getMessage());
        return m.startsWith("Auth fail")
                || m.startsWith("Auth cancel");
    }

    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || String.valueOf(t.getMessage()).startsWith("timeout")) {
                return true;
            }
        }
        return false;
    }

    /** {@return the keys of the ssh-agent at {@link #agentSocket} (JDK unix-domain sockets, no native code), or null when none is set} */
    private IdentityRepository agent(Hop hop) throws TransportException {
        if (agentSocket.isEmpty()) {
            return null;
        }
        try {
            return new AgentIdentityRepository(new SSHAgentConnector(new UnixDomainSocketFactory(), agentSocket.get()));
        } catch (AgentProxyException e) {
            throw new TransportException.AuthenticationException(hop.label() + ": cannot use the ssh-agent at " + agentSocket.get() + ": "
                    + FileTransfers.rootMessage(e), e);
        }
    }

    /** Read one key file, decrypting it with its passphrase (environment variable, else prompt) if it is encrypted. */
    private List<LoadedKey> load(Path file, Optional<String> passphraseEnv) throws TransportException {
        String from = passphraseEnv.map(v -> " (passphrase from $" + v + ")").orElse("");
        KeyPair pair;
        try {
            byte[] privateKey = Files.readAllBytes(file);
            Path publicFile = file.resolveSibling(file.getFileName() + ".pub");
            byte[] publicKey = Files.isReadable(publicFile) ? Files.readAllBytes(publicFile) : null;
            pair = KeyPair.load(jsch, privateKey, publicKey);
        } catch (IOException | JSchException e) {
            throw new TransportException.AuthenticationException("cannot read private key " + file + ": " + FileTransfers.rootMessage(e) + from, e);
        }
        if (pair.isEncrypted()) {
            byte[] passphrase = passphrase(file, passphraseEnv);
            try {
                if (passphrase == null || !pair.decrypt(passphrase)) {
                    pair.dispose();
                    throw new TransportException.AuthenticationException("cannot read private key " + file + ": "
                            + (passphrase == null ? "it is encrypted and no passphrase was given" : "the passphrase given does not decrypt it") + from, null);
                }
            } finally {
                if (passphrase != null) {
                    Arrays.fill(passphrase, (byte) 0);
                }
            }
        }
        return List.of(new LoadedKey(file.toString(), pair));
    }

    private byte[] passphrase(Path file, Optional<String> passphraseEnv) {
        Optional<char[]> given = KeyFiles.passphrase(file, passphraseEnv, environment, passphrases);
        if (given.isEmpty()) {
            return null;
        }
        char[] chars = given.get();
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        byte[] exact = new byte[encoded.remaining()];
        encoded.get(exact);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        Arrays.fill(chars, '\0');
        return exact;
    }

    private static String describe(List<Path> files) {
        return files.isEmpty() ? "none" : files.toString();
    }



    private static void disconnectQuietly(Session session) {
        if (session != null) {
            session.disconnect();
        }
    }

    @Override
    public void close() {
        keys.clear(LoadedKey::dispose);
    }

    /** The keys of one target, offered in order, then the agent's if any; JSch may not add or remove any. */
    private static final class Identities implements IdentityRepository {
        private final List<LoadedKey> keys;
        private final IdentityRepository agent;

        Identities(List<LoadedKey> keys, IdentityRepository agent) {
            this.keys = keys;
            this.agent = agent;
        }

        @Override
        public String getName() {
            return "omero-fleet";
        }

        @Override
        public int getStatus() {
            return RUNNING;
        }

        @Override
        public Vector<Identity> getIdentities() {
            Vector<Identity> all = new Vector<>(keys);
            if (agent != null) {
                all.addAll(agent.getIdentities());
            }
            return all;
        }

        @Override
        public boolean add(byte[] identity) {
            return false;
        }

        @Override
        public boolean remove(byte[] blob) {
            return false;
        }

        @Override
        public void removeAll() {
            // the factory owns the keys, the agent its own
        }
    }
}
