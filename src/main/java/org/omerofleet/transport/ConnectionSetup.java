package org.omerofleet.transport;

import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * The connection-setup policy both transports share: bounded retries with a doubling pause for
 * connection setup only (never for a refused key or host key), and a cap on handshakes in progress
 * at once. Key exchange costs CPU on both ends: a thousand at once on a small controller would each
 * miss the connect timeout, and sshd's MaxStartups (10:30:100) drops connections that pile up
 * unauthenticated. Waiting for a slot does not count against the connect timeout.
 */
public final class ConnectionSetup {

    /** Handshakes in progress at once per factory. */
    public static final int CONCURRENT_HANDSHAKES = 32;

    private static final Duration FIRST_RETRY_PAUSE = Duration.ofMillis(500);

    private final Semaphore handshakes = new Semaphore(CONCURRENT_HANDSHAKES, true);

    /** One connection attempt: connect, exchange keys, authenticate. */
    @FunctionalInterface
    public interface Attempt {
        Connection run() throws TransportException;
    }

    /** {@return a connection from the first attempt that succeeds, pausing 0.5 s, 1 s, 2 s... between attempts} */
    public Connection open(SshTarget target, Attempt attempt) throws TransportException {
        TransportException last = null;
        for (int i = 0; i <= target.connectRetries(); i++) {
            if (i > 0) {
                pause(FIRST_RETRY_PAUSE.multipliedBy(1L << (i - 1)));
            }
            try {
                handshakes.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TransportException("interrupted while waiting to connect to " + target.name(), e);
            }
            try {
                return attempt.run();
            } catch (TransportException.AuthenticationException | TransportException.HostKeyRejectedException e) {
                throw e;
            } catch (TransportException e) {
                last = e;
            } finally {
                handshakes.release();
            }
        }
        throw last;
    }

    private static void pause(Duration d) throws TransportException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted while waiting to reconnect", e);
        }
    }
}
