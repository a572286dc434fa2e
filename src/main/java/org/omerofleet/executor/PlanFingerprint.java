package org.omerofleet.executor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.omerofleet.inventory.Host;
import org.omerofleet.inventory.Inventory;
import org.omerofleet.playbook.Playbook;
import org.omerofleet.transport.FileTransfers;

/**
 * Sum up what a run was asked to do, so that a resume can refuse a plan that changed since the run began
 * (reliability.md CTL-06): a digest of the playbook file, of the inventory as loaded (hosts, groups and
 * variables, group_vars included), of the extra variables, and of every local file an extra variable
 * names (the release zip). Only digests are kept: no variable value reaches the journal.
 *
 * <p>The digests are HMAC-SHA256 under a random key of the run, kept in {@value #KEY_FILE} (0600) beside
 * the journal: a plain hash of the variables would let whoever reads the journal test guesses of a weak
 * password offline. A resume reads the key back; a run directory without one (made before keys) is
 * checked with the plain SHA-256 it was written with.
 */
final class PlanFingerprint {

    private static final ObjectMapper CANONICAL = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private PlanFingerprint() {
    }

    /** The key's file name in a run directory. */
    static final String KEY_FILE = "fingerprint.key";

    private static final SecureRandom RANDOM = new SecureRandom();

    /** {@return a new random key for a run's fingerprint} */
    static byte[] newKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }

    /** Keep {@code key} in {@code runDir}, readable by this user only from the moment the file exists. */
    static void writeKey(Path runDir, byte[] key) {
        Path file = runDir.resolve(KEY_FILE);
        try (SeekableByteChannel out = Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            ByteBuffer bytes = ByteBuffer.wrap(HexFormat.of().formatHex(key).getBytes(StandardCharsets.US_ASCII));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** {@return the key kept in {@code runDir}, or empty for a run directory made before keys (or no run directory)} */
    static Optional<byte[]> readKey(Path runDir) {
        Path file = runDir.resolve(KEY_FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(HexFormat.of().parseHex(Files.readString(file, StandardCharsets.US_ASCII).strip()));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot read the fingerprint key " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@return the names and SHA-256 of the other files the playbook's tasks come from (imports, includes,
     * roles, include_vars), or empty when there are none} A resume must notice when one of them changed.
     */
    private static Optional<byte[]> includedFiles(Playbook playbook) {
        java.util.SortedSet<Path> files = new java.util.TreeSet<>();
        for (org.omerofleet.playbook.Play play : playbook.plays()) {
            List<org.omerofleet.playbook.Task> tasks = new java.util.ArrayList<>(org.omerofleet.playbook.Step.tasksIn(play.tasks()));
            tasks.addAll(play.handlers());
            for (org.omerofleet.playbook.Task t : tasks) {
                files.add(t.where().file().toAbsolutePath().normalize());
                if (t.module().equals("include_vars") && t.args().get("_files") instanceof List<?> read) {
                    read.forEach(f -> files.add(Path.of(String.valueOf(f))));
                }
            }
        }
        files.remove(playbook.file().toAbsolutePath().normalize());
        files.removeIf(f -> !Files.isRegularFile(f));
        if (files.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder text = new StringBuilder();
        files.forEach(f -> text.append(f).append(' ').append(FileTransfers.fileSha256(f)).append('\n'));
        return Optional.of(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param key the run's key; empty only to check a run directory made before keys, with plain SHA-256
     */
    static Map<String, String> of(Playbook playbook, Inventory inventory, Map<String, Object> extraVars, Optional<byte[]> key) {
        Map<String, String> parts = new LinkedHashMap<>();
        Function<byte[], String> digest = key.<Function<byte[], String>>map(k -> bytes -> hmac(k, bytes)).orElse(PlanFingerprint::sha256);
        try {
            // a playbook built in memory (an ad-hoc command) has no file: its parsed form stands for it
            parts.put("playbook", digest.apply(Files.isRegularFile(playbook.file()) ? Files.readAllBytes(playbook.file())
                    : playbook.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + playbook.file(), e);
        }
        includedFiles(playbook).ifPresent(bytes -> parts.put("included files", digest.apply(bytes)));
        Map<String, Object> hosts = new TreeMap<>();
        for (Host h : inventory.hosts().values()) {
            hosts.put(h.name(), Map.of("groups", h.groups(), "vars", h.vars()));
        }
        parts.put("inventory", digest.apply(canonical(hosts)));
        parts.put("extra variables", digest.apply(canonical(extraVars)));
        new TreeMap<>(extraVars).forEach((name, value) -> {
            if (value instanceof String s && !s.isBlank() && !s.contains("\n") && Files.isRegularFile(Path.of(s))) {
                String fileSha256 = FileTransfers.fileSha256(Path.of(s));
                parts.put("file named by " + name, key.isPresent() ? digest.apply(fileSha256.getBytes(StandardCharsets.US_ASCII)) : fileSha256);
            }
        });
        return parts;
    }

    private static byte[] canonical(Object value) {
        try {
            return CANONICAL.writeValueAsString(value).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            return String.valueOf(value).getBytes(StandardCharsets.UTF_8);
        }
    }

    private static String hmac(byte[] key, byte[] bytes) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }

    private static String sha256(byte[] bytes) {
        MessageDigest digest = FileTransfers.sha256();
        digest.update(bytes);
        return FileTransfers.hex(digest);
    }
}
