package org.omerofleet.transport.mina;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.omerofleet.transport.HostKeyPolicy;

/**
 * Check a server's key against an OpenSSH known_hosts file (plain, {@code [host]:port}, hashed and
 * comma-list entries). A key of a recorded type that differs is always refused with both fingerprints;
 * an unknown key is refused under {@link HostKeyPolicy#STRICT} and appended under
 * {@link HostKeyPolicy#ACCEPT_NEW}. There is no accept-all.
 *
 * <p>The refusal reason is kept per session so that the connection factory can report it.
 */
final class KnownHostsVerifier implements ServerKeyVerifier {

    /** One writer at a time for every known_hosts file this JVM appends to (CON-06). */
    private static final Object APPEND_LOCK = new Object();

    private final Path file;
    private final HostKeyPolicy policy;
    private final String hostname;
    private final int port;
    private final Map<ClientSession, String> refusals = new ConcurrentHashMap<>();

    KnownHostsVerifier(Path file, HostKeyPolicy policy, String hostname, int port) {
        this.file = file;
        this.policy = policy;
        this.hostname = hostname;
        this.port = port;
    }

    String refusal(ClientSession session) {
        return refusals.get(session);
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey key) {
        String type = KeyUtils.getKeyType(key);
        String fingerprint = KeyUtils.getFingerPrint(key);
        String name = port == 22 ? hostname : "[" + hostname + "]:" + port;
        List<KnownHostEntry> entries;
        try {
            entries = Files.exists(file) ? KnownHostEntry.readKnownHostEntries(file) : List.of();
        } catch (IOException e) {
            refusals.put(session, "cannot read " + file + ": " + e.getMessage());
            return false;
        }
        List<String> sameTypeOther = new ArrayList<>();
        for (KnownHostEntry entry : entries) {
            if (!entry.isHostMatch(hostname, port)) {
                continue;
            }
            PublicKey recorded;
            try {
                recorded = entry.getKeyEntry().resolvePublicKey(null, PublicKeyEntryResolver.IGNORING);
            } catch (IOException | GeneralSecurityException e) {
                continue;
            }
            if (recorded == null) {
                continue;
            }
            String marker = entry.getMarker();
            if ("cert-authority".equals(marker)) {
                continue; // certificates are not supported; such a line never vouches for a plain key
            }
            boolean same = KeyUtils.compareKeys(recorded, key);
            if ("revoked".equals(marker)) {
                if (same) {
                    refusals.put(session, "host key for " + name + " (" + type + " " + fingerprint + ") is marked @revoked in " + file);
                    return false;
                }
                continue;
            }
            if (same) {
                return true;
            }
            if (KeyUtils.getKeyType(recorded).equals(type)) {
                sameTypeOther.add(KeyUtils.getFingerPrint(recorded));
            }
        }
        if (!sameTypeOther.isEmpty()) {
            refusals.put(session, "HOST KEY CHANGED for " + name + ": known_hosts " + file + " has " + type + " " + sameTypeOther.get(0)
                    + " but the host offered " + fingerprint + "; refusing to connect (possible man-in-the-middle)");
            return false;
        }
        if (policy == HostKeyPolicy.ACCEPT_NEW) {
            return append(session, name, key, type, fingerprint);
        }
        refusals.put(session, "host key for " + name + " (" + type + " " + fingerprint + ") is not in " + file
                + "; add it (ssh-keyscan -p " + port + " " + hostname + ") or use --host-key-checking accept-new");
        return false;
    }

    private boolean append(ClientSession session, String name, PublicKey key, String type, String fingerprint) {
        String line = name + " " + PublicKeyEntry.toString(key) + System.lineSeparator();
        synchronized (APPEND_LOCK) {
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND); var lock = channel.lock()) {
                    channel.write(StandardCharsets.UTF_8.encode(line));
                    channel.force(true);
                }
                return true;
            } catch (IOException e) {
                refusals.put(session, "cannot record the host key of " + name + " (" + type + " " + fingerprint + ") in " + file + ": "
                        + e.getMessage());
                return false;
            }
        }
    }

    static String describe(SocketAddress remote) {
        return remote instanceof InetSocketAddress ? ((InetSocketAddress) remote).getHostString() : String.valueOf(remote);
    }
}
