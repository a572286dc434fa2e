package org.omerofleet.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.omerofleet.executor.TargetResolver;
import org.omerofleet.transport.SshConfigFile;
import org.omerofleet.transport.SshTarget;

/**
 * Build connection targets from Ansible's connection variables, with the command line's defaults:
 * {@code ansible_host}, {@code ansible_port}, {@code ansible_user}, {@code ansible_ssh_private_key_file},
 * and our own {@code fleet_known_hosts}, {@code fleet_transport} and {@code fleet_jump_host}.
 */
final class Targets implements TargetResolver {

    private static final int DEFAULT_CONNECT_TIMEOUT = 10;

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
            throw new UsageException("cannot read the ssh config " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws UsageException when the host's variables or the ssh config name an impossible target (a bad port, a
     *     jump host that is not {@code [user@]host[:port]}, an unread proxy): the inventory is wrong, not the program
     */
    @Override
    public SshTarget resolve(String host, Map<String, Object> vars) {
        // inventory variables, then the command line, then ~/.ssh/config, then OpenSSH's defaults
        SshConfigFile.Entry config = lookup(host, host);
        Optional<String> jumpHost = string(vars, "fleet_jump_host");
        refuseUnreadProxies(host, vars, config, jumpHost.isPresent());
        String hostname = string(vars, "ansible_host").or(config::hostName).orElse(host);
        int port = string(vars, "ansible_port").map(p -> port(host, p)).or(config::port).orElse(22);
        String user = string(vars, "ansible_user").orElse(options.user != null ? options.user : config.user().orElse(localUser));
        List<Path> fromConfig = identities(config);
        List<Path> keys = string(vars, "ansible_ssh_private_key_file").map(k -> List.of(expand(k)))
                .orElse(options.privateKey != null ? List.of(options.privateKey) : fromConfig.isEmpty() ? defaultKeys() : fromConfig);
        Path knownHosts = string(vars, "fleet_known_hosts").map(this::expand)
                .orElse(options.knownHosts != null ? options.knownHosts : home.resolve(".ssh").resolve("known_hosts"));
        List<SshTarget> jumps = new ArrayList<>();
        for (String hop : jumpHost.or(config::proxyJump).filter(j -> !j.equalsIgnoreCase("none")).map(j -> j.split(",")).orElse(new String[0])) {
            jumps.add(jump(host, hop.strip(), keys, knownHosts));
        }
        return target(new Endpoint(host, hostname, port, user), new Keys(keys, knownHosts), string(vars, "fleet_transport"), jumps, config);
    }

    /** Who to log in as where: the inventory's name for the host, the address, port and user. */
    private record Endpoint(String name, String hostname, int port, String user) {
    }

    /** The keys to offer and the known_hosts file the host key is checked in. */
    private record Keys(List<Path> identities, Path knownHosts) {
    }

    private SshTarget target(Endpoint endpoint, Keys keys, Optional<String> transport, List<SshTarget> jumps, SshConfigFile.Entry config) {
        String name = endpoint.name();
        // the command line, then the ssh config, then our defaults; ServerAliveInterval 0 keeps our keepalive (dead peers must be seen)
        int timeout = Optional.ofNullable(options.connectTimeoutSeconds).or(config::connectTimeout).orElse(DEFAULT_CONNECT_TIMEOUT);
        Duration keepalive = config.serverAliveInterval().filter(s -> s > 0).map(Duration::ofSeconds).orElse(SshTarget.DEFAULT_KEEPALIVE);
        try {
            return new SshTarget(name, endpoint.hostname(), endpoint.port(), endpoint.user(), keys.identities(),
                    Optional.ofNullable(options.passphraseEnv), keys.knownHosts(),
                    options.hostKeyChecking.policy(), Duration.ofSeconds(timeout), SshTarget.DEFAULT_CONNECT_RETRIES, keepalive, transport, jumps);
        } catch (IllegalArgumentException e) { // SshTarget's checks of what the inventory or ssh config said
            String message = String.valueOf(e.getMessage());
            throw new UsageException(message.startsWith("host '") ? message : "host '" + name + "': " + message, e);
        }
    }

    private static int port(String host, String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new UsageException("host '" + host + "': ansible_port must be a number 1-65535, got '" + text + "'", e);
        }
    }

    /**
     * One hop of {@code fleet_jump_host} or {@code ProxyJump}: {@code [user@]host[:port]} ({@code [address]:port} for
     * IPv6), where {@code host} may be an ssh config alias. As with {@code ssh -J}, what the hop does not say comes
     * from the ssh config's entry for it, then from OpenSSH's defaults (your user, port 22); it is offered its own
     * {@code IdentityFile}s, else the keys of the host behind it, and checked in the same known_hosts file.
     */
    private SshTarget jump(String host, String hop, List<Path> targetKeys, Path knownHosts) {
        String rest = hop.startsWith("ssh://") ? hop.substring("ssh://".length()) : hop;
        int at = rest.lastIndexOf('@');
        Optional<String> user = at > 0 ? Optional.of(rest.substring(0, at)) : Optional.empty();
        rest = rest.substring(at + 1);
        int portAt = rest.startsWith("[") ? rest.indexOf("]:") + 1 : rest.lastIndexOf(':');
        String alias = (portAt > 0 ? rest.substring(0, portAt) : rest).replaceAll("^\\[(.*)]$", "$1");
        Optional<Integer> port;
        try {
            port = portAt > 0 ? Optional.of(Integer.parseInt(rest.substring(portAt + 1))) : Optional.empty();
        } catch (NumberFormatException e) {
            port = Optional.of(-1);
        }
        if (alias.isBlank() || alias.contains("/") || port.filter(p -> p < 1 || p > 65535).isPresent()) {
            throw new UsageException("host '" + host + "': jump host '" + hop + "' must be [user@]host[:port]");
        }
        SshConfigFile.Entry config = lookup(host, alias);
        List<Path> keys = identities(config);
        return target(new Endpoint(alias, config.hostName().orElse(alias), port.or(config::port).orElse(22), user.or(config::user).orElse(localUser)),
                new Keys(keys.isEmpty() ? targetKeys : keys, knownHosts), Optional.empty(), List.of(), config);
    }

    /**
     * Refuse proxy settings this program does not follow, rather than connect around them: the ssh config's
     * {@code ProxyCommand}, and Ansible's {@code ansible_ssh_common_args}/{@code ansible_ssh_extra_args} asking for a
     * jump or proxy (Ansible's own way to say what {@code fleet_jump_host} says).
     */
    private static void refuseUnreadProxies(String host, Map<String, Object> vars, SshConfigFile.Entry config, boolean jumpGiven) {
        if (jumpGiven) {
            return;
        }
        if (config.proxyCommand().isPresent()) {
            throw new UsageException("host '" + host + "': ProxyCommand in the ssh config is not supported; use ProxyJump, "
                    + "or set fleet_jump_host: [user@]host[:port] (or none to connect directly)");
        }
        for (String key : List.of("ansible_ssh_common_args", "ansible_ssh_extra_args")) {
            Optional<String> args = string(vars, key).filter(a -> a.matches("(?s).*(ProxyJump|ProxyCommand|(^|\\s)-J).*"));
            if (args.isPresent()) {
                throw new UsageException("host '" + host + "': " + key + " asks for a jump host or proxy, and ssh arguments "
                        + "are not read; set fleet_jump_host: [user@]host[:port] instead");
            }
        }
    }

    private SshConfigFile.Entry lookup(String host, String alias) {
        try {
            return sshConfig.lookup(alias);
        } catch (IOException e) {
            throw new UsageException("host '" + host + "': the ssh config cannot be applied: " + e.getMessage(), e);
        }
    }

    /** The entry's {@code IdentityFile}s that exist. */
    private List<Path> identities(SshConfigFile.Entry config) {
        return config.identities().stream().map(this::expand).filter(Files::isReadable).toList();
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
