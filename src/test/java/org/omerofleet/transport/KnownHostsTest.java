package org.omerofleet.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** accept-new writes known_hosts without destroying what it holds, and decides under one lock (reliability.md SEC-02). */
class KnownHostsTest {

    @TempDir
    Path dir;

    /** A key blob as SSH sends it: the type string, then key bytes (here made up, which is all known_hosts looks at). */
    private static byte[] key(int seed) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            byte[] type = "ssh-ed25519".getBytes(StandardCharsets.US_ASCII);
            out.writeInt(type.length);
            out.write(type);
            out.writeInt(32);
            for (int i = 0; i < 32; i++) {
                out.write(seed * 31 + i);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String line(String host, byte[] key) {
        return host + " ssh-ed25519 " + Base64.getEncoder().encodeToString(key);
    }

    @Test
    void SEC02_acceptNewStartsANewLineWhenTheFileDoesNotEndWithOne() throws Exception {
        Path file = dir.resolve("known_hosts");
        byte[] pinned = key(1);
        Files.writeString(file, line("jump.example.org", pinned)); // written by hand: no newline at the end
        assertEquals(Optional.empty(), new KnownHosts(file, HostKeyPolicy.ACCEPT_NEW, "omero1", 22).check(key(2)));

        assertEquals(2, Files.readAllLines(file).size(), Files.readString(file));
        assertEquals(Optional.empty(), new KnownHosts(file, HostKeyPolicy.STRICT, "jump.example.org", 22).check(pinned));
        assertEquals(Optional.empty(), new KnownHosts(file, HostKeyPolicy.STRICT, "omero1", 22).check(key(2)));
        Optional<String> impostor = new KnownHosts(file, HostKeyPolicy.ACCEPT_NEW, "jump.example.org", 22).check(key(3));
        assertTrue(impostor.orElse("").contains("HOST KEY CHANGED"), "the pinned key still holds: " + impostor);
    }

    @Test
    void SEC02_twoFirstConnectionsOfferingDifferentKeysRecordOnlyOne() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 40; round++) {
                Path file = dir.resolve("known_hosts_" + round);
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<Optional<String>>> results = new ArrayList<>();
                for (int k = 0; k < 2; k++) {
                    byte[] offered = key(10 + k);
                    results.add(pool.submit(() -> {
                        together.await();
                        return new KnownHosts(file, HostKeyPolicy.ACCEPT_NEW, "jump.example.org", 2222).check(offered);
                    }));
                }
                int accepted = 0;
                for (Future<Optional<String>> r : results) {
                    Optional<String> refusal = r.get();
                    if (refusal.isEmpty()) {
                        accepted++;
                    } else {
                        assertTrue(refusal.get().contains("HOST KEY CHANGED"), refusal.get());
                    }
                }
                assertEquals(1, accepted, "round " + round + ":\n" + Files.readString(file));
                assertEquals(1, Files.readAllLines(file).size(), "round " + round + ":\n" + Files.readString(file));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
