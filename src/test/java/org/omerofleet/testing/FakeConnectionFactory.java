package org.omerofleet.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.Connection;
import org.omerofleet.transport.ConnectionFactory;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.PortForward;
import org.omerofleet.transport.SshTarget;
import org.omerofleet.transport.TransportException;

/**
 * Script connection outcomes for executor tests: hosts that cannot be reached, hosts whose commands
 * fail, hosts that go away after N commands. Records every command per host.
 */
public final class FakeConnectionFactory implements ConnectionFactory {

    private final Set<String> unreachable = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> dropAfter = new ConcurrentHashMap<>();
    private final Map<String, String> failOn = new ConcurrentHashMap<>();
    private final Map<String, List<String>> commands = new ConcurrentHashMap<>();
    private final Set<String> hostKeyRejected = ConcurrentHashMap.newKeySet();

    public FakeConnectionFactory unreachable(String host) {
        unreachable.add(host);
        return this;
    }

    /** The host answers {@code n} commands, then its connection is lost for good. */
    public FakeConnectionFactory dropAfter(String host, int n) {
        dropAfter.put(host, n);
        return this;
    }

    /** Commands containing {@code marker} exit 1 on this host. */
    public FakeConnectionFactory failOn(String host, String marker) {
        failOn.put(host, marker);
        return this;
    }

    public FakeConnectionFactory rejectHostKey(String host) {
        hostKeyRejected.add(host);
        return this;
    }

    public List<String> commands(String host) {
        return commands.getOrDefault(host, List.of());
    }

    @Override
    public Connection open(SshTarget target) throws TransportException {
        String host = target.name();
        if (hostKeyRejected.contains(host)) {
            throw new TransportException.HostKeyRejectedException("host key for " + host + " changed: expected SHA256:aaa, got SHA256:bbb");
        }
        if (unreachable.contains(host) || (dropAfter.containsKey(host) && commands(host).size() >= dropAfter.get(host))) {
            throw new TransportException.ConnectTimeoutException("connect to " + host + " timed out", null);
        }
        return new Fake(host);
    }

    @Override
    public void close() {
    }

    private final class Fake implements Connection {
        private final String host;
        private volatile boolean open = true;

        Fake(String host) {
            this.host = host;
        }

        @Override
        public CommandResult exec(ExecRequest request) throws TransportException {
            List<String> log = commands.computeIfAbsent(host, h -> new CopyOnWriteArrayList<>());
            Integer limit = dropAfter.get(host);
            if (limit != null && log.size() >= limit) {
                open = false;
                throw new TransportException("connection to " + host + " lost", null, true);
            }
            log.add(request.command());
            String marker = failOn.get(host);
            boolean fail = marker != null && request.command().contains(marker);
            return new CommandResult(OptionalInt.of(fail ? 1 : 0), Optional.empty(), fail ? "" : "out-" + host + "\n",
                    fail ? "boom on " + host + "\n" : "", false, Duration.ofMillis(1));
        }

        @Override
        public String upload(Path local, String remotePath, int mode, java.util.Optional<String> sha256) {
            throw new UnsupportedOperationException("not scripted");
        }

        @Override
        public String download(String remotePath, Path local) {
            throw new UnsupportedOperationException("not scripted");
        }

        @Override
        public PortForward forwardLocal(String h, int port) {
            throw new UnsupportedOperationException("not scripted");
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }
}
