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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The bookkeeping of shared jump-host sessions, with a counter standing in for a session. */
class JumpSessionsTest {

    /** A stand-in session: its number, and whether the jump host still has it open. */
    private static final class Fake {
        final int number;
        boolean open = true;
        boolean closed;

        Fake(int number) {
            this.number = number;
        }
    }

    private final AtomicInteger opened = new AtomicInteger();
    private final List<Fake> closed = new ArrayList<>();
    private final JumpSessions<Fake> sessions = new JumpSessions<>(3, f -> f.open, f -> {
        f.closed = true;
        closed.add(f);
    });

    private static SshTarget host(String name, String... jumps) {
        List<SshTarget> hops = new ArrayList<>();
        for (String jump : jumps) {
            hops.add(host(jump));
        }
        return new SshTarget(name, "127.0.0.1", 22, "omero", List.of(), Optional.empty(), Path.of("known_hosts"), HostKeyPolicy.STRICT,
                Duration.ofSeconds(10), 0, Duration.ZERO, Optional.empty(), hops);
    }

    private JumpSessions<Fake>.Lease lease(String name, String... jumps) throws TransportException {
        return sessions.lease(host(name, jumps), () -> new Fake(opened.incrementAndGet()));
    }

    @Test
    void eachSessionCarriesAtMostItsShareOfHostsAndTheLastToLetGoClosesIt() throws Exception {
        List<JumpSessions<Fake>.Lease> leases = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            leases.add(lease("h" + i, "bastion"));
        }
        assertEquals(3, opened.get(), "7 hosts at 3 per session");
        assertEquals(List.of(1, 1, 1, 2, 2, 2, 3), leases.stream().map(l -> l.route().number).toList());
        leases.get(0).release();
        leases.get(0).release();
        leases.get(1).release();
        assertTrue(closed.isEmpty(), "one host still uses the first session");
        leases.get(2).release();
        assertEquals(List.of(1), closed.stream().map(f -> f.number).toList());
        assertEquals(3, lease("h7", "bastion").route().number, "room on the last session is used before a new one is opened");
        assertEquals(3, lease("h8", "bastion").route().number);
        assertEquals(4, lease("h9", "bastion").route().number, "the last session is full");
    }

    @Test
    void differentJumpRoutesDoNotShare() throws Exception {
        assertEquals(1, lease("a", "bastion").route().number);
        assertEquals(2, lease("b", "other").route().number);
        assertEquals(3, lease("c", "bastion", "other").route().number);
        assertEquals(1, lease("d", "bastion").route().number);
    }

    @Test
    void aSessionTheJumpHostClosedTakesNoNewHostButStaysWithItsOwn() throws Exception {
        JumpSessions<Fake>.Lease first = lease("a", "bastion");
        first.route().open = false;
        JumpSessions<Fake>.Lease second = lease("b", "bastion");
        assertEquals(2, second.route().number);
        assertEquals(1, sessions.sessions(), "the closed session takes no new host");
        assertTrue(closed.isEmpty(), "its own host still holds it");
        first.release();
        assertTrue(first.route().closed);
    }

    @Test
    void aFailedLoginToTheJumpHostIsNotKeptAndTheNextHostTriesAgain() throws Exception {
        TransportException refused = new TransportException.HostKeyRejectedException("a: jump host bastion: HOST KEY CHANGED");
        assertSame(refused, assertThrows(TransportException.class, () -> sessions.lease(host("a", "bastion"), () -> {
            throw refused;
        })));
        assertEquals(0, sessions.sessions());
        assertEquals(1, lease("b", "bastion").route().number);
    }

    @Test
    void aJumpHostFailureSeenByAnotherHostKeepsItsKindAndTakesThatHostsName() {
        TransportException e = JumpSessions.asOwn(new TransportException.HostKeyRejectedException("a: jump host bastion: HOST KEY CHANGED"), "a", "b");
        assertTrue(e instanceof TransportException.HostKeyRejectedException);
        assertEquals("b: jump host bastion: HOST KEY CHANGED", e.getMessage());
        TransportException auth = JumpSessions.asOwn(new TransportException.AuthenticationException("a: jump host bastion: refused", null), "a", "b");
        assertTrue(auth instanceof TransportException.AuthenticationException);
        assertTrue(JumpSessions.asOwn(new TransportException.ConnectTimeoutException("no connection", null), "a", "b")
                instanceof TransportException.ConnectTimeoutException);
    }
}
