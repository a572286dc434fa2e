package org.omerofleet.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/** Make OpenSSH keys with {@code ssh-keygen}, and fingerprint public key lines as OpenSSH prints them. */
public final class SshKeygen {

    private SshKeygen() {
    }

    /** Write a new key pair to {@code file} and {@code file.pub}; an empty passphrase leaves it unencrypted. */
    public static Path generate(String type, String passphrase, Path file) throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".pub"));
        run("ssh-keygen", "-q", "-t", type, "-N", passphrase == null ? "" : passphrase, "-C", "omero-fleet-test", "-f", file.toString());
        return file;
    }

    /** {@return the {@code type base64} part of a public key file, without the comment} */
    public static String publicKey(Path keyFile) throws IOException {
        Path pub = keyFile.getFileName().toString().endsWith(".pub") ? keyFile : keyFile.resolveSibling(keyFile.getFileName() + ".pub");
        String[] fields = Files.readString(pub, StandardCharsets.UTF_8).strip().split("\\s+");
        return fields[0] + " " + fields[1];
    }

    /** {@return {@code SHA256:} and the unpadded base64 SHA-256 of the key blob of a {@code type base64} line} */
    public static String fingerprint(String publicKeyLine) {
        byte[] blob = Base64.getDecoder().decode(publicKeyLine.strip().split("\\s+")[1]);
        try {
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(blob));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Run a program to completion, failing with its output when it fails. */
    static void run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out);
        }
    }
}
