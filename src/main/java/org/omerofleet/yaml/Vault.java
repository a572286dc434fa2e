package org.omerofleet.yaml;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.omerofleet.input.InputError;
import org.omerofleet.input.InvalidInputException;
import org.omerofleet.input.SourcePosition;

/**
 * Decrypt Ansible Vault text, as {@code ansible-vault} writes it: a header line
 * {@code $ANSIBLE_VAULT;1.1;AES256} (or {@code $ANSIBLE_VAULT;1.2;AES256;<vault id>}), then hex lines.
 * The hex decodes to three lines: the hex salt, the hex HMAC and the hex ciphertext. PBKDF2-HMAC-SHA256
 * over the password and salt, 10000 iterations, gives 80 bytes: the AES-256 key, the HMAC-SHA256 key
 * and the initial CTR counter block. The HMAC of the ciphertext is checked before anything is
 * decrypted; the plaintext carries PKCS#7 padding.
 *
 * <p>Like Ansible, the vault id in a 1.2 header only says which password to try first: every password
 * given is tried in turn. Every plaintext decrypted is remembered ({@link #revealed()}) so that the
 * run's redactor masks it.
 */
public final class Vault {

    /** The start of every vault text. */
    public static final String HEADER = "$ANSIBLE_VAULT";
    /** The id of a password given without a label, as Ansible names it. */
    public static final String DEFAULT_ID = "default";
    private static final int ITERATIONS = 10_000;
    private static final int KEY_BYTES = 32;
    private static final int IV_BYTES = 16;
    private static final int BLOCK = 16;

    /**
     * One vault password.
     *
     * @param id       the vault id ({@code default} when none was given)
     * @param source   where it came from, for messages ("prompt", a file name); never the password
     * @param password the password's bytes
     */
    public record Secret(String id, String source, byte[] password) {
        public Secret {
            Objects.requireNonNull(id, "id");
            if (password.length == 0) {
                throw new IllegalArgumentException("the vault password from " + source + " is empty");
            }
            Objects.requireNonNull(source, "source");
            password = password.clone();
        }

        @Override
        public String toString() {
            return "Secret[" + id + " from " + source + "]";
        }
    }

    private final List<Secret> secrets;
    private final Set<String> revealed = ConcurrentHashMap.newKeySet();

    public Vault(List<Secret> secrets) {
        this.secrets = List.copyOf(secrets);
    }

    /** {@return a vault without passwords: any encrypted input is an error saying how to give one} */
    public static Vault none() {
        return new Vault(List.of());
    }

    /** {@return whether {@code text} is vault-encrypted (starts with the vault header)} */
    public static boolean isEncrypted(String text) {
        return text.stripLeading().startsWith(HEADER + ";");
    }

    /** {@return the plaintexts decrypted so far (values to mask in everything a run writes)} */
    public Set<String> revealed() {
        return Set.copyOf(revealed);
    }

    /** Remember {@code value} as secret too (a value read from an encrypted file). */
    public void reveal(String value) {
        if (value != null && !value.isBlank()) {
            revealed.add(value);
        }
    }

    /**
     * {@return the plaintext of {@code vaultText}}, remembered as revealed.
     *
     * @param where the file (and line, for an inline {@code !vault} value) it was read from
     * @throws InvalidInputException when no password was given, none decrypts it, or it is not valid vault text
     */
    public String decrypt(String vaultText, SourcePosition where) throws InvalidInputException {
        String plain = decryptQuietly(vaultText, where);
        reveal(plain);
        return plain;
    }

    /** {@return the plaintext of a whole encrypted file}; its values are revealed by the reader, not the text */
    String decryptFile(String vaultText, SourcePosition where) throws InvalidInputException {
        return decryptQuietly(vaultText, where);
    }

    private String decryptQuietly(String vaultText, SourcePosition where) throws InvalidInputException {
        List<String> lines = vaultText.strip().lines().map(String::strip).toList();
        String[] header = lines.isEmpty() ? new String[0] : lines.get(0).split(";");
        if (header.length < 3 || !header[0].equals(HEADER)) {
            throw invalid(where, "not Ansible Vault text: the first line must be $ANSIBLE_VAULT;1.1;AES256");
        }
        String version = header[1].strip();
        if (!version.equals("1.1") && !version.equals("1.2")) {
            throw invalid(where, "Ansible Vault format " + version + " is not supported (only 1.1 and 1.2)");
        }
        if (!header[2].strip().equals("AES256")) {
            throw invalid(where, "Ansible Vault cipher " + header[2].strip() + " is not supported (only AES256)");
        }
        String id = header.length > 3 ? header[3].strip() : null;
        if (secrets.isEmpty()) {
            throw new InvalidInputException(new InputError(where, "encrypted with Ansible Vault"
                    + (id != null ? " (vault id '" + id + "')" : "") + ", but no vault password was given",
                    "pass --vault-password-file FILE, --ask-vault-pass or --vault-id LABEL@SOURCE"));
        }
        byte[][] parts = envelope(String.join("", lines.subList(1, lines.size())), where);
        for (Secret secret : ordered(id)) {
            byte[] plain = attempt(secret.password(), parts);
            if (plain != null) {
                return new String(plain, StandardCharsets.UTF_8);
            }
        }
        throw new InvalidInputException(new InputError(where, "cannot decrypt"
                + (id != null ? " (vault id '" + id + "')" : "") + ": no vault password given matches (tried "
                + secrets.stream().map(s -> s.id() + " from " + s.source()).distinct().toList() + ")",
                "check the vault password, or pass the right one with --vault-id LABEL@SOURCE"));
    }

    /** Passwords with the text's vault id first, then the others, as Ansible tries them. */
    private List<Secret> ordered(String id) {
        List<Secret> first = new ArrayList<>();
        List<Secret> rest = new ArrayList<>();
        for (Secret s : secrets) {
            (s.id().equals(id) ? first : rest).add(s);
        }
        first.addAll(rest);
        return first;
    }

    /** {@return salt, HMAC and ciphertext} */
    private static byte[][] envelope(String hex, SourcePosition where) throws InvalidInputException {
        try {
            String inner = new String(HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT)), StandardCharsets.US_ASCII);
            String[] three = inner.split("\n", 3);
            if (three.length != 3) {
                throw invalid(where, "Ansible Vault text is damaged: expected salt, HMAC and ciphertext");
            }
            byte[][] parts = new byte[3][];
            for (int i = 0; i < 3; i++) {
                parts[i] = HexFormat.of().parseHex(three[i].strip().toLowerCase(Locale.ROOT));
            }
            if (parts[2].length == 0 || parts[2].length % BLOCK != 0) {
                throw invalid(where, "Ansible Vault text is damaged: the ciphertext is not whole AES blocks");
            }
            return parts;
        } catch (IllegalArgumentException e) {
            throw invalid(where, "Ansible Vault text is damaged: it is not hexadecimal (" + e.getMessage() + ")");
        }
    }

    /** {@return the plaintext, or null when this password's HMAC does not match} */
    private static byte[] attempt(byte[] password, byte[][] parts) {
        try {
            byte[] derived = pbkdf2(password, parts[0]);
            byte[] aesKey = Arrays.copyOfRange(derived, 0, KEY_BYTES);
            byte[] macKey = Arrays.copyOfRange(derived, KEY_BYTES, 2 * KEY_BYTES);
            byte[] iv = Arrays.copyOfRange(derived, 2 * KEY_BYTES, 2 * KEY_BYTES + IV_BYTES);
            if (!MessageDigest.isEqual(hmac(macKey).doFinal(parts[2]), parts[1])) {
                return null;
            }
            Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(aesKey, "AES"), new IvParameterSpec(iv));
            return unpad(cipher.doFinal(parts[2]));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HmacSHA256 or AES/CTR", e);
        }
    }

    /**
     * PBKDF2-HMAC-SHA256 (RFC 8018) over the password's bytes as they are: the JDK's own PBKDF2 takes chars
     * and re-encodes them, which would change a password that is not valid UTF-8.
     */
    private static byte[] pbkdf2(byte[] password, byte[] salt) throws GeneralSecurityException {
        int length = 2 * KEY_BYTES + IV_BYTES;
        byte[] out = new byte[length];
        Mac prf = hmac(password);
        for (int block = 1, done = 0; done < length; block++) {
            prf.update(salt);
            byte[] u = prf.doFinal(new byte[] {(byte) (block >>> 24), (byte) (block >>> 16), (byte) (block >>> 8), (byte) block});
            byte[] t = u.clone();
            for (int i = 1; i < ITERATIONS; i++) {
                u = prf.doFinal(u);
                for (int j = 0; j < t.length; j++) {
                    t[j] ^= u[j];
                }
            }
            int n = Math.min(t.length, length - done);
            System.arraycopy(t, 0, out, done, n);
            done += n;
        }
        return out;
    }

    private static Mac hmac(byte[] key) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac;
    }

    private static byte[] unpad(byte[] padded) {
        int n = padded.length == 0 ? 0 : padded[padded.length - 1] & 0xff;
        if (n < 1 || n > BLOCK || n > padded.length) {
            return padded;
        }
        return Arrays.copyOf(padded, padded.length - n);
    }

    private static InvalidInputException invalid(SourcePosition where, String message) {
        return new InvalidInputException(new InputError(where, message));
    }
}
