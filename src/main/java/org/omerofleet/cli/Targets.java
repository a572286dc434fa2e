package org.omerofleet.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.omerofleet.executor.TargetResolver;
import org.omerofleet.transport.HostKeyPolicy;
import org.omerofleet.transport.SshTarget;

/**
 * Build connection targets from Ansible's connection variables, with the command line's defaults:
 * {@code ansible_host}, {@code ansible_port}, {@code ansible_user}, {@code ansible_ssh_private_key_file},
 * and our own {@code fleet_known_hosts} and {@code fleet_transport}.
 */
final class Targets implements TargetResolver {

    private final ConnectionOptions options;
    private final Path home;
    private final String localUser;

    Targets(ConnectionOptions options, Path home, String localUser) {
        this.options = options;
        this.home = home;
        this.localUser = localUser;
    }

    static HostKeyPolicy policy(String text) {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "strict":
            case "yes":
                return HostKeyPolicy.STRICT;
            case "accept-new":
                return HostKeyPolicy.ACCEPT_NEW;
            default:
                throw new IllegalArgumentException("--host-key-checking must be strict or accept-new, got '" + text
                        + "' (there is deliberately no accept-all)");
        }
    }

    @Override
    public SshTarget resolve(String host, Map<String, Object> vars) {
        String hostname = string(vars, "ansible_host").orElse(host);
        int port = string(vars, "ansible_port").map(Integer::parseInt).orElse(22);
        String user = string(vars, "ansible_user").orElse(options.user != null ? options.user : localUser);
        List<Path> keys = string(vars, "ansible_ssh_private_key_file").map(k -> List.of(expand(k)))
                .orElse(options.privateKey != null ? List.of(options.privateKey) : defaultKeys());
        Path knownHosts = string(vars, "fleet_known_hosts").map(this::expand)
                .orElse(options.knownHosts != null ? options.knownHosts : home.resolve(".ssh").resolve("known_hosts"));
        return new SshTarget(host, hostname, port, user, keys, Optional.ofNullable(options.passphraseEnv), knownHosts,
                policy(options.hostKeyChecking), Duration.ofSeconds(options.connectTimeoutSeconds), SshTarget.DEFAULT_CONNECT_RETRIES,
                SshTarget.DEFAULT_KEEPALIVE, string(vars, "fleet_transport"));
    }

    /** OpenSSH's default identities, those that exist. */
    private List<Path> defaultKeys() {
        return Stream.of("id_ed25519", "id_ecdsa", "id_rsa").map(k -> home.resolve(".ssh").resolve(k)).filter(Files::isReadable).toList();
    }

    private Path expand(String path) {
        return path.startsWith("~/") ? home.resolve(path.substring(2)) : Path.of(path);
    }

    private static Optional<String> string(Map<String, Object> vars, String key) {
        Object v = vars.get(key);
        return v == null || String.valueOf(v).isBlank() ? Optional.empty() : Optional.of(String.valueOf(v));
    }
}
