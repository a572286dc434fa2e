package org.omerofleet.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omerofleet.input.InputError;
import org.omerofleet.input.InvalidInputException;
import org.omerofleet.testing.AnsibleVaultTool;

/** Ansible Vault text made by ansible-vault itself, read back by {@link Vault} and {@link YamlReader}. */
class VaultTest {

    @TempDir
    Path dir;
    private AnsibleVaultTool tool;
    private Path passwordFile;

    @BeforeEach
    void setUp() throws IOException {
        tool = new AnsibleVaultTool(dir);
        passwordFile = Files.writeString(dir.resolve("pw"), "correct horse\n");
    }

    private Vault vault(String id, String password) {
        return new Vault(List.of(new Vault.Secret(id, "test", password.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void aWholeFileInFormat11IsDecryptedAndItsStringsBecomeSecrets() throws Exception {
        Path file = Files.writeString(dir.resolve("vars.yml"), "db_pass: s3cr3t-value\nport: 5432\nnested:\n  key: inner-secret\n");
        tool.encrypt(file, passwordFile, null);
        assertTrue(Files.readString(file).startsWith("$ANSIBLE_VAULT;1.1;AES256\n"));
        Vault vault = vault(Vault.DEFAULT_ID, "correct horse");

        YamlNode root = YamlReader.read(file, vault);

        assertEquals(Map.of("db_pass", "s3cr3t-value", "port", 5432L, "nested", Map.of("key", "inner-secret")), root.toValue());
        assertTrue(vault.revealed().containsAll(List.of("s3cr3t-value", "inner-secret")), vault.revealed().toString());
    }

    @Test
    void aFileInFormat12IsDecryptedWhateverPasswordIsTriedFirst() throws Exception {
        Path file = Files.writeString(dir.resolve("vars.yml"), "token: abc-123\n");
        tool.encrypt(file, passwordFile, "prod");
        assertTrue(Files.readString(file).startsWith("$ANSIBLE_VAULT;1.2;AES256;prod\n"));
        Vault vault = new Vault(List.of(new Vault.Secret("dev", "a", "wrong".getBytes(StandardCharsets.UTF_8)),
                new Vault.Secret("other", "b", "correct horse".getBytes(StandardCharsets.UTF_8))));

        assertEquals(Map.of("token", "abc-123"), YamlReader.read(file, vault).toValue());
    }

    @Test
    void anInlineVaultValueIsAStringAndASecret() throws Exception {
        String yaml = "user: omero\n" + tool.encryptString("password", "p@ss: w0rd!", passwordFile, null);
        Vault vault = vault(Vault.DEFAULT_ID, "correct horse");

        YamlNode root = YamlReader.parse(dir.resolve("inline.yml"), yaml, vault);

        assertEquals(Map.of("user", "omero", "password", "p@ss: w0rd!"), root.toValue());
        assertEquals(java.util.Set.of("p@ss: w0rd!"), vault.revealed());
    }

    @Test
    void aWrongPasswordNamesTheFileAndTheLineOfAnInlineValue() throws Exception {
        String yaml = "user: omero\n" + tool.encryptString("password", "secret", passwordFile, null);

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> YamlReader.parse(dir.resolve("inline.yml"), yaml, vault(Vault.DEFAULT_ID, "not it")));

        InputError error = e.errors().get(0);
        assertEquals(dir.resolve("inline.yml"), error.where().file());
        assertEquals(2, error.where().line());
        assertTrue(error.message().startsWith("cannot decrypt: no vault password given matches"), error.message());
    }

    @Test
    void aWrongPasswordForAWholeFileNamesTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("vars.yml"), "a: 1\n");
        tool.encrypt(file, passwordFile, "prod");

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> YamlReader.read(file, vault("prod", "nope")));

        assertEquals(file, e.errors().get(0).where().file());
        assertTrue(e.errors().get(0).message().startsWith("cannot decrypt (vault id 'prod')"), e.errors().get(0).message());
    }

    @Test
    void withoutAPasswordTheErrorSaysHowToGiveOne() throws Exception {
        Path file = Files.writeString(dir.resolve("vars.yml"), "a: 1\n");
        tool.encrypt(file, passwordFile, null);

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> YamlReader.read(file));

        assertEquals("encrypted with Ansible Vault, but no vault password was given", e.errors().get(0).message());
        assertTrue(e.errors().get(0).hint().orElseThrow().contains("--vault-password-file"));
    }

    @Test
    void aDamagedCiphertextIsAnErrorNotAWrongPassword() throws Exception {
        Path file = Files.writeString(dir.resolve("vars.yml"), "a: 1\n");
        tool.encrypt(file, passwordFile, null);
        String text = Files.readString(file);
        Files.writeString(file, text.substring(0, text.length() - 10) + "zz\n");

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> YamlReader.read(file, vault(Vault.DEFAULT_ID, "correct horse")));

        assertTrue(e.errors().get(0).message().startsWith("Ansible Vault text is damaged"), e.errors().get(0).message());
    }
}
