package org.omerofleet.transport.jsch;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.UserInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.omerofleet.transport.KnownHosts;

/**
 * Let {@link KnownHosts} decide on the key a JSch session is offered, for one connection attempt. The
 * host is the one this repository was made for, never JSch's idea of it: behind a jump host JSch
 * connects to a local tunnel end.
 *
 * <p>JSch is run with {@code StrictHostKeyChecking=yes}, so every answer other than {@link #OK} ends
 * the handshake; {@link #refusal()} then says why, in words the factory reports.
 */
final class KnownHostsRepository implements HostKeyRepository {

    private final KnownHosts knownHosts;
    private final String repositoryId;
    private final AtomicReference<String> refusal = new AtomicReference<>();

    KnownHostsRepository(KnownHosts knownHosts, String repositoryId) {
        this.knownHosts = knownHosts;
        this.repositoryId = repositoryId;
    }

    /** {@return why the host key was refused, or null when it was not} */
    String refusal() {
        return refusal.get();
    }

    @Override
    public int check(String host, byte[] key) {
        Optional<String> reason = knownHosts.check(key);
        reason.ifPresent(refusal::set);
        return reason.isEmpty() ? OK : NOT_INCLUDED;
    }

    @Override
    public void add(HostKey hostkey, UserInfo ui) {
        // recording happens in check() under the policy; JSch is never allowed to add on its own
    }

    @Override
    public void remove(String host, String type) {
        // known_hosts is never rewritten by this program
    }

    @Override
    public void remove(String host, String type, byte[] key) {
        // known_hosts is never rewritten by this program
    }

    @Override
    public String getKnownHostsRepositoryID() {
        return repositoryId;
    }

    @Override
    public HostKey[] getHostKey() {
        return getHostKey(knownHosts.entryName(), null);
    }

    /** The recorded, usable keys of this host, so that JSch prefers their types during key exchange. */
    @Override
    public HostKey[] getHostKey(String host, String type) {
        List<HostKey> keys = new ArrayList<>();
        for (byte[] blob : knownHosts.recordedKeys()) {
            if (type != null && !type.equals(KnownHosts.keyType(blob))) {
                continue;
            }
            try {
                keys.add(new HostKey(knownHosts.entryName(), blob));
            } catch (JSchException unsupported) {
                // a key type JSch cannot use cannot be preferred either
            }
        }
        return keys.toArray(new HostKey[0]);
    }
}
