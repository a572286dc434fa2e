package org.omerofleet.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Check one host's key against an OpenSSH known_hosts file as OpenSSH matches it, for both transports:
 * the host is looked up under its own name, plain on port 22 and {@code [host]:port} elsewhere, in plain,
 * comma-list, wildcard ({@code * ?}), negated ({@code !}) and hashed ({@code |1|salt|hash}) host fields.
 *
 * <ul>
 *   <li>A key marked {@code @revoked} is refused, even where another line lists it.</li>
 *   <li>A recorded key of the same type that differs is refused as changed, with both SHA-256 fingerprints.</li>
 *   <li>Recorded keys of other types do not make a key "changed": a host may have one key per type.</li>
 *   <li>An unknown key is refused under {@link HostKeyPolicy#STRICT} and appended under
 *       {@link HostKeyPolicy#ACCEPT_NEW}. There is no accept-all.</li>
 *   <li>{@code @cert-authority} lines vouch for nothing: host certificates are not supported, and the
 *       refusal says so.</li>
 * </ul>
 */
public final class KnownHosts {

    /** One writer at a time for every known_hosts file this JVM appends to (CON-06); a FileLock keeps other processes out. */
    private static final Object APPEND_LOCK = new Object();

    private static final String REVOKED = "@revoked";
    private static final String CERT_AUTHORITY = "@cert-authority";

    private final Path file;
    private final HostKeyPolicy policy;
    private final String hostname;
    private final int port;

    /**
     * @param hostname the host as the controller names it (a jump host's own name for a jump host)
     * @param port     its SSH port
     */
    public KnownHosts(Path file, HostKeyPolicy policy, String hostname, int port) {
        this.file = file;
        this.policy = policy;
        this.hostname = hostname;
        this.port = port;
    }

    /** {@return the name known_hosts uses for this host: plain on port 22, else {@code [host]:port}} */
    public String entryName() {
        return port == 22 ? hostname : "[" + hostname + "]:" + port;
    }

    /**
     * Decide on the key the host offered (an SSH public key blob), appending it to the file when it is
     * new and the policy allows.
     *
     * @return empty when the key is accepted, else why it is refused, in words for the user
     */
    public Optional<String> check(byte[] key) {
        String type = keyType(key);
        String fingerprint = fingerprint(key);
        String offered = entryName() + " (" + type + " " + fingerprint + ")";
        List<Entry> entries;
        try {
            entries = entries();
        } catch (IOException e) {
            return Optional.of("cannot read " + file + ": " + e.getMessage());
        }
        Verdict verdict = judge(entries, key, offered);
        if (verdict.decided()) {
            return verdict.refusal();
        }
        if (policy == HostKeyPolicy.ACCEPT_NEW) {
            return recordIfStillUnknown(key, offered);
        }
        String certificates = entries.stream().anyMatch(e -> CERT_AUTHORITY.equals(e.marker()))
                ? "; its @cert-authority line is not used (host certificates are not supported): record the host's own key" : "";
        return Optional.of("host key for " + offered + " is not in " + file + certificates
                + "; add it (ssh-keyscan -p " + port + " " + hostname + ") or use --host-key-checking accept-new");
    }

    /** What the recorded lines say about a key: accepted, refused (and why), or not decided (unknown host). */
    private record Verdict(boolean decided, Optional<String> refusal) {
        static final Verdict UNKNOWN = new Verdict(false, Optional.empty());
    }

    private Verdict judge(List<Entry> entries, byte[] key, String offered) {
        String type = keyType(key);
        if (entries.stream().anyMatch(e -> REVOKED.equals(e.marker()) && Arrays.equals(e.key(), key))) {
            return new Verdict(true, Optional.of("host key for " + offered + " is marked @revoked in " + file + "; refusing to connect"));
        }
        if (entries.stream().anyMatch(e -> e.marker() == null && Arrays.equals(e.key(), key))) {
            return new Verdict(true, Optional.empty());
        }
        Optional<Entry> sameType = entries.stream().filter(e -> e.marker() == null && keyType(e.key()).equals(type)).findFirst();
        if (sameType.isPresent()) {
            return new Verdict(true, Optional.of("HOST KEY CHANGED for " + entryName() + ": known_hosts " + file + " has " + type + " "
                    + fingerprint(sameType.get().key()) + " but the host offered " + fingerprint(key)
                    + "; refusing to connect (possible man-in-the-middle)"));
        }
        return Verdict.UNKNOWN;
    }

    /** {@return the keys recorded for this host without a marker, so that a transport can prefer their types} */
    public List<byte[]> recordedKeys() {
        try {
            return entries().stream().filter(e -> e.marker() == null).map(Entry::key).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Record a key first seen under {@code accept-new}, deciding again on the file as it is under the
     * lock: another thread, or another omero-fleet process, may have recorded this host's key since it
     * was read (two first connections through one jump host). The lock is this JVM's monitor and a
     * {@link java.nio.channels.FileLock} on the file. The line goes after a newline when the file does
     * not end with one, so that it never joins the last line into one that vouches for nothing.
     */
    private Optional<String> recordIfStillUnknown(byte[] key, String offered) {
        String line = entryName() + " " + keyType(key) + " " + Base64.getEncoder().encodeToString(key) + "\n";
        synchronized (APPEND_LOCK) {
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE); var lock = channel.lock()) {
                    byte[] current = readAll(channel);
                    Verdict verdict = judge(parse(new String(current, StandardCharsets.UTF_8)), key, offered);
                    if (verdict.decided()) {
                        return verdict.refusal();
                    }
                    boolean joined = current.length > 0 && current[current.length - 1] != '\n';
                    ByteBuffer bytes = ByteBuffer.wrap(((joined ? "\n" : "") + line).getBytes(StandardCharsets.UTF_8));
                    channel.position(current.length);
                    while (bytes.hasRemaining()) {
                        channel.write(bytes);
                    }
                    channel.force(true);
                }
                return Optional.empty();
            } catch (IOException e) {
                return Optional.of("cannot record the host key of " + offered + " in " + file + ": " + e.getMessage());
            }
        }
    }

    private static byte[] readAll(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) channel.size());
        channel.position(0);
        while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
            // read to the end
        }
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    /** A line that names this host: its marker ({@code @revoked}, {@code @cert-authority}, or null) and key blob. */
    private record Entry(String marker, byte[] key) {
    }

    private List<Entry> entries() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    private List<Entry> parse(String text) {
        List<Entry> entries = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s+");
            int i = 0;
            String marker = null;
            if (fields[0].startsWith("@")) {
                marker = fields[0].toLowerCase(Locale.ROOT);
                i = 1;
            }
            if (fields.length < i + 3 || !matches(fields[i])) {
                continue;
            }
            byte[] blob;
            try {
                blob = Base64.getDecoder().decode(fields[i + 2]);
            } catch (IllegalArgumentException e) {
                continue; // a damaged line vouches for nothing
            }
            if (!keyType(blob).equals(fields[i + 1])) {
                continue;
            }
            entries.add(new Entry(marker, blob));
        }
        return entries;
    }

    /** Whether a host field (hashed, or a comma list of patterns with optional negation) names this host. */
    private boolean matches(String hosts) {
        String name = entryName();
        if (hosts.startsWith("|1|")) {
            return hashedMatch(hosts, name);
        }
        boolean matched = false;
        for (String pattern : hosts.split(",")) {
            boolean negated = pattern.startsWith("!");
            String p = negated ? pattern.substring(1) : pattern;
            if (wildcard(p.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT))) {
                if (negated) {
                    return false;
                }
                matched = true;
            }
        }
        return matched;
    }

    private static boolean hashedMatch(String field, String name) {
        String[] parts = field.split("\\|");
        if (parts.length != 4) {
            return false;
        }
        try {
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(salt, "HmacSHA1"));
            return MessageDigest.isEqual(expected, mac.doFinal(name.getBytes(StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }

    /** OpenSSH pattern match: {@code *} any run of characters, {@code ?} one character. */
    private static boolean wildcard(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int mark = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    /** {@return the algorithm name that opens an SSH public key blob, or "" when the blob is malformed} */
    public static String keyType(byte[] blob) {
        if (blob.length < 4) {
            return "";
        }
        int length = ByteBuffer.wrap(blob, 0, 4).getInt();
        if (length < 0 || length > blob.length - 4) {
            return "";
        }
        return new String(blob, 4, length, StandardCharsets.US_ASCII);
    }

    /** {@return the OpenSSH SHA-256 fingerprint of a key blob: {@code SHA256:} and unpadded base64} */
    public static String fingerprint(byte[] blob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
