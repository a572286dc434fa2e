package org.omerofleet.transport;

/**
 * Report that remote work could not be done, or that its outcome is unknown.
 *
 * <p>{@link #outcomeUnknown()} is true when a command may have started on the host before the
 * connection failed: the caller must probe before deciding anything (reliability.md NET-06).
 */
public class TransportException extends Exception {

    private final boolean outcomeUnknown;

    public TransportException(String message, Throwable cause) {
        this(message, cause, false);
    }

    public TransportException(String message) {
        this(message, null, false);
    }

    public TransportException(String message, Throwable cause, boolean outcomeUnknown) {
        super(message, cause);
        this.outcomeUnknown = outcomeUnknown;
    }

    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }

    /** The server refused every key offered. */
    public static class AuthenticationException extends TransportException {
        public AuthenticationException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * sudo would not run a become task's command: a wrong or missing password, or a login sudo refuses.
     * The host is reachable; the task fails, as Ansible's does ("Incorrect sudo password").
     */
    public static class BecomeRefusedException extends AuthenticationException {
        public BecomeRefusedException(String message) {
            super(message, null);
        }
    }

    /** The host key is unknown (under the strict policy) or differs from the one recorded. */
    public static class HostKeyRejectedException extends TransportException {
        public HostKeyRejectedException(String message) {
            super(message);
        }
    }

    /** No connection could be set up within the connect timeout and its retries. */
    public static class ConnectTimeoutException extends TransportException {
        public ConnectTimeoutException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
