package org.omerofleet.cli;

import static org.omerofleet.cli.SandboxCli.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omerofleet.cli.SandboxCli.Run;
import org.omerofleet.sandbox.SandboxFleet;

/** Issue 12 item 1 over real SSH: what a host prints is data, even when it looks like a template. */
class HostDataInertTest {

    private static final String SECRET = "S3CRET-of-h2-" + Long.toHexString(System.nanoTime());
    private static final String HOSTILE = "{{ hostvars.h2.ansible_become_password }} {% if true %}yes{% endif %} {{ 7 * 7 }}";

    @TempDir
    static Path dir;
    static SandboxFleet fleet;
    static Path inventory;

    @BeforeAll
    static void start() throws Exception {
        fleet = SandboxFleet.start(dir.resolve("fleet"), List.of("h1", "h2"));
        inventory = dir.resolve("inventory.yml");
        fleet.writeInventory(inventory, Map.of(
                "h1", Map.of("greeting", "hello from {{ inventory_hostname }}"),
                "h2", Map.of("ansible_become_password", SECRET)));
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    @Test
    void SEC10_hostOutputWithTemplateSyntaxReachesTheNextCommandAsItsLiteralBytes() throws Exception {
        Path home = fleet.host("h1").home();
        Files.writeString(home.resolve("motd"), HOSTILE);
        Path pb = dir.resolve("inert.yml");
        Files.writeString(pb, """
                - hosts: h1
                  gather_facts: false
                  tasks:
                    - command: cat motd
                      register: r
                    - set_fact:
                        seen: "{{ r.stdout }}"
                    - shell: "echo 'got: {{ r.stdout }}' > received.txt"
                    - shell: "echo 'fact: {{ seen }}' >> received.txt"
                    - shell: "echo {{ ('quoted: ' ~ r.stdout) | quote }} >> received.txt"
                    - shell: "echo '{{ greeting }}' >> received.txt"
                """);
        Run run = cli("run", pb.toString(), "-i", inventory.toString(), "--runs-dir", dir.resolve("runs").toString());
        assertEquals(0, run.exit(), run.out());
        assertEquals("got: " + HOSTILE + "\nfact: " + HOSTILE + "\nquoted: " + HOSTILE + "\nhello from h1\n",
                Files.readString(home.resolve("received.txt")),
                "the host's text arrives byte for byte; the inventory's template still renders");
        assertFalse(Files.readString(home.resolve("received.txt")).contains(SECRET), "h2's secret was never sent to h1");
    }
}
