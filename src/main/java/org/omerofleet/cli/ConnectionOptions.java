package org.omerofleet.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Say how to reach and trust hosts: known_hosts, host-key policy, timeouts, default user and key.
 */
public final class ConnectionOptions {

    @Option(names = "--known-hosts", paramLabel = "FILE",
            description = "known_hosts file (default ~/.ssh/known_hosts; a host's fleet_known_hosts variable wins)")
    Path knownHosts;

    @Option(names = "--host-key-checking", paramLabel = "POLICY", defaultValue = "strict",
            description = "strict (default: unknown keys refused) or accept-new (record unknown keys); a changed key is always refused")
    String hostKeyChecking;

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
            description = "refused: become runs sudo -n, which never asks for a password; give the remote user NOPASSWD sudo")
    boolean askBecomePass;

    @Option(names = "--transport", paramLabel = "NAME", defaultValue = "mina",
            description = "SSH implementation: mina (default) or jsch; a host's fleet_transport variable wins")
    String transport;
}
