package org.omerofleet.transport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Say where and how to connect to one host.
 *
 * @param name             the inventory name, used in messages and for known_hosts when no {@code hostname} differs
 * @param hostname         the address to connect to ({@code ansible_host})
 * @param port             the SSH port ({@code ansible_port})
 * @param user             the remote user ({@code ansible_user})
 * @param identityFiles    private keys to offer, in order ({@code ansible_ssh_private_key_file})
 * @param passphraseEnv    name of an environment variable holding the key passphrase, if any
 * @param knownHosts       the known_hosts file to verify host keys against
 * @param hostKeyPolicy    what to do with an unknown host key
 * @param connectTimeout   the budget for one connect + handshake + auth attempt
 * @param connectRetries   extra attempts for connection setup only (never for commands)
 * @param keepalive        interval of keepalive requests, {@link Duration#ZERO} for none
 * @param transport        the SSH implementation this host asks for ({@code fleet_transport}), empty for the run's
 *                         default; only the composition root interprets the name
 * @param jumps            jump hosts to pass through, first hop first ({@code ProxyJump}, {@code fleet_jump_host});
 *                         each is checked against its own known_hosts entry and has no jumps of its own
 */
public record SshTarget(
        String name,
        String hostname,
        int port,
        String user,
        List<Path> identityFiles,
        Optional<String> passphraseEnv,
        Path knownHosts,
        HostKeyPolicy hostKeyPolicy,
        Duration connectTimeout,
        int connectRetries,
        Duration keepalive,
        Optional<String> transport,
        List<SshTarget> jumps) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_CONNECT_RETRIES = 2;
    public static final Duration DEFAULT_KEEPALIVE = Duration.ofSeconds(15);

    public SshTarget {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(hostname, "hostname");
        if (hostname.isBlank() || hostname.startsWith("-")) {
            throw new IllegalArgumentException("host '" + name + "': ansible_host must be a host name or address, got '" + hostname + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("host '" + name + "': ansible_port must be 1-65535, got " + port);
        }
        Objects.requireNonNull(user, "user");
        identityFiles = List.copyOf(identityFiles);
        Objects.requireNonNull(passphraseEnv, "passphraseEnv");
        Objects.requireNonNull(knownHosts, "knownHosts");
        Objects.requireNonNull(hostKeyPolicy, "hostKeyPolicy");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(keepalive, "keepalive");
        Objects.requireNonNull(transport, "transport");
        jumps = List.copyOf(jumps);
        if (jumps.stream().anyMatch(j -> !j.jumps().isEmpty())) {
            throw new IllegalArgumentException("host '" + name + "': a jump host cannot have jumps of its own; list every hop in order");
        }
        if (connectRetries < 0 || connectRetries > 5) {
            throw new IllegalArgumentException("connect retries must be 0-5, got " + connectRetries);
        }
    }
}
