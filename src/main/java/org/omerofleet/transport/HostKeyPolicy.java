package org.omerofleet.transport;

/**
 * Say what to do with a host key that known_hosts does not hold. A key that differs from the
 * recorded one is always refused; there is no accept-all.
 */
public enum HostKeyPolicy {
    /** Refuse unknown host keys (OpenSSH {@code StrictHostKeyChecking=yes}). */
    STRICT,
    /** Record an unknown key in known_hosts and go on (OpenSSH {@code accept-new}). */
    ACCEPT_NEW
}
