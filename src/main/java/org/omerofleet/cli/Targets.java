package org.omerofleet.cli;

import java.io.IOException;
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
import org.omerofleet.transport.mina.SshConfigFile;

/**
 * Build connection targets from Ansible's connection variables, with the command line's defaults:
 * {@code ansible_host}, {@code ansible_port}, {@code ansible_user}, {@code ansible_ssh_private_key_file},
 * and our own {@code fleet_known_hosts} and {@code fleet_transport}.
 */
final class Targets implements TargetResolver {

    private final ConnectionOptions options;
    private final Path home;
    private final String localUser;
    private final SshConfigFile sshConfig;

    Targets(ConnectionOptions options, Path home, String localUser) {
        this.options = options;
        this.home = home;
        this.localUser = localUser;
        Path file = options.sshConfig != null ? options.sshConfig : home.resolve(".ssh").resolve("config");
        try {
            this.sshConfig = SshConfigFile.read(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the ssh config " + file + ": " + e.getMessage(), e);
        }
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
        // inventory variables, then the command line, then ~/.ssh/config, then OpenSSH's defaults
        SshConfigFile.Entry config;
        try {
            config = sshConfig.lookup(host);
        } catch (IOException e) {
            throw new IllegalArgumentException("host '" + host + "': the ssh config cannot be applied: " + e.getMessage(), e);
        }
        if (config.proxyJump().isPresent() && string(vars, "ansible_host").isEmpty()) {
            throw new IllegalArgumentException("host '" + host + "': ProxyJump " + config.proxyJump().get()
                    + " in the ssh config is not supported yet; give the host a reachable ansible_host");
        }
        String hostname = string(vars, "ansible_host").or(config::hostName).orElse(host);
        int port = string(vars, "ansible_port").map(Integer::parseInt).or(config::port).orElse(22);
        String user = string(vars, "ansible_user").orElse(options.user != null ? options.user : config.user().orElse(localUser));
        List<Path> fromConfig = config.identities().stream().map(this::expand).filter(Files::isReadable).toList();
        List<Path> keys = string(vars, "ansible_ssh_private_key_file").map(k -> List.of(expand(k)))
                .orElse(options.privateKey != null ? List.of(options.privateKey) : fromConfig.isEmpty() ? defaultKeys() : fromConfig);
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
