package org.omerofleet.transport;

/**
 * An open local port forward; {@link #localPort()} on 127.0.0.1 reaches the remote end.
 */
public interface PortForward extends AutoCloseable {

    int localPort();

    @Override
    void close();
}
