package org.omerofleet.transport;

/**
 * Open authenticated, host-key-verified connections.
 */
public interface ConnectionFactory extends AutoCloseable {

    /** {@return a connection to {@code target}, with bounded retries for connection setup only} */
    Connection open(SshTarget target) throws TransportException;

    @Override
    void close();
}
