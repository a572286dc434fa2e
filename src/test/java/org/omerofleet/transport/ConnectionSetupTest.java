package org.omerofleet.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.omerofleet.testing.FakeConnectionFactory;

/**
 * The connection-setup policy with scripted attempts: which failures are retried, how often, and how
 * many handshakes run at once. Attempts meet on latches and barriers, never on the clock; the pauses
 * between attempts are recorded, not slept.
 */
class ConnectionSetupTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final List<Duration> pauses = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    private ConnectionSetup setup(int maximum) {
        return new ConnectionSetup(maximum, d -> {
            synchronized (pauses) {
                pauses.add(d);
            }
        });
    }

    private static SshTarget host(String name, int retries) {
        return new SshTarget(name, "127.0.0.1", 22, "omero", List.of(), Optional.empty(), Path.of("known_hosts"), HostKeyPolicy.STRICT,
                Duration.ofSeconds(10), retries, Duration.ZERO, Optional.empty(), List.of());
    }

    /** {@return an open stand-in connection: these tests are about setting connections up, not using them} */
    private static Connection connected() throws TransportException {
        try (FakeConnectionFactory hosts = new FakeConnectionFactory()) {
            return hosts.open(host("h", 0));
        }
    }

    private static TransportException timeout() {
        return new TransportException.ConnectTimeoutException("no connection within 10 s", null);
    }

    @Test
    void aTimeoutWithNoOtherHandshakeInProgressIsTheHostsAndUsesOnlyItsRetries() {
        ConnectionSetup setup = setup(8);
        AtomicInteger attempts = new AtomicInteger();
        assertThrows(TransportException.ConnectTimeoutException.class, () -> setup.open(host("h", 1), () -> {
            attempts.incrementAndGet();
            throw timeout();
        }));
        assertEquals(2, attempts.get());
        assertEquals(List.of(Duration.ofMillis(500)), pauses);
        assertEquals(8, setup.cap(), "a lone timeout says nothing about the controller");
    }

    @Test
    void aTimeoutAmongOtherHandshakesNarrowsTheCapAndIsRetriedBeyondTheHostsRetries() throws Exception {
        ConnectionSetup setup = setup(8);
        CountDownLatch othersInProgress = new CountDownLatch(1);
        CountDownLatch finishOthers = new CountDownLatch(1);
        Future<Connection> other = threads.submit(() -> setup.open(host("other", 0), () -> {
            othersInProgress.countDown();
            await(finishOthers);
            return connected();
        }));
        assertTrue(othersInProgress.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        AtomicInteger attempts = new AtomicInteger();
        Connection c = setup.open(host("busy", 0), () -> {
            if (attempts.incrementAndGet() < 3) {
                throw timeout();
            }
            return connected();
        });
        assertTrue(c.isOpen());
        assertEquals(3, attempts.get(), "no retries of its own, two for the saturated controller");
        assertEquals(List.of(Duration.ofMillis(500), Duration.ofSeconds(1)), pauses, "with backoff");
        assertEquals(3, setup.cap(), "8 halved twice (each timeout started under the cap before it), then one success");
        finishOthers.countDown();
        other.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(4, setup.cap(), "every success raises the cap again");
    }

    @Test
    void handshakesThatTimeOutTogetherHalveTheCapOnce() throws Exception {
        ConnectionSetup setup = setup(4);
        CyclicBarrier allInProgress = new CyclicBarrier(4);
        List<Future<?>> hosts = new ArrayList<>();
        List<Integer> capOnRetry = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            AtomicInteger attempts = new AtomicInteger();
            hosts.add(threads.submit(() -> assertThrows(TransportException.class, () -> setup.open(host("h", 0), () -> {
                if (attempts.incrementAndGet() == 1) {
                    meet(allInProgress);
                    throw timeout();
                }
                synchronized (capOnRetry) {
                    capOnRetry.add(setup.cap());
                }
                throw new TransportException("connection refused");
            }))));
        }
        for (Future<?> f : hosts) {
            f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        assertEquals(4, capOnRetry.size(), "each timed-out host was tried again");
        assertEquals(2, setup.cap(), "four timeouts under one cap halve it once, not to 1");
    }

    @Test
    void noMoreHandshakesThanTheCapRunAtOnce() throws Exception {
        ConnectionSetup setup = setup(2);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Future<Connection>> hosts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            hosts.add(threads.submit(() -> setup.open(host("h", 0), () -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                await(finish);
                running.decrementAndGet();
                return connected();
            })));
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (setup.load()[0] + setup.load()[1] < 5 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        int[] load = setup.load();
        assertEquals(2, load[0], "in progress");
        assertEquals(3, load[1], "waiting for a slot");
        finish.countDown();
        for (Future<Connection> f : hosts) {
            assertTrue(f.get(WAIT.toSeconds(), TimeUnit.SECONDS).isOpen());
        }
        assertEquals(2, most.get());
    }

    @Test
    void aRefusedHostKeyIsNeverRetried() {
        ConnectionSetup setup = setup(8);
        TransportException refused = new TransportException.HostKeyRejectedException("HOST KEY CHANGED");
        AtomicInteger attempts = new AtomicInteger();
        assertSame(refused, assertThrows(TransportException.class, () -> setup.open(host("h", 3), () -> {
            attempts.incrementAndGet();
            throw refused;
        })));
        assertEquals(1, attempts.get());
        assertTrue(pauses.isEmpty());
    }

    private static void meet(CyclicBarrier barrier) throws TransportException {
        try {
            barrier.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new TransportException("the other handshakes did not start", e);
        }
    }

    private static void await(CountDownLatch latch) throws TransportException {
        try {
            if (!latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new TransportException("the test did not release the attempt");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted", e);
        }
    }
}
