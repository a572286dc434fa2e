package org.omerofleet.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.sshd.client.config.hosts.HostConfigEntry;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;

/**
 * Read an OpenSSH client config ({@code ~/.ssh/config} or {@code --ssh-config FILE}) with MINA SSHD's
 * parser: {@code Host} patterns, {@code HostName}, {@code Port}, {@code User}, {@code IdentityFile}, {@code ProxyJump},
 * first value wins as in OpenSSH. The caller lets inventory variables override what it finds.
 */
public final class SshConfigFile {

    private final HostConfigEntryResolver resolver;

    private SshConfigFile(HostConfigEntryResolver resolver) {
        this.resolver = resolver;
    }

    /** {@return the config in {@code file}, or an empty one when the file does not exist} */
    public static SshConfigFile read(Path file) throws IOException {
        List<HostConfigEntry> entries = Files.isRegularFile(file) ? HostConfigEntry.readHostConfigEntries(file) : List.of();
        return new SshConfigFile(HostConfigEntry.toHostConfigEntryResolver(entries));
    }

    /**
     * What the config says for one host alias.
     *
     * @param hostName  {@code HostName}, if set
     * @param port      {@code Port}, if set
     * @param user      {@code User}, if set
     * @param identities {@code IdentityFile}s, with {@code ~} expanded
     * @param proxyJump {@code ProxyJump}, if set and not {@code none}
     * @param proxyCommand {@code ProxyCommand}, if set and not {@code none} (not supported: the caller refuses it)
     * @param connectTimeout {@code ConnectTimeout} in seconds, if set
     * @param serverAliveInterval {@code ServerAliveInterval} in seconds, if set (0 turns keepalives off)
     */
    public record Entry(Optional<String> hostName, Optional<Integer> port, Optional<String> user, List<String> identities,
                        Optional<String> proxyJump, Optional<String> proxyCommand, Optional<Integer> connectTimeout,
                        Optional<Integer> serverAliveInterval) {
    }

    /** {@return what the config says for {@code alias}} */
    public Entry lookup(String alias) throws IOException {
        HostConfigEntry e = resolver.resolveEffectiveHost(alias, 0, null, "", null, null);
        if (e == null) {
            return new Entry(Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty());
        }
        Optional<String> hostName = Optional.ofNullable(e.getHostName()).filter(h -> !h.isBlank() && !h.equals(alias));
        Optional<Integer> port = e.getPort() > 0 ? Optional.of(e.getPort()) : Optional.empty();
        Optional<String> user = Optional.ofNullable(e.getUsername()).filter(u -> !u.isBlank());
        List<String> ids = e.getIdentities() == null ? List.of() : List.copyOf(e.getIdentities());
        Optional<String> jump = Optional.ofNullable(e.getProxyJump()).filter(j -> !j.isBlank() && !j.equalsIgnoreCase("none"));
        Optional<String> command = Optional.ofNullable(e.getProperty("ProxyCommand")).filter(c -> !c.isBlank() && !c.equalsIgnoreCase("none"));
        return new Entry(hostName, port, user, ids, jump, command, seconds(e, "ConnectTimeout"), seconds(e, "ServerAliveInterval"));
    }

    private static Optional<Integer> seconds(HostConfigEntry e, String key) throws IOException {
        String value = e.getProperty(key);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        if (!value.strip().matches("\\d{1,6}")) {
            throw new IOException(key + " must be a whole number of seconds, got '" + value + "'");
        }
        return Optional.of(Integer.parseInt(value.strip()));
    }
}
