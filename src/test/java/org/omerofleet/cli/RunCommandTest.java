package org.omerofleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int execute(String... args) {
        return Main.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** An inventory whose only host is a TEST-NET address: contacting it would hang, not fail fast. */
    private Path inventory() throws Exception {
        Path inv = dir.resolve("inv.yml");
        Files.writeString(inv, "all:\n  hosts:\n    omero1:\n      ansible_host: 192.0.2.1\n");
        return inv;
    }

    @Test
    void helpListsTheExitCodes() {
        assertEquals(0, execute("--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("5") && help.contains("invalid input"), help);
        assertTrue(help.contains("needs attention"), help);
    }

    @Test
    void unknownOptionIsAUsageErrorWithExitFive() {
        assertEquals(ExitCodes.INVALID_INPUT, execute("run", "--frks", "3"));
    }

    @Test
    void IN01_yamlSyntaxErrorIsReportedWithPositionAndExitFive() throws Exception {
        Path playbook = dir.resolve("site.yml");
        Files.writeString(playbook, "- hosts: all\n  tasks:\n    - name: x\n      debug: {msg: [unclosed\n");
        assertEquals(ExitCodes.INVALID_INPUT, execute("run", playbook.toString(), "-i", inventory().toString()));
        assertTrue(stderr().contains("site.yml:"), stderr());
        assertTrue(stderr().contains("nothing was changed"), stderr());
    }

    private Path simplePlaybook() throws Exception {
        return Files.writeString(dir.resolve("site.yml"), "- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: {msg: hi}\n");
    }

    @Test
    void IN01_extraVarsFromADeviceAreRefusedWithExitFive() throws Exception {
        assertEquals(ExitCodes.INVALID_INPUT, execute("run", simplePlaybook().toString(), "-i", inventory().toString(), "-e", "@/dev/zero"));
        assertTrue(stderr().contains("error: /dev/zero:1:1: not a regular file"), stderr());
        assertTrue(stderr().contains("nothing was changed"), stderr());
    }

    @Test
    void IN01_anInventoryThatIsADeviceIsRefusedWithExitFive() {
        assertEquals(ExitCodes.INVALID_INPUT, execute("inventory", "-i", "/dev/zero"));
        assertTrue(stderr().contains("error: /dev/zero:1:1: not a regular file"), stderr());
    }

    @Test
    void IN01_aPlaybookLinkedToADeviceIsRefusedWithExitFive() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("linked.yml"), Path.of("/dev/zero"));
        assertEquals(ExitCodes.INVALID_INPUT, execute("run", link.toString(), "-i", inventory().toString()));
        assertTrue(stderr().contains("error: " + link + ":1:1: not a regular file"), stderr());
    }

    @Test
    void aWhenSyntaxErrorInALaterTaskStopsTheRunBeforeAnyHostIsContacted() throws Exception {
        Path playbook = Files.writeString(dir.resolve("site.yml"), "- hosts: all\n  gather_facts: false\n  tasks:\n"
                + "    - command: touch changed-a-host\n    - debug: {msg: later}\n      when: \"1 +\"\n");
        // the only host is a TEST-NET address: had the run started, it would hang rather than exit
        assertEquals(ExitCodes.INVALID_INPUT, execute("run", playbook.toString(), "-i", inventory().toString()));
        assertTrue(stderr().contains("site.yml:6:13: 'when': syntax error"), stderr());
    }

    @Test
    void unknownPlayKeyIsReportedWithASuggestion() throws Exception {
        Path playbook = dir.resolve("site.yml");
        Files.writeString(playbook, "- hosts: all\n  serail: 2\n  tasks:\n    - debug: {msg: hi}\n");
        assertEquals(ExitCodes.INVALID_INPUT, execute("run", playbook.toString(), "-i", inventory().toString()));
        assertTrue(stderr().contains("site.yml:2:3"), stderr());
        assertTrue(stderr().contains("did you mean 'serial'?"), stderr());
    }

    @Test
    void undefinedVariableIsCaughtBeforeAnyHostIsContacted() throws Exception {
        Path playbook = dir.resolve("site.yml");
        Files.writeString(playbook, "- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: {msg: \"{{ omero_targte }}\"}\n");
        assertEquals(ExitCodes.INVALID_INPUT, execute("run", playbook.toString(), "-i", inventory().toString(), "-e", "omero_target=4.4.1"));
        assertTrue(stderr().contains("omero_targte"), stderr());
    }

    @Test
    void aBecomeMethodOtherThanSudoIsRefusedBeforeAnyHostIsContacted() throws Exception {
        Path playbook = dir.resolve("site.yml");
        Files.writeString(playbook, "- hosts: all\n  gather_facts: false\n  tasks:\n    - command: id\n      become: true\n      become_method: su\n");
        assertEquals(ExitCodes.INVALID_INPUT, execute("run", playbook.toString(), "-i", inventory().toString()));
        assertTrue(stderr().contains("site.yml:6:22"), stderr());
        assertTrue(stderr().contains("only sudo"), stderr());
    }

    @Test
    void startAtAnUnknownTaskIsAUsageErrorWithASuggestion() throws Exception {
        Path playbook = dir.resolve("site.yml");
        Files.writeString(playbook, "- hosts: all\n  gather_facts: false\n  tasks:\n    - name: Stop the server\n      command: 'true'\n");
        assertEquals(ExitCodes.INVALID_INPUT, execute("run", playbook.toString(), "-i", inventory().toString(), "--start-at-task", "Stop the sever"));
        assertTrue(stderr().contains("did you mean 'Stop the server'"), stderr());
    }
}
