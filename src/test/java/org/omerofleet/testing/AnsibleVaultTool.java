package org.omerofleet.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Run Ansible's own {@code ansible-vault} to make the encrypted test inputs: the tests never encrypt
 * with this project's code, so a reader that merely agrees with a writer of ours proves nothing.
 * Tests using it are skipped, with that reason, where ansible-core is not installed.
 */
public final class AnsibleVaultTool {

    private final Path home;

    /** @param scratch a directory for ansible-vault's home (it writes ~/.ansible) */
    public AnsibleVaultTool(Path scratch) throws IOException {
        this.home = Files.createDirectories(scratch.resolve("ansible-home"));
        Assumptions.assumeTrue(available(), "no ansible-vault: install ansible-core to run the vault tests");
    }

    private boolean available() {
        try {
            return run(List.of("ansible-vault", "--version")).isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    /** Encrypt {@code file} in place with the password in {@code passwordFile}, labelled {@code vaultId} unless null (format 1.2). */
    public void encrypt(Path file, Path passwordFile, String vaultId) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ansible-vault", "encrypt"));
        cmd.addAll(secret(passwordFile, vaultId));
        cmd.add(file.toString());
        require(cmd);
    }

    /** {@return {@code name: !vault |} and the encrypted {@code value}, as {@code ansible-vault encrypt_string} prints it} */
    public String encryptString(String name, String value, Path passwordFile, String vaultId) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ansible-vault", "encrypt_string"));
        cmd.addAll(secret(passwordFile, vaultId));
        cmd.addAll(List.of("--name", name, value));
        return require(cmd);
    }

    private static List<String> secret(Path passwordFile, String vaultId) {
        return vaultId == null ? List.of("--vault-password-file", passwordFile.toString())
                : List.of("--vault-id", vaultId + "@" + passwordFile, "--encrypt-vault-id", vaultId);
    }

    private String require(List<String> cmd) throws IOException {
        return run(cmd).orElseThrow(() -> new IOException("failed: " + cmd));
    }

    private java.util.Optional<String> run(List<String> cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("HOME", home.toString());
        pb.environment().put("ANSIBLE_LOCAL_TEMP", home.resolve("tmp").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            return p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0 ? java.util.Optional.of(out) : java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
