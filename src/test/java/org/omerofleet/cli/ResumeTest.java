package org.omerofleet.cli;

import static org.omerofleet.cli.SandboxCli.cli;
import static org.omerofleet.cli.SandboxCli.column;
import static org.omerofleet.cli.SandboxCli.onlyRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omerofleet.cli.SandboxCli.Run;
import org.omerofleet.journal.CrashAtRecord;
import org.omerofleet.journal.Journal;
import org.omerofleet.journal.JournalReader;
import org.omerofleet.sandbox.OmeroReleases;
import org.omerofleet.sandbox.OmeroSandbox;

/**
 * CTL-01, CTL-06, CTL-07: the controller process killed (halted as by {@code kill -9}) at every step
 * boundary of the upgrade playbook, just before and just after each remote side effect, then
 * {@code resume}: every host must end upgraded, with the database upgraded once and one verified backup.
 */
class ResumeTest {

    /** A crash point: halt before the n-th journal record is written, or after it is on disk. */
    record CrashPoint(int record, String phase, String step) {
        String property() {
            return record + ":" + phase;
        }
    }

    static Path root;
    static OmeroReleases releases;
    static Path zip;

    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        root = Files.createTempDirectory("omero-resume-test");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        releases = new OmeroReleases(Path.of("target", "sandbox-zips"));
        zip = releases.zip("4.4.1");
    }

    /** What a resumed host must look like, or what is wrong with it. */
    interface Outcome {
        List<String> problems(OmeroSandbox sandbox, String host, JsonNode report) throws Exception;
    }

    @Test
    void CTL01_killedAtEveryStepBoundaryOfTheUpgradeResumeLeavesEveryHostUpgradedOnce() throws Exception {
        enumerate("up", zip, ExitCodes.OK, false, (sandbox, host, report) -> {
            List<String> problems = new ArrayList<>();
            expect(problems, report, "SUCCEEDED");
            String upgrades = column(sandbox, host, sandbox.database(host).name(),
                    "SELECT count(*) FROM dbpatch WHERE currentversion = 'OMERO4.4'").get(0);
            if (!upgrades.equals("1")) {
                problems.add(upgrades + " dbpatch rows for OMERO4.4: the upgrade script must run exactly once");
            }
            problems.addAll(SandboxCli.serverProblems(sandbox, host, "4.4.1", "OMERO4.4__0"));
            return problems;
        });
    }

    @Test
    void CTL01_killedAtEveryStepBoundaryOfTheRescueResumeLeavesEveryHostRolledBackOnARestoredDatabase() throws Exception {
        // the new server will not start: the rescue switches back, restores the dump into a new database and starts the old server
        enumerate("rb", releases.zip("4.4.1", OmeroReleases.Fault.START_FAILS), ExitCodes.FAILED_SAFELY, true, (sandbox, host, report) -> {
            List<String> problems = new ArrayList<>();
            expect(problems, report, "FAILED_ROLLED_BACK");
            List<String> restored = column(sandbox, host, "postgres",
                    "SELECT datname FROM pg_database WHERE datname LIKE '" + sandbox.database(host).name() + "_restored_%'");
            if (restored.size() != 1) {
                problems.add("restored databases " + restored + ": the restore must run exactly once");
            }
            problems.addAll(SandboxCli.serverProblems(sandbox, host, "4.3.2", "OMERO4.3__0"));
            return problems;
        });
    }

    /**
     * Run the upgrade once on a reference host to list its crash points, then, one fresh host per point,
     * halt a controller there and resume.
     *
     * @param rescueOnly enumerate only the points from the first failed step on (the rescue's boundaries)
     */
    private void enumerate(String prefix, Path release, int exit, boolean rescueOnly, Outcome outcome) throws Exception {
        List<CrashPoint> points;
        try (OmeroSandbox reference = OmeroSandbox.start(root.resolve(prefix + "-reference"), Map.of(prefix + "ref", "4.3.2"), releases)) {
            Path inventory = root.resolve(prefix + "-reference-inventory.yml");
            reference.writeInventory(inventory);
            Path runs = root.resolve("runs-" + prefix + "ref");
            Run run = cli("upgrade", "-i", inventory.toString(), "--release", release.toString(), "--runs-dir", runs.toString());
            assertEquals(exit, run.exit(), run.out());
            points = crashPoints(onlyRun(runs), rescueOnly);
        }
        assertTrue(points.size() >= (rescueOnly ? 10 : 30), "every executed step gives two crash points: " + points);

        Map<String, String> versions = new LinkedHashMap<>();
        for (int i = 0; i < points.size(); i++) {
            versions.put(prefix + i, "4.3.2");
        }
        try (OmeroSandbox sandbox = OmeroSandbox.start(root.resolve(prefix + "-crash"), versions, releases)) {
            Path inventory = root.resolve(prefix + "-crash-inventory.yml");
            sandbox.writeInventory(inventory);
            ExecutorService pool = Executors.newFixedThreadPool(6); // most of a crash point is waiting on the simulated server
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < points.size(); i++) {
                String host = prefix + i;
                CrashPoint point = points.get(i);
                results.add(pool.submit(() -> crashAndResume(sandbox, inventory, release, host, point, exit, outcome)));
            }
            List<String> failures = new ArrayList<>();
            for (Future<String> f : results) {
                String failure = f.get(10, TimeUnit.MINUTES);
                if (!failure.isEmpty()) {
                    failures.add(failure);
                }
            }
            pool.shutdown();
            assertTrue(failures.isEmpty(), failures.size() + " of " + points.size() + " crash points did not recover:\n"
                    + String.join("\n\n", failures));
        }
    }

    /** {@return empty when the host recovered from the crash, otherwise what went wrong} */
    private static String crashAndResume(OmeroSandbox sandbox, Path inventory, Path release, String host, CrashPoint point, int exit,
                                         Outcome outcome) {
        String where = host + " killed " + point.phase() + " record " + point.record() + " (" + point.step() + ")";
        try {
            Path runs = root.resolve("runs-" + host);
            Path out = root.resolve("controller-" + host + ".txt");
            Process controller = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                    // a controller that lives seconds: C1 alone and the serial collector spend about half the CPU of the defaults
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-D" + CrashAtRecord.PROPERTY + "=" + point.property(), "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "upgrade", "-i", inventory.toString(), "--limit", host, "--release", release.toString(),
                    "--runs-dir", runs.toString())
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!controller.waitFor(5, TimeUnit.MINUTES) || controller.exitValue() != 137) {
                controller.destroyForcibly();
                return where + ": the controller did not halt there:\n" + Files.readString(out);
            }
            Path runDir = onlyRun(runs);
            Run resumed = cli("resume", runDir.toString());
            if (resumed.exit() != exit) {
                return where + ": resume exited " + resumed.exit() + ":\n" + resumed.out();
            }
            List<String> problems = new ArrayList<>(outcome.problems(sandbox, host, JSON.readTree(runDir.resolve("report.json").toFile())
                    .get("hosts").get(0)));
            problems.addAll(common(sandbox, host, runDir));
            return problems.isEmpty() ? "" : where + ": " + String.join("; ", problems) + "\n" + resumed.out();
        } catch (Exception e) {
            return where + ": " + e;
        }
    }

    private static void expect(List<String> problems, JsonNode report, String state) {
        if (!report.get("state").asText().equals(state)) {
            problems.add("state " + report.get("state").asText() + ", expected " + state + ": " + report.get("message").asText());
        }
    }

    /** What every resumed host must show: one verified dump, its lock released, a finished journal that no resume reopens. */
    private static List<String> common(OmeroSandbox sandbox, String host, Path runDir) throws Exception {
        List<String> problems = new ArrayList<>();
        JsonNode report = JSON.readTree(runDir.resolve("report.json").toFile()).get("hosts").get(0);
        Path home = sandbox.fleet().host(host).home();
        List<Path> dumps;
        try (Stream<Path> list = Files.list(home.resolve("omero-backups"))) {
            dumps = list.filter(f -> !f.toString().endsWith(".pgdump.manifest")).toList();
        }
        if (dumps.size() != 1 || !dumps.get(0).toString().endsWith(".pgdump")) {
            problems.add("backups: " + dumps + " (one verified dump expected, never a second or a partial one)");
        } else if (!Files.exists(dumps.get(0).resolveSibling(dumps.get(0).getFileName() + ".manifest"))) {
            problems.add("backups: no manifest beside " + dumps.get(0));
        } else if (!dumps.get(0).toString().equals(report.get("report").path("backup_path").asText())) {
            problems.add("the report names backup " + report.get("report").path("backup_path").asText() + ", the host has " + dumps.get(0));
        }
        if (Files.exists(home.resolve(".omero-fleet/locks/omero-fleet"))) {
            problems.add("the host lock was not released");
        }
        List<Map<String, Object>> records = JournalReader.read(runDir.resolve(Journal.FILE)).records();
        if (!"finish".equals(records.get(records.size() - 1).get("t"))) {
            problems.add("the journal does not end with the run's finish");
        }
        Run again = cli("resume", runDir.toString());
        if (again.exit() != ExitCodes.INVALID_INPUT || !again.out().contains("nothing to resume")) {
            problems.add("a finished run was resumed again: " + again.out());
        }
        return problems;
    }

    /**
     * {@return the crash points of a finished run's journal} For every step that was not skipped: just
     * after its start record is on disk (the remote side effect has not begun) and just before its end
     * record is written (the side effect is done, the journal does not know it); and just before the
     * hosts' terminal states are written.
     */
    static List<CrashPoint> crashPoints(Path runDir, boolean rescueOnly) {
        List<Map<String, Object>> records = JournalReader.read(runDir.resolve(Journal.FILE)).records();
        Map<Object, String> status = new LinkedHashMap<>();
        for (Map<String, Object> r : records) {
            if ("end".equals(r.get("t"))) {
                status.put(r.get("task"), String.valueOf(r.get("status")));
            }
        }
        List<CrashPoint> points = new ArrayList<>();
        boolean failed = false;
        for (int i = 0; i < records.size(); i++) {
            Map<String, Object> r = records.get(i);
            if (rescueOnly && !failed) {
                failed = "end".equals(r.get("t")) && "FAILED".equals(r.get("status"));
                continue; // the points up to the failure are those of the upgrade, enumerated by the other test
            }
            Object task = r.get("task");
            if ("SKIPPED".equals(status.get(task))) {
                continue;
            }
            switch (String.valueOf(r.get("t"))) {
                case "start" -> points.add(new CrashPoint(i + 1, "after", "before " + task));
                case "end" -> points.add(new CrashPoint(i + 1, "before", "after " + task));
                case "host" -> {
                    if (points.stream().noneMatch(p -> p.step().equals("before the hosts' states"))) {
                        points.add(new CrashPoint(i + 1, "before", "before the hosts' states"));
                    }
                }
                default -> { }
            }
        }
        return points;
    }

    @Test
    void CTL06_aResumeIsRefusedWhenTheReleaseOrInventoryChangedSinceTheRunBegan() throws Exception {
        try (OmeroSandbox sandbox = OmeroSandbox.start(root.resolve("stale"), Map.of("stale", "4.3.2"), releases)) {
            Path inventory = root.resolve("stale-inventory.yml");
            sandbox.writeInventory(inventory);
            Files.createDirectories(root.resolve("stale-release"));
            Path release = root.resolve("stale-release").resolve(zip.getFileName());
            Files.copy(zip, release);
            Path runs = root.resolve("runs-stale");
            Process controller = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                    "-D" + CrashAtRecord.PROPERTY + "=4:after", "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "upgrade", "-i", inventory.toString(), "--release", release.toString(), "--runs-dir", runs.toString())
                    .redirectErrorStream(true).start();
            String out = new String(controller.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(137, controller.waitFor(), out);
            Path runDir = onlyRun(runs);

            Files.write(release, new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);
            Run refused = cli("resume", runDir.toString());
            assertEquals(ExitCodes.INVALID_INPUT, refused.exit(), refused.out());
            assertTrue(refused.out().contains("file named by release_zip changed since run"), refused.out());

            Files.copy(zip, release, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            String original = Files.readString(inventory);
            Files.writeString(inventory, original.replaceFirst("(?m)^(\\s+)ansible_port:", "$1omero_note: edited\n$1ansible_port:"));
            Run edited = cli("resume", runDir.toString());
            assertEquals(ExitCodes.INVALID_INPUT, edited.exit(), Files.readString(inventory) + edited.out());
            assertTrue(edited.out().contains("inventory changed since run"), edited.out());

            Files.writeString(inventory, original + "\n# edited\n");
            assertEquals(0, cli("resume", runDir.toString()).exit(), "a comment is not a change of plan");
            Path home = sandbox.fleet().host("stale").home();
            assertTrue(home.resolve("OMERO.server").toRealPath().getFileName().toString().startsWith("OMERO.server-4.4.1"));
        }
    }
}
