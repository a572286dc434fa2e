package org.omerofleet.transport.jsch;

import java.util.function.Function;
import org.omerofleet.transport.ConnectionContract;
import org.omerofleet.transport.ConnectionFactory;
import org.omerofleet.transport.PassphraseProvider;

/** The JSch transport against in-process sandbox hosts: real SSH, real /bin/sh. */
class JschConnectionTest extends ConnectionContract {

    @Override
    protected ConnectionFactory newFactory(PassphraseProvider passphrases, Function<String, String> environment) {
        return new JschConnectionFactory(passphrases, environment);
    }

    @Override
    protected boolean usesSshAgent() {
        return true;
    }
}
