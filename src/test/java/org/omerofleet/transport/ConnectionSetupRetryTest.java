package org.omerofleet.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.omerofleet.testing.RecordingConnection;

/** The retry policy both transports share, counted in attempts rather than timed. */
class ConnectionSetupRetryTest {

    private final ConnectionSetup setup = new ConnectionSetup();
    private final AtomicInteger attempts = new AtomicInteger();

    private static SshTarget target(int retries) {
        return new SshTarget("h1", "127.0.0.1", 22, "omero", List.of(Path.of("/nonexistent/key")), Optional.empty(),
                Path.of("/nonexistent/known_hosts"), HostKeyPolicy.STRICT, Duration.ofSeconds(2), retries, Duration.ZERO,
                Optional.empty(), List.of());
    }

    @Test
    void aRefusedKeyIsNeverRetried() {
        assertThrows(TransportException.AuthenticationException.class, () -> setup.open(target(3), () -> {
            attempts.incrementAndGet();
            throw new TransportException.AuthenticationException("h1: publickey refused", null);
        }));
        assertEquals(1, attempts.get());
    }

    @Test
    void aRejectedHostKeyIsNeverRetried() {
        assertThrows(TransportException.HostKeyRejectedException.class, () -> setup.open(target(3), () -> {
            attempts.incrementAndGet();
            throw new TransportException.HostKeyRejectedException("h1: HOST KEY CHANGED");
        }));
        assertEquals(1, attempts.get());
    }

    @Test
    void aFailedConnectIsTriedOnceMorePerRetryAndTheLastErrorIsReported() {
        TransportException e = assertThrows(TransportException.class, () -> setup.open(target(1), () -> {
            throw new TransportException.ConnectTimeoutException("attempt " + attempts.incrementAndGet() + " timed out", null);
        }));
        assertEquals(2, attempts.get());
        assertEquals("attempt 2 timed out", e.getMessage());
    }

    @Test
    void theFirstAttemptThatSucceedsIsTheConnection() throws Exception {
        RecordingConnection host = new RecordingConnection();
        Connection c = setup.open(target(2), () -> {
            if (attempts.incrementAndGet() == 1) {
                throw new TransportException("connection reset", null);
            }
            return host;
        });
        assertSame(host, c);
        assertEquals(2, attempts.get());
    }
}
