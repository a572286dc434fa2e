package org.omerofleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.omerofleet.transport.Connection;
import org.omerofleet.transport.ConnectionFactory;
import org.omerofleet.transport.SshTarget;
import org.omerofleet.transport.TransportException;

/** Each host reaches the SSH implementation it names, or the run's default. */
class TransportChoiceTest {

    private final List<String> events = new CopyOnWriteArrayList<>();

    /** A factory that records its creation, every open (then refuses it, naming itself) and its close. */
    private Supplier<ConnectionFactory> recording(String name) {
        return () -> {
            events.add("start " + name);
            return new ConnectionFactory() {
                @Override
                public Connection open(SshTarget target) throws TransportException {
                    events.add(name + " " + target.name());
                    throw new TransportException(name);
                }

                @Override
                public void close() {
                    events.add("close " + name);
                }
            };
        };
    }

    private TransportChoice choice(String defaultName) {
        return new TransportChoice(defaultName, Map.of("mina", recording("mina"), "jsch", recording("jsch")));
    }

    private static SshTarget target(String name, Map<String, Object> vars) {
        ConnectionOptions options = new ConnectionOptions();
        options.hostKeyChecking = ConnectionOptions.HostKeyChecking.STRICT;
        options.connectTimeoutSeconds = 10;
        return new Targets(options, Path.of("/home/u"), "u").resolve(name, vars);
    }

    @Test
    void hostsWithoutFleetTransportUseTheDefaultAndOthersTheirOwn() {
        try (TransportChoice choice = choice("mina")) {
            assertThrows(TransportException.class, () -> choice.open(target("a", Map.of())));
            assertThrows(TransportException.class, () -> choice.open(target("b", Map.of("fleet_transport", "jsch"))));
            assertThrows(TransportException.class, () -> choice.open(target("c", Map.of("fleet_transport", "JSch"))));
        }
        assertEquals(List.of("start mina", "mina a", "start jsch", "jsch b", "jsch c"), events.subList(0, 5));
        assertEquals(Set.of("close mina", "close jsch"), Set.copyOf(events.subList(5, events.size())));
    }

    @Test
    void anImplementationNoHostNamesIsNeverStarted() {
        try (TransportChoice choice = choice("jsch")) {
            assertThrows(TransportException.class, () -> choice.open(target("a", Map.of())));
        }
        assertEquals(List.of("start jsch", "jsch a", "close jsch"), events);
    }

    @Test
    void anUnknownFleetTransportMakesThatHostUnreachableWithAClearMessage() {
        try (TransportChoice choice = choice("mina")) {
            TransportException e = assertThrows(TransportException.class, () -> choice.open(target("odd", Map.of("fleet_transport", "paramiko"))));
            assertEquals("host 'odd': fleet_transport must be one of jsch, mina, got 'paramiko'", e.getMessage());
        }
        assertEquals(List.of(), events);
    }

    @Test
    void anUnknownDefaultIsInvalidInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> choice("libssh"));
        assertEquals("--transport must be one of jsch, mina, got 'libssh'", e.getMessage());
    }

    @Test
    void targetsCarryFleetTransportFromTheInventory() {
        assertEquals(Optional.of("jsch"), target("h", Map.of("fleet_transport", "jsch")).transport());
        assertTrue(target("h", Map.of()).transport().isEmpty());
    }
}
