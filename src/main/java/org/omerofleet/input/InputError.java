package org.omerofleet.input;

import java.util.Objects;
import java.util.Optional;

/**
 * Describe one problem in an input file, where it is and, when we can tell, how to fix it.
 */
public record InputError(SourcePosition where, String message, Optional<String> hint) {

    public InputError {
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(hint, "hint");
    }

    public InputError(SourcePosition where, String message) {
        this(where, message, Optional.empty());
    }

    public InputError(SourcePosition where, String message, String hint) {
        this(where, message, Optional.ofNullable(hint));
    }

    /** {@return {@code file:line:column: message (hint)}} */
    public String format() {
        return where + ": " + message + hint.map(h -> " (" + h + ")").orElse("");
    }

    @Override
    public String toString() {
        return format();
    }
}
