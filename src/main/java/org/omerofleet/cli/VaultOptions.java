package org.omerofleet.cli;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.omerofleet.yaml.Vault;
import picocli.CommandLine.Option;

/**
 * Give the Ansible Vault passwords, as {@code ansible-playbook} takes them: {@code --vault-password-file}
 * (a file, or an executable script printing the password), {@code --ask-vault-pass}, {@code --vault-id
 * LABEL@SOURCE} (SOURCE a file, a script or {@code prompt}); with none of these, {@code ANSIBLE_VAULT_PASSWORD_FILE}
 * and {@code ANSIBLE_VAULT_IDENTITY_LIST} (or ansible.cfg's {@code vault_password_file} and
 * {@code vault_identity_list}) are used. A password is never an argument and never logged.
 */
public final class VaultOptions {

    private static final long SCRIPT_SECONDS = 60;

    @Option(names = "--vault-password-file", paramLabel = "FILE",
            description = "vault password file, or an executable script printing the password (repeatable)")
    List<Path> passwordFiles = new ArrayList<>();

    @Option(names = {"-J", "--ask-vault-pass", "--ask-vault-password"}, description = "ask for the vault password on the terminal")
    boolean ask;

    @Option(names = "--vault-id", paramLabel = "LABEL@SOURCE",
            description = "a vault id and its password source: a file, an executable script, or 'prompt' (repeatable)")
    List<String> vaultIds = new ArrayList<>();

    /** {@return the vault holding every password given}, read (and asked for) now, before any host is touched */
    Vault vault(AnsibleConfig config, Path home) {
        List<Vault.Secret> secrets = new ArrayList<>();
        List<String> ids = new ArrayList<>(vaultIds);
        List<String> files = new ArrayList<>(passwordFiles.stream().map(Path::toString).toList());
        if (ids.isEmpty() && files.isEmpty() && !ask) {
            ids.addAll(config.vaultIdentityList());
            config.vaultPasswordFile(home).ifPresent(files::add);
        }
        for (String id : ids) {
            int at = id.indexOf('@');
            String label = at > 0 ? id.substring(0, at) : Vault.DEFAULT_ID;
            String source = at >= 0 ? id.substring(at + 1) : id;
            if (source.isEmpty()) {
                throw new UsageException("--vault-id '" + id + "': give LABEL@FILE, LABEL@SCRIPT or LABEL@prompt");
            }
            secrets.add(source.equals("prompt") ? prompt(label) : fromFile(label, Path.of(source)));
        }
        for (String file : files) {
            secrets.add(fromFile(Vault.DEFAULT_ID, Path.of(file)));
        }
        if (ask) {
            secrets.add(prompt(Vault.DEFAULT_ID));
        }
        return new Vault(secrets);
    }

    private static Vault.Secret prompt(String label) {
        Console console = System.console();
        if (console == null) {
            throw new UsageException("there is no terminal to ask for the vault password: use --vault-password-file FILE");
        }
        char[] typed = console.readPassword(label.equals(Vault.DEFAULT_ID) ? "Vault password: " : "Vault password (" + label + "): ");
        if (typed == null || typed.length == 0) {
            throw new UsageException("no vault password was typed");
        }
        byte[] bytes = new String(typed).strip().getBytes(StandardCharsets.UTF_8);
        Arrays.fill(typed, '\0');
        return secret(label, "prompt", bytes);
    }

    /** A password file is read and stripped; an executable one is run and its output's line ends stripped, as Ansible does. */
    static Vault.Secret fromFile(String label, Path file) {
        return secret(label, file.toString(), password(file, "vault password"));
    }

    /**
     * {@return the password in {@code file}} read and stripped of white space; an executable file is run and
     * its output's line ends stripped, as Ansible reads vault and become password files
     *
     * @param what "vault password" or "become password", for the messages
     */
    static byte[] password(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new UsageException(what + " file " + file + " does not exist or is not a file");
        }
        byte[] password;
        try {
            password = Files.isExecutable(file) ? strip(run(file, what), "\r\n") : strip(Files.readAllBytes(file), " \t\r\n\f\u000b");
        } catch (IOException e) {
            throw new UsageException("cannot read the " + what + " file " + file + ": " + e.getMessage(), e);
        }
        if (password.length == 0) {
            throw new UsageException("the " + what + " from " + file + " is empty");
        }
        return password;
    }

    private static Vault.Secret secret(String label, String source, byte[] password) {
        if (password.length == 0) {
            throw new UsageException("the vault password from " + source + " is empty");
        }
        return new Vault.Secret(label, source, password);
    }

    private static byte[] run(Path script, String what) throws IOException {
        Process process = new ProcessBuilder(script.toAbsolutePath().toString())
                .redirectInput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = process.getInputStream()) {
            in.transferTo(out);
            if (!process.waitFor(SCRIPT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new UsageException(what + " script " + script + " did not finish within " + SCRIPT_SECONDS + " seconds");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new UsageException("interrupted while running the " + what + " script " + script, e);
        }
        if (process.exitValue() != 0) {
            throw new UsageException(what + " script " + script + " exited with " + process.exitValue());
        }
        return out.toByteArray();
    }

    private static byte[] strip(byte[] bytes, String chars) {
        int start = 0;
        int end = bytes.length;
        while (start < end && chars.indexOf(bytes[start]) >= 0) {
            start++;
        }
        while (end > start && chars.indexOf(bytes[end - 1]) >= 0) {
            end--;
        }
        return Arrays.copyOfRange(bytes, start, end);
    }
}
