package org.omerofleet.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * The floor of the controller's own stack: a JVM that does nothing but what a one-host run must, with MINA
 * SSHD as the controller configures it (no Nagle delay, ed25519 host keys first): connect, authenticate with a key, check the host key
 * against known_hosts, and run a command N times, each on its own exec channel, then exit. {@code bench}
 * times it as a fresh JVM with a class-data-sharing archive of its own, beside the ssh ControlMaster floor.
 * Arguments: user, port, private key, known_hosts, command, count.
 */
public final class BareClient {

    private BareClient() {
    }

    public static void main(String[] args) throws Exception {
        Duration timeout = Duration.ofSeconds(30);
        SshClient client = SshClient.setUpDefaultClient();
        CoreModuleProperties.TCP_NODELAY.set(client, true);
        // ed25519 first, as the controller asks: the host key known_hosts records
        client.setSignatureFactories(client.getSignatureFactories().stream()
                .sorted(java.util.Comparator.comparing(f -> !f.getName().equals("ssh-ed25519"))).toList());
        client.setServerKeyVerifier(new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE, Path.of(args[3])));
        client.setKeyIdentityProvider(new FileKeyPairProvider(Path.of(args[2])));
        client.start();
        int failed = 0;
        try (ClientSession session = client.connect(args[0], "127.0.0.1", Integer.parseInt(args[1])).verify(timeout).getSession()) {
            session.auth().verify(timeout);
            for (int i = 0; i < Integer.parseInt(args[5]); i++) {
                try (ChannelExec channel = session.createExecChannel(args[4])) {
                    channel.open().verify(timeout);
                    channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
                    failed += channel.getExitStatus() == null || channel.getExitStatus() != 0 ? 1 : 0;
                }
            }
        } finally {
            client.stop();
        }
        System.exit(failed == 0 ? 0 : 1);
    }
}
