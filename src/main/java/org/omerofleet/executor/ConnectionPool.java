package org.omerofleet.executor;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.omerofleet.transport.Connection;
import org.omerofleet.transport.ConnectionFactory;
import org.omerofleet.transport.LocalConnection;
import org.omerofleet.transport.SshTarget;
import org.omerofleet.transport.TransportException;

/**
 * Hold one connection per host for the whole run, opened on first use and reopened only when the
 * previous one was lost.
 */
final class ConnectionPool implements AutoCloseable {

    private final ConnectionFactory factory;
    private final Function<String, SshTarget> targets;
    private final Map<String, Connection> open = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final java.util.function.Predicate<String> local;

    ConnectionPool(ConnectionFactory factory, Function<String, SshTarget> targets) {
        this(factory, targets, host -> false);
    }

    /** @param local which host names are the controller itself, reached without SSH */
    ConnectionPool(ConnectionFactory factory, Function<String, SshTarget> targets, java.util.function.Predicate<String> local) {
        this.factory = factory;
        this.targets = targets;
        this.local = local;
    }

    /** {@return the host's live connection, opening one if there is none or it was lost} */
    Connection get(String host) throws TransportException {
        // delegation lets several hosts' threads reach one host: one opens it, the others wait for it
        synchronized (locks.computeIfAbsent(host, h -> new Object())) {
            return getLocked(host);
        }
    }

    private Connection getLocked(String host) throws TransportException {
        if (local.test(host)) {
            return open.computeIfAbsent(host, h -> new LocalConnection());
        }
        Connection existing = open.get(host);
        if (existing != null && existing.isOpen()) {
            return existing;
        }
        // one thread per host at a time drives a host, so no two opens race for the same host
        Connection fresh = factory.open(targets.apply(host));
        Connection previous = open.put(host, fresh);
        if (previous != null) {
            previous.close();
        }
        return fresh;
    }

    @Override
    public void close() {
        open.values().parallelStream().forEach(Connection::close);
        open.clear();
    }
}
