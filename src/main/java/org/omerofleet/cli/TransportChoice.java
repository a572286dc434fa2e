package org.omerofleet.cli;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.omerofleet.transport.Connection;
import org.omerofleet.transport.ConnectionFactory;
import org.omerofleet.transport.SshTarget;
import org.omerofleet.transport.TransportException;

/**
 * Route each host to the SSH implementation it asks for ({@code fleet_transport}) or to the run's
 * default ({@code --transport}). Each implementation's factory is made on first use and closed with
 * this one, so a run that never names {@code jsch} never starts it.
 */
final class TransportChoice implements ConnectionFactory {

    private final String defaultName;
    private final Map<String, Supplier<ConnectionFactory>> makers;
    private final Map<String, ConnectionFactory> started = new ConcurrentHashMap<>();

    /**
     * @param defaultName the implementation for hosts that name none
     * @param makers      every implementation by its name
     * @throws UsageException when {@code defaultName} is not one of {@code makers}
     */
    TransportChoice(String defaultName, Map<String, Supplier<ConnectionFactory>> makers) {
        this.makers = new TreeMap<>(makers);
        this.defaultName = defaultName.toLowerCase(Locale.ROOT);
        if (!this.makers.containsKey(this.defaultName)) {
            throw new UsageException("--transport must be one of " + String.join(", ", this.makers.keySet())
                    + ", got '" + defaultName + "'");
        }
    }

    @Override
    public Connection open(SshTarget target) throws TransportException {
        String name = target.transport().map(t -> t.toLowerCase(Locale.ROOT)).orElse(defaultName);
        Supplier<ConnectionFactory> maker = makers.get(name);
        if (maker == null) {
            throw new TransportException("host '" + target.name() + "': fleet_transport must be one of "
                    + String.join(", ", makers.keySet()) + ", got '" + target.transport().orElse("") + "'");
        }
        return started.computeIfAbsent(name, n -> maker.get()).open(target);
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (ConnectionFactory factory : started.values()) {
            try {
                factory.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        started.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
