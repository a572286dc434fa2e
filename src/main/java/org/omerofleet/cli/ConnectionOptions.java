package org.omerofleet.cli;

import java.nio.file.Path;
import java.util.Locale;
import org.omerofleet.transport.HostKeyPolicy;
import picocli.CommandLine.Option;

/**
 * Say how to reach and trust hosts: known_hosts, host-key policy, timeouts, default user and key.
 */
public final class ConnectionOptions {

    @Option(names = "--known-hosts", paramLabel = "FILE",
            description = "known_hosts file (default ~/.ssh/known_hosts; a host's fleet_known_hosts variable wins)")
    Path knownHosts;

    @Option(names = "--host-key-checking", paramLabel = "POLICY", defaultValue = "strict", converter = HostKeyChecking.Values.class,
            description = "${COMPLETION-CANDIDATES}: strict (default) refuses unknown keys, accept-new records them;"
                    + " a changed key is always refused")
    HostKeyChecking hostKeyChecking;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS",
            description = "budget for one connection attempt (default: the ssh config's ConnectTimeout, else 10); setup is retried twice with backoff")
    Integer connectTimeoutSeconds;

    @Option(names = {"-u", "--user"}, paramLabel = "USER", description = "remote user when the inventory gives no ansible_user")
    String user;

    @Option(names = "--private-key", paramLabel = "FILE",
            description = "private key when the inventory gives no ansible_ssh_private_key_file")
    Path privateKey;

    @Option(names = "--ssh-config", paramLabel = "FILE",
            description = "OpenSSH client config for HostName, Port, User, IdentityFile and ProxyJump (default ~/.ssh/config); inventory variables win")
    Path sshConfig;

    @Option(names = "--passphrase-env", paramLabel = "NAME",
            description = "environment variable holding the private key's passphrase (else you are prompted)")
    String passphraseEnv;

    @Option(names = {"-b", "--become"}, description = "run every task through sudo as --become-user (a play's or task's become wins)")
    boolean become;

    @Option(names = "--become-user", paramLabel = "USER", description = "the user to become (default root; a play's or task's become_user wins)")
    String becomeUser;

    @Option(names = {"-K", "--ask-become-pass"},
            description = "ask for the sudo password (BECOME password) on the terminal; a host's ansible_become_password wins")
    boolean askBecomePass;

    @Option(names = {"--become-password-file", "--become-pass-file"}, paramLabel = "FILE",
            description = "the sudo password: a file, or an executable script printing it; a host's ansible_become_password wins")
    Path becomePasswordFile;

    @Option(names = "--transport", paramLabel = "NAME", defaultValue = "mina", converter = Transport.Values.class,
            description = "SSH implementation: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}); a host's fleet_transport variable wins")
    Transport transport;

    /**
     * {@return the become password of the command line, read (or asked for) now, before any host is touched}
     * As in Ansible: {@code -K}, else {@code --become-password-file} (or ansible.cfg's
     * {@code become_password_file}), else {@code ANSIBLE_SUDO_PASS}, else {@code ANSIBLE_BECOME_PASS}, else
     * ansible.cfg's {@code [sudo_become_plugin] password}; an empty answer to the prompt is no password. A
     * host's {@code ansible_become_password} wins over all of them (applied per host by the executor).
     */
    java.util.Optional<String> becomePassword(java.util.Map<String, String> env, AnsibleConfig config) {
        if (askBecomePass) {
            java.io.Console console = System.console();
            if (console == null) {
                throw new UsageException("there is no terminal to ask for the become password: use --become-password-file FILE");
            }
            char[] typed = console.readPassword("BECOME password: ");
            String password = typed == null ? "" : new String(typed);
            if (typed != null) {
                java.util.Arrays.fill(typed, '\0');
            }
            return password.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(password);
        }
        if (becomePasswordFile != null) {
            return java.util.Optional.of(new String(VaultOptions.password(becomePasswordFile, "become password"),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        return java.util.Optional.ofNullable(env.get("ANSIBLE_SUDO_PASS")).or(() -> java.util.Optional.ofNullable(env.get("ANSIBLE_BECOME_PASS")))
                .filter(p -> !p.isEmpty()).or(() -> config.string("password"));
    }

    /** The values of {@code --host-key-checking}; there is deliberately no accept-all. */
    enum HostKeyChecking {
        STRICT("strict", HostKeyPolicy.STRICT),
        ACCEPT_NEW("accept-new", HostKeyPolicy.ACCEPT_NEW);

        private final String option;
        private final HostKeyPolicy policy;

        HostKeyChecking(String option, HostKeyPolicy policy) {
            this.option = option;
            this.policy = policy;
        }

        HostKeyPolicy policy() {
            return policy;
        }

        static final class Values extends EnumValues<HostKeyChecking> {
            Values() {
                super(HostKeyChecking.class);
            }
        }

        /** {@return the value as written on the command line} picocli matches and lists values by it. */
        @Override
        public String toString() {
            return option;
        }
    }

    /** The values of {@code --transport}: the SSH implementations {@link Main} wires. */
    enum Transport {
        MINA, JSCH;

        static final class Values extends EnumValues<Transport> {
            Values() {
                super(Transport.class);
            }
        }

        /** {@return the value as written on the command line and in {@code fleet_transport}} */
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
