package org.omerofleet.cli;

import java.io.Console;
import java.io.PrintStream;
import java.util.Optional;
import org.omerofleet.transport.PassphraseProvider;

/**
 * Ask for a private key's passphrase on the terminal, without echo; never from a pipe.
 */
final class ConsolePassphrase implements PassphraseProvider {

    private final PrintStream err;

    ConsolePassphrase(PrintStream err) {
        this.err = err;
    }

    @Override
    public Optional<char[]> passphrase(String keyFile) {
        Console console = System.console();
        if (console == null) {
            err.println("the key " + keyFile + " is encrypted and there is no terminal to ask for its passphrase: use --passphrase-env NAME");
            return Optional.empty();
        }
        return Optional.ofNullable(console.readPassword("Passphrase for %s: ", keyFile));
    }
}
