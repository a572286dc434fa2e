package org.omerofleet.sandbox;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A set of SSH hosts on 127.0.0.1 that the transport contract tests and the benchmark connect to: the in-process MINA
 * sandbox or real OpenSSH daemons. Every host accepts {@link #clientKey()} for {@link #user()} and is
 * listed in {@link #knownHosts()}.
 */
public interface SshFleet extends AutoCloseable {

    String user();

    /** {@return an unencrypted OpenSSH private key every host accepts} */
    Path clientKey();

    /** {@return a known_hosts file listing every host's key as {@code [127.0.0.1]:port}} */
    Path knownHosts();

    /** {@return the user, key and known_hosts file together, as an inventory of these hosts names them} */
    default LoopbackInventory.Access access() {
        return new LoopbackInventory.Access(user(), clientKey(), knownHosts());
    }

    int port(String host);

    /** {@return an empty directory of the host's own, absolute, for the files a test writes there} */
    Path workDir(String host);

    /** {@return the directory remote commands start in} */
    Path loginDirectory(String host);

    /** {@return the OpenSSH SHA-256 fingerprint ({@code SHA256:...}) of the host's key that {@link #knownHosts()} records} */
    String hostKeyFingerprint(String host);

    /** {@return every key the host offers, as {@code type base64}, the one {@link #knownHosts()} records first} */
    List<String> hostKeys(String host);

    /** Let every host accept the public key in {@code publicKeyFile} too. */
    void authorize(Path publicKeyFile) throws IOException;

    /** Take the host down, dropping its sessions, as a host that crashes does. */
    void stop(String host) throws IOException;

    boolean running(String host);

    /**
     * {@return whether a command killed by a signal is reported as SSH {@code exit-signal} (OpenSSH)
     * rather than as exit status 128+signal (the sandbox, which sees its shell through {@link Process})}
     */
    boolean reportsExitSignals();

    @Override
    void close();
}
