package org.omerofleet.testing;

import org.omerofleet.sandbox.SshFleet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.omerofleet.sandbox.SandboxFleet;

/** The in-process MINA sandbox as a {@link SshFleet}: commands start in each host's own home. */
public final class SandboxTestFleet implements SshFleet {

    private final SandboxFleet fleet;

    private SandboxTestFleet(SandboxFleet fleet) {
        this.fleet = fleet;
    }

    /** {@return a started sandbox with one host per name under {@code root}} */
    public static SandboxTestFleet start(Path root, List<String> names) throws IOException {
        return new SandboxTestFleet(SandboxFleet.start(root, names));
    }

    @Override
    public String user() {
        return fleet.user();
    }

    @Override
    public Path clientKey() {
        return fleet.clientKey();
    }

    @Override
    public Path knownHosts() {
        return fleet.knownHosts();
    }

    @Override
    public int port(String host) {
        return fleet.host(host).port();
    }

    @Override
    public Path workDir(String host) {
        return fleet.host(host).home().toAbsolutePath();
    }

    @Override
    public Path loginDirectory(String host) {
        return fleet.host(host).home().toAbsolutePath();
    }

    @Override
    public String hostKeyFingerprint(String host) {
        return KeyUtils.getFingerPrint(fleet.host(host).hostKey());
    }

    @Override
    public List<String> hostKeys(String host) {
        return List.of(PublicKeyEntry.toString(fleet.host(host).hostKey()));
    }

    @Override
    public void authorize(Path publicKeyFile) throws IOException {
        try {
            String line = Files.readString(publicKeyFile, StandardCharsets.UTF_8).strip();
            fleet.authorize(PublicKeyEntry.parsePublicKeyEntry(line).resolvePublicKey(null, null, null));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read " + publicKeyFile, e);
        }
    }

    @Override
    public void stop(String host) throws IOException {
        fleet.host(host).stop();
    }

    @Override
    public boolean running(String host) {
        return fleet.host(host).running();
    }

    @Override
    public boolean reportsExitSignals() {
        return false;
    }

    @Override
    public void close() {
        fleet.close();
    }
}
