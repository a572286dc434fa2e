package org.omerofleet.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omerofleet.input.InvalidInputException;
import org.omerofleet.input.SourcePosition;
import org.omerofleet.inventory.Group;
import org.omerofleet.inventory.Host;
import org.omerofleet.inventory.Inventory;
import org.omerofleet.journal.Journal;
import org.omerofleet.journal.JournalReader;
import org.omerofleet.modules.ModuleRegistry;
import org.omerofleet.playbook.Play;
import org.omerofleet.playbook.Playbook;
import org.omerofleet.playbook.Templating;
import org.omerofleet.report.RunDirectoryWriter;
import org.omerofleet.result.RunSummary;
import org.omerofleet.testing.ExecModule;
import org.omerofleet.testing.FakeConnectionFactory;
import org.omerofleet.testing.Tasks;
import org.omerofleet.transport.HostKeyPolicy;
import org.omerofleet.transport.SshTarget;

/** What a run directory holds is this user's only, and its journal is no guessing oracle for the variables. */
class RunDirectoryTest {

    @TempDir
    Path dir;

    private final Playbook playbook = new Playbook(Path.of("site.yml"), List.of(Play.of(SourcePosition.of(Path.of("site.yml")), "test play",
            "all", List.of(Tasks.task("one", "exec", Map.of("cmd", "one")), Tasks.task("two", "exec", Map.of("cmd", "two"))))));

    private static Inventory inventory() {
        return new Inventory(Path.of("inventory.yml"), Map.of("h1", new Host("h1", Map.of(), List.of("all", "ungrouped"))),
                Map.of("all", new Group("all", Map.of(), List.of(), List.of("ungrouped")), "ungrouped", new Group("ungrouped", Map.of(), List.of("h1"), List.of())));
    }

    private RunSummary run(Map<String, Object> extraVars, Optional<Path> resume) throws InvalidInputException {
        PlaybookExecutor executor = new PlaybookExecutor(new ModuleRegistry(List.of(new ExecModule())), new Templating(), new PlaybookExecutor.Reach(new FakeConnectionFactory(),
                (host, vars) -> new SshTarget(host, "127.0.0.1", 22, "u", List.of(), Optional.empty(), dir.resolve("known_hosts"),
                        HostKeyPolicy.STRICT, Duration.ofSeconds(1), 0, Duration.ZERO, Optional.empty(), List.of())),
                Clock.systemUTC(), new Random(1));
        RunOptions options = new RunOptions(1, false, false, extraVars, Optional.empty(), Set.of(), Set.of(), false, Optional.empty(),
                dir.resolve("runs"), Optional.empty(), resume, List.of(), Optional.empty());
        RunDirectoryWriter writer = new RunDirectoryWriter(summary -> 0);
        return executor.run(playbook, inventory(), options, new RunListener() {
            @Override
            public void runStarted(String runId, Path runDir) {
                writer.runStarted(runId, runDir);
                writer.hostLog("h1", "a line of host output");
            }

            @Override
            public void runFinished(RunSummary summary) {
                writer.runFinished(summary);
            }
        });
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void theRunDirectoryAndEveryFileInItAreReadableByTheUserOnly() throws Exception {
        Path runDir = run(Map.of(), Optional.empty()).runDir();
        assertEquals("rwx------", mode(dir.resolve("runs")));
        List<Path> all;
        try (Stream<Path> walk = Files.walk(runDir)) {
            all = walk.toList();
        }
        assertTrue(all.contains(runDir.resolve(Journal.FILE)) && all.contains(runDir.resolve("report.json"))
                && all.contains(runDir.resolve("hosts/h1.log")) && all.contains(runDir.resolve(PlanFingerprint.KEY_FILE)), all.toString());
        for (Path p : all) {
            assertEquals(Files.isDirectory(p) ? "rwx------" : "rw-------", mode(p), p.toString());
        }
    }

    @Test
    void SEC05_theJournalKeepsTheExtraVariablesAsADigestKeyedForTheRunNotAPlainHash() throws Exception {
        Map<String, Object> vars = Map.of("db_password", "hunter2");
        Path runDir = run(vars, Optional.empty()).runDir();
        @SuppressWarnings("unchecked")
        Map<String, String> fingerprint = (Map<String, String>) JournalReader.read(runDir.resolve(Journal.FILE)).records().get(0).get("fingerprint");
        byte[] json = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true).writeValueAsBytes(vars);
        String plain = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        assertNotEquals(plain, fingerprint.get("extra variables"), "a plain SHA-256 lets anyone reading the journal test password guesses");
        assertFalse(Files.readString(runDir.resolve(Journal.FILE), StandardCharsets.UTF_8).contains("hunter2"));

        Path other = run(vars, Optional.empty()).runDir();
        @SuppressWarnings("unchecked")
        Map<String, String> again = (Map<String, String>) JournalReader.read(other.resolve(Journal.FILE)).records().get(0).get("fingerprint");
        assertNotEquals(fingerprint.get("extra variables"), again.get("extra variables"), "each run has its own key");
    }

    @Test
    void CTL06_aResumeReadsTheRunsKeyBackSoTheSamePlanMatchesAndAChangedOneDoesNot() throws Exception {
        Map<String, Object> vars = Map.of("db_password", "hunter2");
        Path runDir = run(vars, Optional.empty()).runDir();
        // as if the controller died before the end: drop the host and finish records
        Path journal = runDir.resolve(Journal.FILE);
        List<String> kept = Files.readAllLines(journal).stream().filter(l -> !l.contains("\"t\":\"host\"") && !l.contains("\"t\":\"finish\""))
                .collect(Collectors.toList());
        Files.write(journal, kept);

        InvalidInputException refused = assertThrows(InvalidInputException.class, () -> run(Map.of("db_password", "hunter3"), Optional.of(runDir)));
        assertTrue(refused.getMessage().contains("extra variables changed"), refused.getMessage());
        assertEquals(runDir, run(vars, Optional.of(runDir)).runDir());
    }
}
