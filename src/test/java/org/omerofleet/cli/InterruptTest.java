package org.omerofleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omerofleet.sandbox.SandboxFleet;

/** CTL-04: Ctrl-C on a real controller process. */
class InterruptTest {

    @TempDir
    Path dir;

    @Test
    void CTL04_sigintLetsTheCurrentStepFinishWritesTheReportAndExits130() throws Exception {
        try (SandboxFleet fleet = SandboxFleet.start(dir.resolve("fleet"), List.of("i1", "i2"))) {
            Path inventory = dir.resolve("inventory.yml");
            fleet.writeInventory(inventory, Map.of());
            Path playbook = dir.resolve("long.yml");
            Files.writeString(playbook, """
                    - hosts: sandbox
                      gather_facts: false
                      tasks:
                        - name: a step that takes a moment
                          shell: touch started; sleep 2; touch finished
                        - name: never started after the interrupt
                          shell: touch second
                    """);
            Path runs = dir.resolve("runs");
            Process controller = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                    System.getProperty("java.class.path"), Main.class.getName(), "run", playbook.toString(), "-i", inventory.toString(),
                    "--runs-dir", runs.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
            Path started = fleet.host("i1").home().resolve("started");
            while (!Files.exists(started) && controller.isAlive()) {
                Thread.onSpinWait();
            }
            assertEquals(0, new ProcessBuilder("kill", "-INT", String.valueOf(controller.pid())).start().waitFor());
            assertTrue(controller.waitFor(60, TimeUnit.SECONDS), "the controller exits");
            String out = Files.readString(dir.resolve("out.txt"));
            assertEquals(130, controller.exitValue(), out);
            for (String host : List.of("i1", "i2")) {
                assertTrue(Files.exists(fleet.host(host).home().resolve("finished")), host + ": the step in progress completed\n" + out);
                assertFalse(Files.exists(fleet.host(host).home().resolve("second")), host + ": nothing new started\n" + out);
            }
            Path runDir;
            try (Stream<Path> list = Files.list(runs)) {
                runDir = list.findFirst().orElseThrow();
            }
            JsonNode report = new ObjectMapper().readTree(runDir.resolve("report.json").toFile());
            assertTrue(report.get("interrupted").asBoolean(), report.toString());
        }
    }
}
