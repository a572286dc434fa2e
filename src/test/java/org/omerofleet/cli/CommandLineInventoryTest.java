package org.omerofleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omerofleet.testing.AnsibleVaultTool;

/**
 * The command line's ways to name hosts and secrets, as ansible-playbook takes them: {@code -i host,}
 * lists, Ansible Vault passwords, and defaults from ansible.cfg and {@code ANSIBLE_*} variables.
 */
class CommandLineInventoryTest {

    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Map<String, String> env = new HashMap<>();

    private int run(String... args) {
        Services base = Main.services(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        Services services = new Services(base.out(), base.err(), base.clock(), base.random(), env, dir.resolve("home"), base.localUser(),
                base.modules(), base.templating(), base.transports(), base.internalErrors());
        return Main.execute(services, args);
    }

    private JsonNode json() throws Exception {
        return new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aHostListNeedsNoInventoryFile() throws Exception {
        assertEquals(ExitCodes.OK, run("inventory", "-i", "omero.example.org,db.example.org:2222,"), err.toString());

        JsonNode list = json();
        assertEquals("[\"omero.example.org\",\"db.example.org\"]", list.get("ungrouped").get("hosts").toString());
        assertEquals(2222, list.get("_meta").get("hostvars").get("db.example.org").get("ansible_port").asInt());
    }

    @Test
    void aHostListItemThatIsNotAHostIsRefused() {
        assertEquals(ExitCodes.INVALID_INPUT, run("inventory", "-i", "omero.example.org ansible_user=root,"));
        assertTrue(err.toString().contains("is not a host name"), err.toString());
    }

    @Test
    void ansibleCfgGivesTheInventoryAndTheEnvironmentAndCommandLineWin() throws Exception {
        Files.writeString(dir.resolve("cfg.ini"), "omero1\n");
        Files.writeString(dir.resolve("env.ini"), "omero2\n");
        Files.writeString(dir.resolve("ansible.cfg"), "[defaults]\ninventory = cfg.ini ; a comment\nforks = 7\n");
        env.put("ANSIBLE_CONFIG", dir.resolve("ansible.cfg").toString());

        assertEquals(ExitCodes.OK, run("inventory"), err.toString());
        assertTrue(json().get("ungrouped").get("hosts").toString().contains("omero1"));

        out.reset();
        env.put("ANSIBLE_INVENTORY", dir.resolve("env.ini").toString());
        assertEquals(ExitCodes.OK, run("inventory"), err.toString());
        assertTrue(json().get("ungrouped").get("hosts").toString().contains("omero2"));

        out.reset();
        assertEquals(ExitCodes.OK, run("inventory", "-i", "omero3,"), err.toString());
        assertEquals("[\"omero3\"]", json().get("ungrouped").get("hosts").toString());
    }

    @Test
    void ansibleCfgRolesPathIsAListRelativeToTheFile() throws Exception {
        Files.writeString(dir.resolve("ansible.cfg"), "[defaults]\nroles_path = roles:~/shared/roles\n");
        env.put("ANSIBLE_CONFIG", dir.toString());

        AnsibleConfig config = AnsibleConfig.load(env, dir.resolve("home"), Path.of("/"), new PrintStream(err));

        assertEquals(java.util.List.of(dir.resolve("roles"), dir.resolve("home/shared/roles")), config.rolesPath(dir.resolve("home")));
    }

    @Test
    void vaultEncryptedGroupVarsAreReadWithAPasswordFileAndMaskedInTheListing() throws Exception {
        AnsibleVaultTool tool = new AnsibleVaultTool(dir);
        Path pw = Files.writeString(dir.resolve("pw"), "hunter22\n");
        Path inventory = Files.writeString(dir.resolve("hosts.ini"), "[omero]\nomero1\n");
        Path vars = Files.createDirectories(dir.resolve("group_vars")).resolve("omero.yml");
        Files.writeString(vars, "omero_db_host: db-internal.example.org\n");
        tool.encrypt(vars, pw, null);

        assertEquals(ExitCodes.OK, run("inventory", "-i", inventory.toString(), "--vault-password-file", pw.toString()), err.toString());

        assertEquals("********", json().get("_meta").get("hostvars").get("omero1").get("omero_db_host").asText());
        assertFalse(out.toString().contains("db-internal"));
    }

    @Test
    void aVaultPasswordScriptIsRunAndAWrongPasswordIsExit5NamingTheFile() throws Exception {
        AnsibleVaultTool tool = new AnsibleVaultTool(dir);
        Path pw = Files.writeString(dir.resolve("pw"), "right-one");
        Path inventory = Files.writeString(dir.resolve("hosts.yml"), "all:\n  hosts:\n    omero1:\n");
        Files.writeString(inventory, "all:\n  hosts:\n    omero1:\n      " + tool.encryptString("db_password", "pg-secret", pw, "prod")
                .replace("\n", "\n      ").strip() + "\n");
        Path script = Files.writeString(dir.resolve("pass.sh"), "#!/bin/sh\necho right-one\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        Path wrong = Files.writeString(dir.resolve("wrong"), "not-it\n");

        assertEquals(ExitCodes.OK, run("inventory", "-i", inventory.toString(), "--vault-id", "prod@" + script), err.toString());
        assertEquals("********", json().get("_meta").get("hostvars").get("omero1").get("db_password").asText());

        assertEquals(ExitCodes.INVALID_INPUT, run("inventory", "-i", inventory.toString(), "--vault-password-file", wrong.toString()));
        assertTrue(err.toString().contains(inventory + ":4:"), err.toString());
        assertTrue(err.toString().contains("cannot decrypt (vault id 'prod')"), err.toString());
    }

    @Test
    void anAnsibleCfgInventoryOfSeveralFilesIsRefusedRatherThanReadAsHostNames() throws Exception {
        Files.writeString(dir.resolve("a.ini"), "omero1\n");
        Files.writeString(dir.resolve("b.ini"), "omero2\n");
        Files.writeString(dir.resolve("ansible.cfg"), "[defaults]\ninventory = a.ini,b.ini\n");
        env.put("ANSIBLE_CONFIG", dir.resolve("ansible.cfg").toString());

        assertEquals(ExitCodes.INVALID_INPUT, run("inventory"));
        assertTrue(err.toString().contains("ansible.cfg:2: inventory names 2 sources"), err.toString());
    }

    @Test
    void forksFromAnsibleCfgDefaultsRunButNotBench() throws Exception {
        Files.writeString(dir.resolve("ansible.cfg"), "[defaults]\nforks = 7\n");
        env.put("ANSIBLE_CONFIG", dir.resolve("ansible.cfg").toString());
        ConfigDefaults defaults = new ConfigDefaults(() -> AnsibleConfig.load(env, dir, dir, new PrintStream(err)), dir);
        picocli.CommandLine.Model.CommandSpec run = Main.commandLine(Main.services(new PrintStream(out), new PrintStream(err)))
                .getSubcommands().get("run").getCommandSpec();
        picocli.CommandLine.Model.CommandSpec bench = Main.commandLine(Main.services(new PrintStream(out), new PrintStream(err)))
                .getSubcommands().get("bench").getCommandSpec();

        assertEquals("7", defaults.defaultValue(run.findOption("--forks")));
        assertEquals(null, defaults.defaultValue(bench.findOption("--forks")));
    }
}
