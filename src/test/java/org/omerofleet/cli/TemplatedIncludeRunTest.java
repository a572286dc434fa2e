package org.omerofleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@code include_tasks} whose file name is a template reads, on each host, the file the host's variables
 * name when it runs (hosts on the controller: {@code ansible_connection: local}).
 */
class TemplatedIncludeRunTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String playbook, String inventory) throws Exception {
        Path site = Files.writeString(dir.resolve("site.yml"), playbook);
        Path inv = Files.writeString(dir.resolve("inv.yml"), inventory);
        return Main.execute(new String[] {"run", site.toString(), "-i", inv.toString(), "--runs-dir", dir.resolve("runs").toString(),
                "-e", "out=" + dir.resolve("out")}, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** Make the finished run look cut off before its end: drop the hosts' terminal records and the finish record. */
    private Path unfinished() throws Exception {
        Path run;
        try (var runs = Files.list(dir.resolve("runs"))) {
            run = runs.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        Path journal = run.resolve("journal.log");
        List<String> kept = Files.readAllLines(journal).stream().filter(l -> !l.contains("\"t\":\"host\"") && !l.contains("\"t\":\"finish\""))
                .toList();
        Files.write(journal, kept);
        return run;
    }

    private int resume(Path run) {
        out.reset();
        err.reset();
        return Main.execute(new String[] {"resume", run.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String trace(String host) throws Exception {
        Path file = dir.resolve("out").resolve(host);
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static final String INVENTORY = "all:\n  vars: {ansible_connection: local}\n  hosts:\n"
            + "    h1: {os: Debian, pick: good}\n    h2: {os: RedHat, pick: other}\n";

    private static final String PLAYBOOK = "- hosts: all\n  gather_facts: false\n  tasks:\n"
            + "    - command: echo {{ pick }}\n      register: picked\n"
            + "    - include_tasks: \"{{ os }}.yml\"\n"
            + "    - include_tasks:\n        file: \"tasks/{{ picked.stdout }}.yml\"\n      vars: {word: from-vars}\n"
            + "    - shell: echo after >> {{ out }}/{{ inventory_hostname }}\n";

    private void files() throws Exception {
        Files.createDirectories(dir.resolve("out"));
        Files.createDirectories(dir.resolve("tasks"));
        Files.writeString(dir.resolve("Debian.yml"), "- shell: echo debian >> {{ out }}/{{ inventory_hostname }}\n");
        Files.writeString(dir.resolve("RedHat.yml"), "- shell: echo redhat >> {{ out }}/{{ inventory_hostname }}\n");
        Files.writeString(dir.resolve("tasks/good.yml"), "- shell: echo good {{ word }} >> {{ out }}/{{ inventory_hostname }}\n");
        Files.writeString(dir.resolve("tasks/other.yml"), "- shell: echo other {{ word }} >> {{ out }}/{{ inventory_hostname }}\n"
                + "- include_tasks: \"../{{ os }}.yml\"\n");
    }

    @Test
    void eachHostRunsTheFileItsVariablesAndRegisteredResultsName() throws Exception {
        files();

        assertEquals(0, run(PLAYBOOK, INVENTORY), err.toString(StandardCharsets.UTF_8) + out);

        assertEquals("debian\ngood from-vars\nafter\n", trace("h1"));
        assertEquals("redhat\nother from-vars\nredhat\nafter\n", trace("h2"));
    }

    @Test
    void aMissingFileFailsOnlyTheHostThatNamesIt() throws Exception {
        files();
        Files.delete(dir.resolve("RedHat.yml"));

        assertEquals(2, run(PLAYBOOK, INVENTORY));

        assertEquals("debian\ngood from-vars\nafter\n", trace("h1"));
        assertEquals("", trace("h2"));
        String shown = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("site.yml:6:") && shown.contains("file 'RedHat.yml' (from '{{ os }}.yml') not found"), shown);
    }

    @Test
    void aFileThatDoesNotLoadFailsTheHostNamingItsLineAndField() throws Exception {
        files();
        Files.writeString(dir.resolve("RedHat.yml"), "- shell: echo redhat\n  bogus_key: 1\n");

        assertEquals(2, run(PLAYBOOK, INVENTORY));

        assertEquals("debian\ngood from-vars\nafter\n", trace("h1"));
        assertEquals("", trace("h2"));
        String shown = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("RedHat.yml:2:3: unknown key 'bogus_key'"), shown);
    }

    @Test
    void aResumeReplaysTheTasksOfAFileReadWhenItRanFromTheJournal() throws Exception {
        files();
        assertEquals(0, run(PLAYBOOK, INVENTORY));
        Path run = unfinished();
        String journal = Files.readString(run.resolve("journal.log"));
        assertTrue(journal.contains("\"task\":\"p1.2:RedHat.yml.1\""), journal);
        assertTrue(journal.contains("\"task\":\"p1.3:tasks/other.yml.2:RedHat.yml.1\""), journal);

        assertEquals(0, resume(run), err.toString(StandardCharsets.UTF_8) + out);

        assertEquals("redhat\nother from-vars\nredhat\nafter\n", trace("h2"), "nothing ran twice");
    }

    @Test
    void aResumeRefusesAFileReadWhenItRanThatChangedSince() throws Exception {
        files();
        assertEquals(0, run(PLAYBOOK, INVENTORY));
        Path run = unfinished();
        Files.writeString(dir.resolve("RedHat.yml"), "- shell: echo changed >> {{ out }}/{{ inventory_hostname }}\n");

        assertEquals(2, resume(run));

        assertEquals("redhat\nother from-vars\nredhat\nafter\n", trace("h2"));
        String shown = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("RedHat.yml changed since the run began"), shown);
    }
}
