package org.omerofleet.transport.jsch;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.UserInfo;
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
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.omerofleet.transport.HostKeyPolicy;

/**
 * Check one host's key against an OpenSSH known_hosts file for one connection attempt: plain,
 * {@code [host]:port}, comma-list, wildcard, negated and hashed ({@code |1|salt|hash}) entries, and the
 * {@code @revoked} marker. A recorded key of the same type that differs is always refused with both
 * SHA-256 fingerprints; an unknown key is refused under {@link HostKeyPolicy#STRICT} and appended under
 * {@link HostKeyPolicy#ACCEPT_NEW}. There is no accept-all.
 *
 * <p>JSch is run with {@code StrictHostKeyChecking=yes}, so every answer other than {@link #OK} ends
 * the handshake; {@link #refusal()} then says why, in words the factory reports.
 */
final class KnownHostsRepository implements HostKeyRepository {

    /** One writer at a time for every known_hosts file this JVM appends to, as the MINA adapter does. */
    private static final Object APPEND_LOCK = new Object();

    private final Path file;
    private final HostKeyPolicy policy;
    private final String hostname;
    private final int port;
    private final AtomicReference<String> refusal = new AtomicReference<>();

    KnownHostsRepository(Path file, HostKeyPolicy policy, String hostname, int port) {
        this.file = file;
        this.policy = policy;
        this.hostname = hostname;
        this.port = port;
    }

    /** {@return why the host key was refused, or null when it was not} */
    String refusal() {
        return refusal.get();
    }

    /** The name known_hosts uses for this host: plain on port 22, else {@code [host]:port}. */
    private String entryName() {
        return port == 22 ? hostname : "[" + hostname + "]:" + port;
    }

    @Override
    public int check(String host, byte[] key) {
        String type = keyType(key);
        String fingerprint = fingerprint(key);
        List<Entry> entries;
        try {
            entries = entries();
        } catch (IOException e) {
            refusal.set("cannot read " + file + ": " + e.getMessage());
            return NOT_INCLUDED;
        }
        List<String> sameTypeOther = new ArrayList<>();
        for (Entry entry : entries) {
            if ("@cert-authority".equals(entry.marker)) {
                continue; // certificates are not supported; such a line never vouches for a plain key
            }
            boolean same = Arrays.equals(entry.blob, key);
            if ("@revoked".equals(entry.marker)) {
                if (same) {
                    refusal.set("host key for " + entryName() + " (" + type + " " + fingerprint + ") is marked @revoked in " + file);
                    return CHANGED;
                }
                continue;
            }
            if (same) {
                return OK;
            }
            if (keyType(entry.blob).equals(type)) {
                sameTypeOther.add(fingerprint(entry.blob));
            }
        }
        if (!sameTypeOther.isEmpty()) {
            refusal.set("HOST KEY CHANGED for " + entryName() + ": known_hosts " + file + " has " + type + " " + sameTypeOther.get(0)
                    + " but the host offered " + fingerprint + "; refusing to connect (possible man-in-the-middle)");
            return CHANGED;
        }
        if (policy == HostKeyPolicy.ACCEPT_NEW) {
            return append(key, type, fingerprint) ? OK : NOT_INCLUDED;
        }
        refusal.set("host key for " + entryName() + " (" + type + " " + fingerprint + ") is not in " + file
                + "; add it (ssh-keyscan -p " + port + " " + hostname + ") or use --host-key-checking accept-new");
        return NOT_INCLUDED;
    }

    private boolean append(byte[] key, String type, String fingerprint) {
        String line = entryName() + " " + type + " " + Base64.getEncoder().encodeToString(key) + System.lineSeparator();
        synchronized (APPEND_LOCK) {
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND); var lock = channel.lock()) {
                    channel.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
                    channel.force(true);
                }
                return true;
            } catch (IOException e) {
                refusal.set("cannot record the host key of " + entryName() + " (" + type + " " + fingerprint + ") in " + file + ": "
                        + e.getMessage());
                return false;
            }
        }
    }

    @Override
    public void add(HostKey hostkey, UserInfo ui) {
        // recording happens in check() under the policy; JSch is never allowed to add on its own
    }

    @Override
    public void remove(String host, String type) {
        // known_hosts is never rewritten by this program
    }

    @Override
    public void remove(String host, String type, byte[] key) {
        // known_hosts is never rewritten by this program
    }

    @Override
    public String getKnownHostsRepositoryID() {
        return file.toString();
    }

    @Override
    public HostKey[] getHostKey() {
        return getHostKey(entryName(), null);
    }

    /** The recorded, usable keys of this host, so that JSch prefers their types during key exchange. */
    @Override
    public HostKey[] getHostKey(String host, String type) {
        List<HostKey> keys = new ArrayList<>();
        try {
            for (Entry entry : entries()) {
                if (entry.marker != null || (type != null && !type.equals(keyType(entry.blob)))) {
                    continue;
                }
                try {
                    keys.add(new HostKey(entryName(), entry.blob));
                } catch (JSchException unsupported) {
                    // a key type JSch cannot use cannot be preferred either
                }
            }
        } catch (IOException e) {
            return new HostKey[0];
        }
        return keys.toArray(new HostKey[0]);
    }

    /** A parsed line that names this host. */
    private record Entry(String marker, byte[] blob) {
    }

    private List<Entry> entries() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<Entry> entries = new ArrayList<>();
        for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
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
    static String keyType(byte[] blob) {
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
    static String fingerprint(byte[] blob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
