package org.omerofleet.transport.mina;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.omerofleet.sandbox.OpenSshFleet;
import org.omerofleet.sandbox.SshFleet;
import org.omerofleet.transport.ConnectionContract;
import org.omerofleet.transport.ConnectionFactory;
import org.omerofleet.transport.PassphraseProvider;

/** The MINA SSHD transport against real OpenSSH daemons; skipped where sshd is not installed. */
class MinaAgainstOpenSshTest extends ConnectionContract {

    @Override
    protected ConnectionFactory newFactory(PassphraseProvider passphrases, Function<String, String> environment) {
        return new MinaConnectionFactory(passphrases, environment);
    }

    @Override
    protected boolean usesSshAgent() {
        return false;
    }

    @Override
    protected SshFleet startFleet(Path root, List<String> names) throws Exception {
        Assumptions.assumeTrue(OpenSshFleet.available(), "no /usr/sbin/sshd: install openssh-server");
        return OpenSshFleet.start(root, names);
    }
}
