package org.omerofleet.transport;

import java.util.Optional;

/**
 * Supply the passphrase of an encrypted private key when no environment variable names one.
 */
@FunctionalInterface
public interface PassphraseProvider {

    /** {@return the passphrase for {@code keyFile}, or empty to give up on that key} */
    Optional<char[]> passphrase(String keyFile);

    /** {@return a provider that never knows a passphrase (non-interactive runs)} */
    static PassphraseProvider none() {
        return keyFile -> Optional.empty();
    }
}
