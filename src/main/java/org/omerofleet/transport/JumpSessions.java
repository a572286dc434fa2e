package org.omerofleet.transport;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The sessions with jump hosts that both transports share between the hosts behind them. Every host
 * behind the same jump hosts (the same route of hops, each with the same user, keys and known_hosts)
 * reaches its target through a forwarded channel of one session with the jump host, as
 * {@code ssh -J} with a ControlMaster does, instead of logging in to the jump host once per host: 50
 * logins at once would run into OpenSSH's {@code MaxStartups 10:30:100} on the jump host. A session
 * carries at most {@link #CHANNELS_PER_SESSION} hosts, OpenSSH's default {@code MaxSessions}; the
 * eleventh host opens a second session, and so on. A session is closed when the last host using it
 * lets go.
 *
 * <p>While one host logs in to the jump host, the others that will share that session wait for it,
 * and when that login fails, each of them fails the same way, under its own name: a refused jump host
 * key refuses every host behind it.
 *
 * @param <S> what a transport holds for one route of jump hosts: its sessions, first hop first
 */
public final class JumpSessions<S> {

    /** Hosts reached through one session with a jump host: OpenSSH's default {@code MaxSessions}. */
    public static final int CHANNELS_PER_SESSION = 10;

    /** Log in to every jump host of a route; its failures are labelled with the name of the host it logs in for. */
    @FunctionalInterface
    public interface Opener<S> {
        S open() throws TransportException;
    }

    private final int channelsPerSession;
    private final Predicate<S> open;
    private final Consumer<S> closer;
    private final Map<List<SshTarget>, List<Shared<S>>> routes = new HashMap<>();

    /**
     * @param channelsPerSession hosts per session with a jump host
     * @param open               whether a session (route) can still carry a new host
     * @param closer             closes a route's sessions, last hop first
     */
    public JumpSessions(int channelsPerSession, Predicate<S> open, Consumer<S> closer) {
        if (channelsPerSession < 1) {
            throw new IllegalArgumentException("channels per session must be at least 1, got " + channelsPerSession);
        }
        this.channelsPerSession = channelsPerSession;
        this.open = open;
        this.closer = closer;
    }

    /** One session (route of sessions) and the hosts using it. */
    private static final class Shared<S> {
        final CompletableFuture<S> route = new CompletableFuture<>();
        /** The host whose name the opener's messages carry. */
        final String openedFor;
        int users;
        boolean retired;

        Shared(String openedFor) {
            this.openedFor = openedFor;
        }
    }

    /** A host's use of a shared session; {@link #release()} lets go of it, once. */
    public final class Lease {
        private final Shared<S> shared;
        private final S route;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(Shared<S> shared, S route) {
            this.shared = shared;
            this.route = route;
        }

        /** {@return the sessions with the jump hosts, first hop first} */
        public S route() {
            return route;
        }

        /** Let go of the session: the last host to let go closes it. Later calls do nothing. */
        public void release() {
            if (released.compareAndSet(false, true)) {
                JumpSessions.this.release(shared);
            }
        }
    }

    /**
     * {@return a share of a session through {@code target}'s jump hosts: an open one with room, else a
     * new one that {@code opener} logs in}
     */
    public Lease lease(SshTarget target, Opener<S> opener) throws TransportException {
        Shared<S> shared;
        boolean opening;
        synchronized (this) {
            List<Shared<S>> sessions = routes.computeIfAbsent(target.jumps(), k -> new ArrayList<>());
            retireClosed(sessions);
            shared = sessions.stream().filter(s -> s.users < channelsPerSession).findFirst().orElse(null);
            opening = shared == null;
            if (opening) {
                shared = new Shared<>(target.name());
                sessions.add(shared);
            }
            shared.users++;
        }
        if (opening) {
            try {
                shared.route.complete(opener.open());
            } catch (TransportException | RuntimeException e) {
                shared.route.completeExceptionally(e);
            }
        }
        return new Lease(shared, await(shared, target));
    }

    private S await(Shared<S> shared, SshTarget target) throws TransportException {
        try {
            return shared.route.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            release(shared);
            throw new TransportException(target.name() + ": interrupted while waiting for the jump host", e);
        } catch (ExecutionException e) {
            release(shared);
            throw asOwn(e.getCause(), shared.openedFor, target.name());
        }
    }

    /** Sessions the jump host closed (or that failed to open) take no new host; the hosts still on them keep them. */
    private void retireClosed(List<Shared<S>> sessions) {
        for (Shared<S> s : sessions) {
            if (s.route.isCompletedExceptionally() || (s.route.isDone() && !open.test(s.route.join()))) {
                s.retired = true;
            }
        }
        sessions.removeIf(s -> s.retired);
    }

    private void release(Shared<S> shared) {
        boolean last;
        synchronized (this) {
            shared.users--;
            last = shared.users == 0;
            if (last) {
                shared.retired = true;
                routes.values().forEach(sessions -> sessions.remove(shared));
                routes.values().removeIf(List::isEmpty);
            }
        }
        if (last && shared.route.isDone() && !shared.route.isCompletedExceptionally()) {
            closer.accept(shared.route.join());
        }
    }

    /** {@return how many sessions with jump hosts take new hosts now: open or opening, the jump host has not closed them} */
    public synchronized int sessions() {
        return routes.values().stream().mapToInt(List::size).sum();
    }

    /**
     * {@return the failure of logging in to a jump host for {@code from}, as it concerns {@code to}: the same
     * kind (a refused host key is not retried), with {@code to}'s name}
     */
    static TransportException asOwn(Throwable failure, String from, String to) {
        if (!(failure instanceof TransportException e)) {
            return new TransportException(to + ": cannot reach the jump host: " + failure, failure);
        }
        if (from.equals(to)) {
            return e;
        }
        String message = String.valueOf(e.getMessage());
        if (message.startsWith(from + ":")) {
            message = to + message.substring(from.length());
        }
        if (e instanceof TransportException.HostKeyRejectedException) {
            return new TransportException.HostKeyRejectedException(message);
        }
        if (e instanceof TransportException.AuthenticationException) {
            return new TransportException.AuthenticationException(message, e);
        }
        if (e instanceof TransportException.ConnectTimeoutException) {
            return new TransportException.ConnectTimeoutException(message, e);
        }
        return new TransportException(message, e, e.outcomeUnknown());
    }
}
