package org.omerofleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omerofleet.sandbox.SandboxFleet;
import org.omerofleet.testing.AnsibleVaultTool;

/**
 * A run on a sandbox host with a value from a vault-encrypted group_vars file under a name that does
 * not say "secret": the host gets the value, and nothing the run writes shows it; with a wrong
 * password the run is refused before any host is touched.
 */
class VaultSecretsInARunTest {

    private static final String VALUE = "db-canary-" + Long.toHexString(System.nanoTime());

    @TempDir
    static Path dir;
    static SandboxFleet fleet;
    static Path inventory;
    static Path playbook;
    static Path password;

    @BeforeAll
    static void start() throws Exception {
        AnsibleVaultTool tool = new AnsibleVaultTool(dir);
        fleet = SandboxFleet.start(dir.resolve("fleet"), List.of("v1"));
        inventory = dir.resolve("inv/hosts.yml");
        Files.createDirectories(inventory.getParent());
        fleet.writeInventory(inventory, Map.of());
        password = Files.writeString(dir.resolve("pw"), "vault pass\n");
        Path vars = Files.createDirectories(dir.resolve("inv/group_vars")).resolve("all.yml");
        Files.writeString(vars, "omero_db_host: " + VALUE + "\n");
        tool.encrypt(vars, password, null);
        playbook = Files.writeString(dir.resolve("site.yml"), "- hosts: all\n  gather_facts: false\n  tasks:\n"
                + "    - command: echo {{ omero_db_host }}\n      register: out\n    - debug: var=out.stdout\n"
                + "    - copy:\n        content: \"{{ omero_db_host }}\"\n        dest: \"{{ fleet_dir }}/value\"\n");
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    private static String run(Path runs, String pw, int expected) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        int exit = Main.execute(new String[] {"run", playbook.toString(), "-i", inventory.toString(), "-vv", "--runs-dir", runs.toString(),
            "--vault-password-file", pw, "-e", "fleet_dir=" + fleet.host("v1").home()}, print, print);
        String output = out.toString(StandardCharsets.UTF_8);
        assertEquals(expected, exit, output);
        return output;
    }

    @Test
    void aDecryptedValueReachesTheHostButNoOutputOrFileOfTheRun() throws Exception {
        Path runs = dir.resolve("runs");
        String output = run(runs, password.toString(), ExitCodes.OK);

        assertEquals(VALUE, Files.readString(fleet.host("v1").home().resolve("value")));
        assertFalse(output.contains(VALUE), output);
        assertTrue(output.contains("********"), output);
        try (Stream<Path> files = Files.walk(runs)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertFalse(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(VALUE), f.toString());
            }
        }
    }

    @Test
    void aWrongPasswordIsExit5NamingTheFileAndTouchesNoHost() throws Exception {
        Path wrong = Files.writeString(dir.resolve("wrong"), "not the pass\n");
        Path runs = dir.resolve("runs-wrong");
        String output = run(runs, wrong.toString(), ExitCodes.INVALID_INPUT);

        assertTrue(output.contains(dir.resolve("inv/group_vars/all.yml") + ":1:1: cannot decrypt"), output);
        assertTrue(output.contains("nothing was changed on any host"), output);
        assertFalse(Files.exists(runs), "no run directory for a refused run");
    }
}
