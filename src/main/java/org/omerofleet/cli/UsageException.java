package org.omerofleet.cli;

/**
 * Report that the command line asks for something that cannot be done (a bad option value, a missing
 * file); found before any host was touched, so it exits with {@link ExitCodes#INVALID_INPUT}. Any other
 * {@link IllegalArgumentException} reaching {@link Main} is a bug and exits with
 * {@link ExitCodes#INTERNAL_ERROR}.
 */
final class UsageException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }

    UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
