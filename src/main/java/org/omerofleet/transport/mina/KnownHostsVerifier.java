package org.omerofleet.transport.mina;

import java.net.SocketAddress;
import java.security.PublicKey;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.omerofleet.transport.KnownHosts;

/**
 * Let {@link KnownHosts} decide on the key a MINA session is offered. The host is the one this verifier
 * was made for, never the socket's peer: behind a jump host that peer is a local tunnel end.
 *
 * <p>The refusal reason is kept per session so that the connection factory can report it.
 */
final class KnownHostsVerifier implements ServerKeyVerifier {

    private final KnownHosts knownHosts;
    private final Map<ClientSession, String> refusals = new ConcurrentHashMap<>();

    KnownHostsVerifier(KnownHosts knownHosts) {
        this.knownHosts = knownHosts;
    }

    String refusal(ClientSession session) {
        return refusals.get(session);
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey key) {
        ByteArrayBuffer blob = new ByteArrayBuffer();
        blob.putRawPublicKey(key);
        Optional<String> refusal = knownHosts.check(blob.getCompactData());
        refusal.ifPresent(reason -> refusals.put(session, reason));
        return refusal.isEmpty();
    }
}
