package org.omerofleet.transport.mina;

import java.util.function.Function;
import org.omerofleet.transport.ConnectionContract;
import org.omerofleet.transport.ConnectionFactory;
import org.omerofleet.transport.PassphraseProvider;

/** The MINA SSHD transport against in-process sandbox hosts: real SSH, real /bin/sh. */
class MinaConnectionTest extends ConnectionContract {

    @Override
    protected ConnectionFactory newFactory(PassphraseProvider passphrases, Function<String, String> environment) {
        return new MinaConnectionFactory(passphrases, environment);
    }

    @Override
    protected boolean usesSshAgent() {
        return false;
    }
}
