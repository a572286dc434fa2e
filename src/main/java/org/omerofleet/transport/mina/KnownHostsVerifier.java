package org.omerofleet.transport.mina;

import java.net.SocketAddress;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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

    /**
     * {@return the host key algorithms of {@code proposal} (a comma list), those of a key type that known_hosts
     * records for this host first} OpenSSH orders its proposal so too: a host with keys of several types then
     * shows the one known_hosts can vouch for, rather than the client's favourite type.
     */
    String recordedTypesFirst(String proposal) {
        Set<String> recorded = knownHosts.recordedKeys().stream().map(KnownHosts::keyType).collect(Collectors.toSet());
        Map<Boolean, List<String>> split = Arrays.stream(proposal.split(","))
                .collect(Collectors.partitioningBy(a -> recorded.contains(a.startsWith("rsa-sha2-") ? "ssh-rsa" : a)));
        return Stream.concat(split.get(true).stream(), split.get(false).stream()).collect(Collectors.joining(","));
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
