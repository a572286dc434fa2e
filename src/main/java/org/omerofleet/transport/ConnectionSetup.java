package org.omerofleet.transport;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The connection-setup policy both transports share: bounded retries with a doubling pause for
 * connection setup only (never for a refused key or host key), and a cap on handshakes in progress
 * at once. Key exchange costs CPU on both ends: a thousand at once on a small controller would each
 * miss the connect timeout, and sshd's MaxStartups (10:30:100) drops connections that pile up
 * unauthenticated. Waiting for a slot does not count against the connect timeout.
 *
 * <p>The cap adapts. A connect that times out while other handshakes were in progress (when it started or
 * when it gave up) says as much
 * about the controller as about the host: on saturated cores, 32 key exchanges at once can each miss
 * the timeout. So such a timeout halves the cap (once per generation of the cap: the handshakes that
 * started under the same cap and time out together halve it once, not once each), and is retried
 * under the smaller cap with up to {@link #CONTENDED_EXTRA_ATTEMPTS} attempts beyond the host's
 * retries; every handshake that succeeds raises the cap by one again, up to
 * {@link #CONCURRENT_HANDSHAKES}. A timeout with no other handshake in progress is the host's and
 * counts as any other failure.
 */
public final class ConnectionSetup {

    /** Handshakes in progress at once per factory, at most. */
    public static final int CONCURRENT_HANDSHAKES = 32;

    /** Attempts beyond a host's retries for timeouts that happened while other handshakes were in progress. */
    public static final int CONTENDED_EXTRA_ATTEMPTS = 2;

    private static final Duration FIRST_RETRY_PAUSE = Duration.ofMillis(500);

    /** Waits between attempts ({@link Thread#sleep} in production). */
    @FunctionalInterface
    interface Pause {
        void pause(Duration d) throws InterruptedException;
    }

    private final int maximum;
    private final Pause pause;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Condition slotFree = lock.newCondition();
    private int cap;
    private int inProgress;
    private int waiting;
    /** Counts the cap's reductions: a timeout halves the cap only if its handshake started under the current one. */
    private long generation;

    public ConnectionSetup() {
        this(CONCURRENT_HANDSHAKES, d -> Thread.sleep(d.toMillis()));
    }

    ConnectionSetup(int maximum, Pause pause) {
        this.maximum = maximum;
        this.cap = maximum;
        this.pause = pause;
    }

    /** One connection attempt: connect, exchange keys, authenticate. */
    @FunctionalInterface
    public interface Attempt {
        Connection run() throws TransportException;
    }

    /** What one handshake saw when it started: the cap's generation, and whether others were in progress. */
    private record Slot(long generation, boolean contended) {
    }

    /** {@return a connection from the first attempt that succeeds, pausing 0.5 s, 1 s, 2 s... between attempts} */
    public Connection open(SshTarget target, Attempt attempt) throws TransportException {
        TransportException last = null;
        int failures = 0;
        int contendedTimeouts = 0;
        while (failures - Math.min(contendedTimeouts, CONTENDED_EXTRA_ATTEMPTS) <= target.connectRetries()) {
            if (failures > 0) {
                pause(FIRST_RETRY_PAUSE.multipliedBy(1L << Math.min(failures - 1, 6)));
            }
            Slot slot = acquire(target);
            boolean succeeded = false;
            try {
                Connection c = attempt.run();
                succeeded = true;
                return c;
            } catch (TransportException.AuthenticationException | TransportException.HostKeyRejectedException e) {
                throw e;
            } catch (TransportException e) {
                last = e;
                failures++;
                if (e instanceof TransportException.ConnectTimeoutException && (slot.contended() || othersInProgress())) {
                    contendedTimeouts++;
                    narrow(slot);
                }
            } finally {
                release(succeeded);
            }
        }
        throw last;
    }

    private Slot acquire(SshTarget target) throws TransportException {
        lock.lock();
        try {
            waiting++;
            try {
                while (inProgress >= cap) {
                    slotFree.await();
                }
            } finally {
                waiting--;
            }
            inProgress++;
            return new Slot(generation, inProgress > 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted while waiting to connect to " + target.name(), e);
        } finally {
            lock.unlock();
        }
    }

    private void release(boolean succeeded) {
        lock.lock();
        try {
            inProgress--;
            if (succeeded && cap < maximum) {
                cap++;
            }
            slotFree.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** {@return whether handshakes other than the caller's are in progress} */
    private boolean othersInProgress() {
        lock.lock();
        try {
            return inProgress > 1;
        } finally {
            lock.unlock();
        }
    }

    /** Halve the cap, once for all the handshakes that started under the current one. */
    private void narrow(Slot slot) {
        lock.lock();
        try {
            if (slot.generation() == generation && cap > 1) {
                cap = Math.max(1, cap / 2);
                generation++;
            }
        } finally {
            lock.unlock();
        }
    }

    /** {@return how many handshakes may be in progress at once now} */
    int cap() {
        lock.lock();
        try {
            return cap;
        } finally {
            lock.unlock();
        }
    }

    /** {@return handshakes in progress, and callers waiting for a slot, now} */
    int[] load() {
        lock.lock();
        try {
            return new int[] {inProgress, waiting};
        } finally {
            lock.unlock();
        }
    }

    private void pause(Duration d) throws TransportException {
        try {
            pause.pause(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted while waiting to reconnect", e);
        }
    }
}
