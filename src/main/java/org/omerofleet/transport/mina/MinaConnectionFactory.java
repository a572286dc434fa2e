package org.omerofleet.transport.mina;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.ClientSessionImpl;
import org.apache.sshd.client.session.SessionFactory;
import org.apache.sshd.client.session.forward.ExplicitPortForwardingTracker;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;
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
 * Open connections with one shared Apache MINA SSHD client: its NIO threads serve every host, so
 * hundreds of idle sessions cost no thread each.
 *
 * <p>Connection setup (TCP, key exchange, authentication) is retried with a growing pause; a refused
 * host key or a refused authentication is never retried. Private keys are read once per file and
 * kept for the life of the factory, so an encrypted key asks for its passphrase once per run.
 */
public final class MinaConnectionFactory implements ConnectionFactory {


    private final ConnectionSetup setup = new ConnectionSetup();
    /** Sessions with jump hosts, shared by the hosts behind them; closing a route's first session closes the rest. */
    private final JumpSessions<List<ClientSession>> jumpSessions = new JumpSessions<>(JumpSessions.CHANNELS_PER_SESSION,
            chain -> chain.stream().allMatch(s -> s.isOpen() && !s.isClosing()), chain -> chain.forEach(MinaConnectionFactory::closeQuietly));
    private final SshClient client;
    private final PassphraseProvider passphrases;
    private final Function<String, String> environment;
    private final KeyFiles<KeyPair> keys = new KeyFiles<>();
    /** Carries each connection's own known_hosts check into the shared client's verifier. */
    private static final AttributeRepository.AttributeKey<KnownHostsVerifier> VERIFIER = new AttributeRepository.AttributeKey<>();

    /**
     * Load and initialise, on the calling thread, what the first connection needs: MINA's client with its
     * factories, and the JDK's AES-GCM, X25519, SHA-256 and the EdDSA provider. Run on a second thread while the
     * command line, the inventory and the playbook are read, it takes about a fifth of a second off the start
     * of a short run on two cores. Nothing is connected; failures are left to the real connection to report.
     */
    public static void warmUp() {
        try {
            SshClient.setUpDefaultClient().getKeyExchangeFactories();
            SecurityUtils.isEDDSACurveSupported();
            javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
            javax.crypto.KeyAgreement.getInstance("X25519");
            java.security.KeyPairGenerator.getInstance("X25519").generateKeyPair();
            java.security.MessageDigest.getInstance("SHA-256").digest(new byte[1]);
        } catch (java.security.GeneralSecurityException | RuntimeException e) {
            // only a head start: the connection meets the same problem and says so
        }
    }

    /**
     * @param passphrases asked for the passphrase of an encrypted key when no environment variable holds it
     * @param environment reads environment variables ({@code System::getenv} in production)
     */
    public MinaConnectionFactory(PassphraseProvider passphrases, Function<String, String> environment) {
        this.passphrases = passphrases;
        this.environment = environment;
        this.client = SshClient.setUpDefaultClient();
        // SHA-1 signatures (ssh-rsa) and DSA are refused, as OpenSSH 8.8+ does; certificates are not supported
        // by the known_hosts check. ed25519 first, as OpenSSH and JSch ask: accept-new records what ssh would.
        client.setSignatureFactories(client.getSignatureFactories().stream()
                .filter(f -> !f.getName().equals("ssh-rsa") && !f.getName().equals("ssh-dss") && !f.getName().contains("-cert-v01@"))
                .sorted(Comparator.comparing(f -> !f.getName().equals("ssh-ed25519")))
                .toList());
        // AES-GCM first: the JDK runs it with AES-NI and carry-less multiply intrinsics, several times faster
        // than its ChaCha20-Poly1305 (measured: a 200 MB push was CPU-bound on 2 cores). MINA does the strict key
        // exchange against Terrapin (CVE-2023-48795) when the server can, but cannot insist on it, so the ciphers
        // the attack needs without it are not offered at all: no ChaCha20-Poly1305, no CBC (SEC-04)
        client.setCipherFactories(new ArrayList<>(List.of(BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256gcm, BuiltinCiphers.aes128ctr,
                BuiltinCiphers.aes192ctr, BuiltinCiphers.aes256ctr)));
        client.setServerKeyVerifier((session, remote, key) -> {
            KnownHostsVerifier verifier = verifier(session);
            return verifier != null && verifier.verifyServerKey(session, remote, key);
        });
        client.setSessionFactory(new SessionFactory(client) {
            @Override
            protected ClientSessionImpl doCreateSession(IoSession ioSession) throws Exception {
                return new ClientSessionImpl(getClient(), ioSession) {
                    @Override
                    protected String resolveAvailableSignaturesProposal(FactoryManager manager) {
                        String proposal = super.resolveAvailableSignaturesProposal(manager);
                        KnownHostsVerifier verifier = verifier(this);
                        return verifier == null ? proposal : verifier.recordedTypesFirst(proposal);
                    }
                };
            }
        });
        // the composition root applies the ssh config and picks the keys: MINA must not read ~/.ssh on its own,
        // nor follow a ProxyJump there with this client's one verifier
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setUserInteraction(null);
        CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, 3);
        // each command is a few small packets each way; with Nagle's algorithm every one waits for the peer's
        // delayed ACK (40 ms on Linux), which was most of a short command's time
        CoreModuleProperties.TCP_NODELAY.set(client, true);
        client.start();
    }

    @Override
    public Connection open(SshTarget target) throws TransportException {
        Optional<Path> agent = KeyFiles.agentSocket(environment);
        List<Leg> route = new ArrayList<>();
        for (Hop hop : Hop.route(target)) {
            SshTarget host = hop.host();
            if (host.identityFiles().isEmpty() && agent.isPresent()) {
                throw new TransportException.AuthenticationException(hop.label() + ": no key file to offer, and the mina transport cannot use "
                        + "the ssh-agent at " + agent.get() + " (MINA SSHD's agent client needs native libraries); use --transport jsch "
                        + "(or fleet_transport: jsch), or give a key: ansible_ssh_private_key_file, --private-key or IdentityFile", null);
            }
            route.add(new Leg(hop, keys.identities(host.identityFiles(), file -> load(file, host.passphraseEnv())),
                    new KnownHostsVerifier(new KnownHosts(host.knownHosts(), host.hostKeyPolicy(), host.hostname(), host.port()))));
        }
        return setup.open(target, () -> attempt(target, route));
    }

    /** One host of a connection's route with its keys and its own known_hosts check. */
    private record Leg(Hop hop, List<KeyPair> identities, KnownHostsVerifier verifier) {
    }

    /**
     * Connect to the target, directly or through a forwarded channel of a session with its jump hosts that
     * the hosts behind them share ({@link JumpSessions}). MINA's own ProxyJump would log in to the jump host
     * once per host, and check every hop with the one verifier of the connection; here each hop is checked
     * against known_hosts under its own name and port. The jump host closing closes the connections through
     * it; a connection closing closes its forward and lets go of its share of the jump host's session.
     */
    private Connection attempt(SshTarget target, List<Leg> route) throws TransportException {
        Leg last = route.get(route.size() - 1);
        if (route.size() == 1) {
            return new MinaConnection(session(last, new SshdSocketAddress(target.hostname(), target.port())), target.name());
        }
        JumpSessions<List<ClientSession>>.Lease lease = jumpSessions.lease(target, () -> jumpChain(route.subList(0, route.size() - 1)));
        ExplicitPortForwardingTracker tunnel = null;
        try {
            ClientSession via = lease.route().get(lease.route().size() - 1);
            tunnel = tunnel(via, last.hop());
            ClientSession session = session(last, tunnel.getBoundAddress());
            ExplicitPortForwardingTracker forward = tunnel;
            via.addCloseFutureListener(f -> session.close(true));
            session.addCloseFutureListener(f -> {
                closeQuietly(forward);
                lease.release();
            });
            return new MinaConnection(session, target.name());
        } catch (TransportException | RuntimeException e) {
            closeQuietly(tunnel);
            lease.release();
            throw e;
        }
    }

    /** {@return authenticated sessions with every jump host of a route in turn, each after the first through the one before} */
    private List<ClientSession> jumpChain(List<Leg> jumps) throws TransportException {
        List<ClientSession> chain = new ArrayList<>();
        try {
            for (Leg leg : jumps) {
                SshTarget host = leg.hop().host();
                ClientSession via = chain.isEmpty() ? null : chain.get(chain.size() - 1);
                ClientSession session = session(leg, via == null
                        ? new SshdSocketAddress(host.hostname(), host.port()) : tunnel(via, leg.hop()).getBoundAddress());
                if (via != null) {
                    via.addCloseFutureListener(f -> session.close(true));
                    session.addCloseFutureListener(f -> via.close(true));
                }
                chain.add(session);
            }
            return chain;
        } catch (TransportException | RuntimeException e) {
            chain.forEach(MinaConnectionFactory::closeQuietly);
            throw e;
        }
    }

    /** {@return a loopback address that reaches {@code hop} through {@code via}, for as long as {@code via} is open} */
    private static ExplicitPortForwardingTracker tunnel(ClientSession via, Hop hop) throws TransportException {
        try {
            return via.createLocalPortForwardingTracker(new SshdSocketAddress("127.0.0.1", 0),
                    new SshdSocketAddress(hop.host().hostname(), hop.host().port()));
        } catch (IOException | RuntimeException e) {
            throw new TransportException(hop.label() + ": cannot open a tunnel to " + hop.where() + ": " + FileTransfers.rootMessage(e), e);
        }
    }

    /** {@return an authenticated session with one host of a route, whose key known_hosts vouches for} */
    private ClientSession session(Leg leg, SshdSocketAddress address) throws TransportException {
        Hop hop = leg.hop();
        SshTarget host = hop.host();
        long timeout = host.connectTimeout().toMillis();
        ClientSession session = null;
        try {
            ConnectFuture future = client.connect(host.user(), address.getHostName(), address.getPort(),
                    AttributeRepository.ofKeyValuePair(VERIFIER, leg.verifier()), null);
            if (!future.await(timeout)) {
                future.cancel();
                throw new TransportException.ConnectTimeoutException("no connection to " + hop.where() + " within "
                        + host.connectTimeout().toSeconds() + " s", null);
            }
            session = future.verify().getSession();
            if (!host.keepalive().isZero()) {
                CoreModuleProperties.HEARTBEAT_INTERVAL.set(session, host.keepalive());
            }
            leg.identities().forEach(session::addPublicKeyIdentity);
            session.auth().verify(timeout);
            return session;
        } catch (TransportException e) {
            closeQuietly(session);
            throw e;
        } catch (IOException | RuntimeException e) {
            String refusal = session == null ? null : leg.verifier().refusal(session);
            closeQuietly(session);
            if (refusal != null) {
                throw new TransportException.HostKeyRejectedException(hop.label() + ": " + refusal);
            }
            if (session != null && isAuthenticationFailure(e)) {
                throw new TransportException.AuthenticationException(hop.label() + ": authentication as '" + host.user()
                        + "' refused by " + host.hostname() + ":" + host.port() + " (keys offered: " + describe(host.identityFiles()) + ")", e);
            }
            if (isTimeout(e)) {
                throw new TransportException.ConnectTimeoutException(hop.label() + ": no login to " + hop.where() + " within "
                        + host.connectTimeout().toSeconds() + " s: " + FileTransfers.rootMessage(e), e);
            }
            throw new TransportException(hop.label() + ": cannot connect to " + hop.where() + ": " + FileTransfers.rootMessage(e), e);
        }
    }

    /** {@return whether key exchange or authentication ran out of time (MINA: "Timed out after N msec")} */
    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException || t instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isAuthenticationFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (t instanceof SshException && (m.contains("No more authentication methods") || m.contains("authentication"))) {
                return true;
            }
        }
        return false;
    }

    /** Read one key file, asking for its passphrase (environment variable, else prompt) if it is encrypted. */
    private List<KeyPair> load(Path file, Optional<String> passphraseEnv) throws TransportException {
        FilePasswordProvider password = (session, resource, retry) -> {
            if (retry > 0) {
                return null;
            }
            return KeyFiles.passphrase(file, passphraseEnv, environment, passphrases).map(chars -> {
                String text = new String(chars);
                Arrays.fill(chars, '\0'); // MINA wants a String; the prompt's copy at least does not linger
                return text;
            }).orElse(null);
        };
        try (InputStream in = Files.newInputStream(file)) {
            List<KeyPair> pairs = new ArrayList<>();
            Iterable<KeyPair> read = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(file.toString()), in, password);
            if (read != null) {
                read.forEach(pairs::add);
            }
            if (pairs.isEmpty()) {
                throw new TransportException("private key " + file + " holds no usable key");
            }
            return pairs;
        } catch (IOException | GeneralSecurityException e) {
            throw new TransportException.AuthenticationException("cannot read private key " + file + ": " + FileTransfers.rootMessage(e)
                    + passphraseEnv.map(v -> " (passphrase from $" + v + ")").orElse(""), e);
        }
    }

    private static String describe(List<Path> files) {
        return files.isEmpty() ? "none" : files.toString();
    }



    /** {@return the known_hosts check of the connection {@code session} belongs to, or null for a session this factory did not open} */
    private static KnownHostsVerifier verifier(ClientSession session) {
        AttributeRepository context = session.getConnectionContext();
        return context == null ? null : context.getAttribute(VERIFIER);
    }

    private static void closeQuietly(ClientSession session) {
        if (session != null) {
            session.close(true);
        }
    }

    private static void closeQuietly(ExplicitPortForwardingTracker forward) {
        if (forward != null) {
            try {
                forward.close();
            } catch (IOException ignored) {
                // the session carrying it is gone, which ended the forward too
            }
        }
    }

    @Override
    public void close() {
        try {
            client.stop();
        } finally {
            try {
                client.close();
            } catch (IOException ignored) {
                // stopping already released the threads; nothing more can be done
            }
        }
    }
}
