package org.omerofleet.transport;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * A view of a shared connection that changes how commands run and passes everything else through,
 * upload progress included. Closing the view leaves the shared connection open: it belongs to the run's
 * pool.
 */
public abstract class ForwardingConnection implements Connection {

    private final Connection connection;

    protected ForwardingConnection(Connection connection) {
        this.connection = connection;
    }

    /** {@return the connection this view runs on} */
    protected final Connection delegate() {
        return connection;
    }

    @Override
    public String upload(Path local, String remotePath, int mode, Optional<String> sha256) throws TransportException {
        return connection.upload(local, remotePath, mode, sha256);
    }

    @Override
    public String upload(Path local, String remotePath, int mode, Optional<String> sha256, LongConsumer sent) throws TransportException {
        return connection.upload(local, remotePath, mode, sha256, sent);
    }

    @Override
    public String download(String remotePath, Path local) throws TransportException {
        return connection.download(remotePath, local);
    }

    @Override
    public PortForward forwardLocal(String host, int port) throws TransportException {
        return connection.forwardLocal(host, port);
    }

    @Override
    public boolean isOpen() {
        return connection.isOpen();
    }

    @Override
    public String negotiated() {
        return connection.negotiated();
    }

    @Override
    public void close() {
        // the underlying connection belongs to the run's pool
    }
}
