package org.omerofleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omerofleet.sandbox.SandboxFleet;
import org.omerofleet.sandbox.SandboxHost;

/** Issue 2's acceptance: playbooks over real SSH on 50 sandbox hosts, driven through the command line. */
class SandboxRunTest {

    @TempDir
    static Path dir;
    static SandboxFleet fleet;
    static Path inventory;

    @BeforeAll
    static void start() throws Exception {
        List<String> names = IntStream.rangeClosed(1, 50).mapToObj(i -> String.format("omero%02d", i)).toList();
        fleet = SandboxFleet.start(dir.resolve("fleet"), names);
        inventory = dir.resolve("inventory.yml");
        fleet.writeInventory(inventory, Map.of());
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    record Run(int exit, String out, String err) { }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Path playbook(String name, String yaml) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void tenTasksOnFiftyHostsWithFiftyForksAreAllOk() throws Exception {
        StringBuilder yaml = new StringBuilder("- name: ten tasks\n  hosts: sandbox\n  gather_facts: false\n  tasks:\n");
        for (int i = 1; i <= 10; i++) {
            yaml.append("    - name: step ").append(i).append("\n      command: echo {{ inventory_hostname }} ").append(i).append('\n');
            yaml.append("      changed_when: false\n");
        }
        Path runs = dir.resolve("runs-ten");
        Run r = run("run", playbook("ten.yml", yaml.toString()).toString(), "-i", inventory.toString(), "-f", "50",
                "--runs-dir", runs.toString());
        assertEquals(0, r.exit(), r.err() + r.out());
        for (int i = 1; i <= 50; i++) {
            String host = String.format("omero%02d", i);
            assertTrue(r.out().matches("(?s).*" + host + " +: ok=10 +changed=0 +unreachable=0 +failed=0.*"), host + "\n" + r.out());
        }
        Path runDir = SandboxCli.onlyRun(runs);
        JsonNode report = new ObjectMapper().readTree(runDir.resolve("report.json").toFile());
        assertEquals(50, report.get("hosts").size());
        assertEquals(50, report.get("totals").get("UP_TO_DATE").asInt(), "nothing changed, so every host is up to date");
        var junit = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(runDir.resolve("junit.xml").toFile());
        var cases = junit.getElementsByTagName("testcase");
        Set<String> names = new TreeSet<>();
        for (int i = 0; i < cases.getLength(); i++) {
            names.add(((org.w3c.dom.Element) cases.item(i)).getAttribute("name"));
        }
        assertEquals(50, names.size());
        assertEquals(0, junit.getElementsByTagName("failure").getLength());
        try (Stream<Path> logs = Files.list(runDir.resolve("hosts"))) {
            assertEquals(50, logs.count());
        }
    }

    @Test
    void aTaskFailingOnThreeHostsGivesExitTwoAndTheRecapNamesExactlyThose() throws Exception {
        Set<String> failing = Set.of("omero07", "omero21", "omero44");
        Path pb = playbook("three.yml", """
                - hosts: sandbox
                  gather_facts: false
                  vars:
                    failing: [omero07, omero21, omero44]
                  tasks:
                    - name: fail on some
                      command: "{{ 'false' if inventory_hostname in failing else 'true' }}"
                    - name: after
                      command: "true"
                """);
        Run r = run("run", pb.toString(), "-i", inventory.toString(), "-f", "20", "--runs-dir", dir.resolve("runs-three").toString());
        assertEquals(ExitCodes.FAILED_SAFELY, r.exit(), r.err() + r.out());
        Set<String> failedInRecap = new TreeSet<>();
        for (String line : r.out().split("\n")) {
            if (line.matches("omero\\d\\d +: .*failed=1.*")) {
                failedInRecap.add(line.substring(0, 7));
            }
        }
        assertEquals(new TreeSet<>(failing), failedInRecap);
        Path retry = SandboxCli.onlyRun(dir.resolve("runs-three")).resolve("retry");
        assertEquals(new TreeSet<>(failing), new TreeSet<>(Files.readAllLines(retry)));
        Run again = run("run", pb.toString(), "-i", inventory.toString(), "--limit", "@" + retry, "--runs-dir", dir.resolve("runs-retry").toString());
        assertEquals(3, again.out().lines().filter(l -> l.matches("omero\\d\\d +: ok=.*")).count(), "exit " + again.exit() + again.err() + again.out());
    }

    @Test
    void aHostStoppedMidRunIsUnreachableWhileTheOtherFortyNineFinish() throws Exception {
        SandboxHost victim = fleet.host("omero33");
        Path pb = playbook("midrun.yml", """
                - hosts: sandbox
                  gather_facts: false
                  tasks:
                    - name: first
                      command: "true"
                    - name: the victim goes down here
                      shell: "if [ {{ inventory_hostname }} = omero33 ]; then touch going-down; sleep 60; fi"
                    - name: third
                      command: "true"
                """);
        Thread stopper = new Thread(() -> {
            while (!Files.exists(victim.home().resolve("going-down"))) {
                Thread.onSpinWait();
            }
            try {
                victim.stop();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        stopper.setDaemon(true);
        stopper.start();
        try {
            Run r = run("run", pb.toString(), "-i", inventory.toString(), "-f", "50", "--runs-dir", dir.resolve("runs-mid").toString());
            assertEquals(ExitCodes.UNREACHABLE, r.exit(), r.err() + r.out());
            assertTrue(r.out().matches("(?s).*omero33 +: ok=1 +changed=\\d+ +unreachable=1 +failed=0.*"), r.out());
            long finished = r.out().lines().filter(l -> l.matches("omero\\d\\d +: ok=3 .*unreachable=0 +failed=0.*")).count();
            assertEquals(49, finished, r.out());
        } finally {
            stopper.join();
            Files.delete(victim.home().resolve("going-down"));
            victim.start();
        }
    }

    @Test
    void jsonPrintsTheReportOnStdoutAndTheProgressOnStderr() throws Exception {
        Path pb = playbook("json.yml", "- hosts: omero0*\n  gather_facts: false\n  tasks:\n    - command: 'true'\n");
        Run r = run("run", pb.toString(), "-i", inventory.toString(), "--json", "--runs-dir", dir.resolve("runs-json").toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode report = new ObjectMapper().readTree(r.out());
        assertEquals(9, report.get("hosts").size());
        assertEquals(1, report.get("schema").asInt());
        assertTrue(r.err().contains("PLAY RECAP"), r.err());
    }

    @Test
    void pingReachesEveryHostOfAPattern() {
        Run r = run("ping", "-i", inventory.toString(), "--limit", "omero0*", "-f", "10");
        assertEquals(0, r.exit(), r.err() + r.out());
        List<String> pongs = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            if (line.contains("pong") || line.contains("SUCCESS")) {
                pongs.add(line);
            }
        }
        assertEquals(9, pongs.size(), r.out());
    }

    @Test
    void throttleLetsAtMostThatManyHostsRunTheTaskAtOnce() throws Exception {
        Path log = dir.resolve("throttle.log");
        Path book = playbook("throttle.yml", """
                - hosts: sandbox[0:7]
                  gather_facts: false
                  tasks:
                    - name: two at a time
                      throttle: 2
                      shell: echo "+ $(date +%s%N)" >> LOG; sleep 0.3; echo "- $(date +%s%N)" >> LOG
                """.replace("LOG", log.toString()));
        Run r = run("run", book.toString(), "-i", inventory.toString(), "-f", "8", "--runs-dir", dir.resolve("runs-throttle").toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        List<String[]> events = Files.readAllLines(log).stream().map(l -> l.split(" ")).sorted(
                java.util.Comparator.comparingLong((String[] e) -> Long.parseLong(e[1])).thenComparing(e -> e[0].equals("+") ? 1 : 0)).toList();
        int running = 0;
        int most = 0;
        for (String[] e : events) {
            running += e[0].equals("+") ? 1 : -1;
            most = Math.max(most, running);
        }
        assertEquals(16, events.size());
        assertEquals(2, most, "at most two hosts at once, and two did run together");
    }

    @Test
    void metaFlushHandlersRunsTheNotifiedHandlersAtThatPointAndAgainOnlyIfNotifiedAgain() throws Exception {
        Path book = playbook("flush.yml", """
                - hosts: sandbox[0:2]
                  gather_facts: false
                  tasks:
                    - name: change something
                      shell: echo changed >> flush.log
                      notify: restart
                    - meta: flush_handlers
                    - name: after the flush
                      shell: echo after >> flush.log
                      notify: restart
                  handlers:
                    - name: restart
                      shell: echo restart >> flush.log
                """);
        Run r = run("run", book.toString(), "-i", inventory.toString(), "--runs-dir", dir.resolve("runs-flush").toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        for (String host : List.of("omero01", "omero02", "omero03")) {
            assertEquals(List.of("changed", "restart", "after", "restart"), Files.readAllLines(fleet.host(host).home().resolve("flush.log")));
        }
        Run bad = run("run", playbook("badmeta.yml", """
                - hosts: omero01
                  gather_facts: false
                  tasks:
                    - meta: end_everything
                """).toString(), "-i", inventory.toString(), "--runs-dir", dir.resolve("runs-badmeta").toString());
        assertEquals(ExitCodes.INVALID_INPUT, bad.exit(), bad.out() + bad.err());
        assertTrue(bad.err().contains("badmeta.yml:4") && bad.err().contains("meta: 'end_everything' is not supported"), bad.err());
    }
}
