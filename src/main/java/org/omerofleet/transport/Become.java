package org.omerofleet.transport;

import java.util.Objects;
import java.util.Optional;

/**
 * How a task's commands become another user: the user, and the sudo password when sudo asks for one.
 *
 * @param user     a plain user name (letters, digits, '.', '_', '-'), never starting with '-'
 * @param password the password sudo asks for ({@code -K}, {@code --become-password-file} or the host's
 *                 {@code ansible_become_password}); empty: sudo must not ask ({@code sudo -n})
 */
public record Become(String user, Optional<String> password) {

    public Become {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (!user.matches("[A-Za-z_][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("become_user must be a plain user name, got '" + user + "'");
        }
        if (password.isPresent() && (password.get().indexOf('\n') >= 0 || password.get().indexOf('\r') >= 0)) {
            throw new IllegalArgumentException("a become password cannot hold a line break (sudo reads one line)");
        }
    }

    /** {@return the user, without a password} */
    public static Become user(String user) {
        return new Become(user, Optional.empty());
    }

    /** The password never appears in a log line, a report or an exception message. */
    @Override
    public String toString() {
        return "Become[" + user + (password.isPresent() ? ", password ********]" : "]");
    }
}
