package org.omerofleet.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omerofleet.sandbox.OpenSshFleet;

/**
 * Every playbook of the corpus ({@code src/test/resources/conformance/<case>/}) runs twice against the
 * same real sshd hosts, once with {@code ansible-playbook} and once with {@code omero-fleet run}; per
 * host, the recap counters, the exit code and what the host's directory holds afterwards must be the
 * same, unless {@code docs/ansible-differences.md} lists that exact difference. Cases omero-fleet does
 * not support (a {@code refused} file) must be refused with exit 5 at the position they name.
 *
 * <p>System properties: {@code conformance.cases} (a regex over case ids, to run some),
 * {@code conformance.lanes} (cases run side by side on disjoint hosts, 2 by default).
 */
class AnsibleConformanceTest {

    static final Path CORPUS = Path.of("src", "test", "resources", "conformance");
    static final Path DIFFERENCES = Path.of("docs", "ansible-differences.md");
    static final int LANES = Integer.getInteger("conformance.lanes", 2);
    static final int OUTPUT_SHOWN = 6000;
    static final Path PROGRESS = Path.of("target", "conformance-progress.txt");

    @TempDir
    static Path root;
    static OpenSshFleet fleet;
    static final List<Lane> LANE_LIST = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(OpenSshFleet.available(), "no /usr/sbin/sshd: install openssh-server to run the Ansible conformance suite");
        Assumptions.assumeTrue(Tools.ansibleAvailable(root.resolve("home")), "no ansible-playbook: install ansible-core to run the Ansible conformance suite");
        List<String> daemons = new ArrayList<>();
        for (int i = 0; i < LANES; i++) {
            daemons.addAll(Lane.daemons("l" + i));
        }
        fleet = OpenSshFleet.start(root.resolve("fleet"), daemons);
        for (int i = 0; i < LANES; i++) {
            LANE_LIST.add(new Lane(fleet, "l" + i, root.resolve("l" + i)));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (Lane lane : LANE_LIST) {
            lane.close();
        }
        if (fleet != null) {
            fleet.close();
        }
    }

    /** How one case ended. */
    record Result(ConformanceCase c, List<Outcome.Difference> divergences, List<Outcome.Difference> accepted, String detail, String took) {
        boolean passed() {
            return divergences.isEmpty() && detail.isEmpty();
        }
    }

    @Test
    void everyCaseEndsAsItDoesWithAnsiblePlaybook() throws Exception {
        long started = System.nanoTime();
        Files.deleteIfExists(PROGRESS);
        Pattern only = Pattern.compile(System.getProperty("conformance.cases", ".*"));
        List<ConformanceCase> cases = ConformanceCase.all(CORPUS).stream().filter(c -> only.matcher(c.id()).matches()).toList();
        AcceptedDifferences accepted = AcceptedDifferences.read(DIFFERENCES);
        BlockingQueue<Lane> free = new ArrayBlockingQueue<>(LANES, false, LANE_LIST);
        ExecutorService pool = Executors.newFixedThreadPool(LANES);
        List<Future<Result>> futures = new ArrayList<>();
        try {
            for (ConformanceCase c : cases) {
                futures.add(pool.submit(() -> {
                    Lane lane = free.take();
                    try {
                        Result r = run(c, lane, accepted);
                        progress(r);
                        return r;
                    } finally {
                        free.put(lane);
                    }
                }));
            }
            List<Result> results = new ArrayList<>();
            for (Future<Result> f : futures) {
                results.add(f.get());
            }
            report(results, accepted, Duration.ofNanos(System.nanoTime() - started));
            List<String> failed = results.stream().filter(r -> !r.passed()).map(r -> r.c().id()).toList();
            assertTrue(failed.isEmpty(), failed.size() + " conformance cases diverge from ansible-playbook: " + failed);
        } finally {
            pool.shutdownNow();
        }
    }

    /** One line per finished case, for whoever watches a long run. */
    private static synchronized void progress(Result r) throws java.io.IOException {
        Files.writeString(PROGRESS, (r.passed() ? "PASS " : "FAIL ") + r.c().id() + " (" + r.took() + ")\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    private static Result run(ConformanceCase c, Lane lane, AcceptedDifferences accepted) throws Exception {
        if (c.becomePassword().isEmpty()) {
            return run(c, lane, accepted, null);
        }
        if (!SudoLogin.possible()) {
            return new Result(c, List.of(), List.of(), "", "skipped: its login whose sudo asks for a password can only be made as root");
        }
        String password = Files.readString(c.becomePassword().get(), StandardCharsets.UTF_8).strip();
        try (SudoLogin login = SudoLogin.create(password)) {
            // sshd reads a login's authorized keys as that login
            SudoLogin.reachable(lane.fleet().clientKey().resolveSibling("authorized_keys"));
            return run(c, lane, accepted, login);
        }
    }

    /** @param login the user both tools log in as (null: the lane's own) */
    @SuppressWarnings("unchecked")
    private static Result run(ConformanceCase c, Lane lane, AcceptedDifferences accepted, SudoLogin login) throws Exception {
        Path work = lane.root().resolve("cases").resolve(c.id());
        Path playbook = c.copyTo(work);
        Path inventory = work.resolve("inventory").resolve("hosts.yml");
        Map<String, Object> vars = new LinkedHashMap<>(caseVars(c));
        List<String> becomeArgs = List.of();
        if (login != null) {
            Map<String, Object> all = new LinkedHashMap<>((Map<String, Object>) vars.getOrDefault("all", Map.of()));
            all.put("ansible_user", login.name());
            vars.put("all", all);
            Path copy = work.resolve(ConformanceCase.BECOME_PASSWORD);
            Files.copy(c.becomePassword().get(), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            // a case with an ansible.cfg gives the password there
            becomeArgs = c.ansibleCfg().isPresent() ? List.of() : List.of("--become-password-file", copy.toString());
        }
        lane.writeInventory(inventory, vars);
        if (c.refusedAt().isPresent()) {
            lane.clear();
            Outcome fleetRun = Tools.fleet(lane, playbook, inventory, c.args(), Files.createDirectories(work.resolve("fleet")));
            String at = c.refusedAt().get();
            StringBuilder detail = new StringBuilder();
            if (fleetRun.exit() != 5 || !fleetRun.output().contains("/" + at + ":")) {
                detail.append("expected omero-fleet to refuse the playbook with exit 5 naming ").append(at).append(":<column>, got exit ")
                        .append(fleetRun.exit()).append('\n').append(shorten(fleetRun.output()));
            }
            if (fleetRun.files().values().stream().anyMatch(f -> !f.isEmpty())) {
                detail.append("a refused playbook touched a host: ").append(fleetRun.files()).append('\n');
            }
            return new Result(c, List.of(), List.of(), detail.toString(), "omero-fleet " + fleetRun.took().toMillis() + " ms");
        }
        List<String> args = new ArrayList<>(c.args());
        args.addAll(c.prepareVault(work));
        args.addAll(becomeArgs);
        if (c.ansibleCfg().isPresent()) {
            Tools.configuration(work.resolve("ansible"), c.ansibleCfg().get());
            Tools.configuration(work.resolve("fleet"), c.ansibleCfg().get());
        }
        lane.clear();
        Outcome ansible = Tools.ansible(lane, playbook, inventory, args, Files.createDirectories(work.resolve("ansible")));
        lane.clear();
        Outcome fleetRun = Tools.fleet(lane, playbook, inventory, args, Files.createDirectories(work.resolve("fleet")));
        List<Outcome.Difference> divergences = new ArrayList<>();
        List<Outcome.Difference> listed = new ArrayList<>();
        for (Outcome.Difference d : Outcome.compare(ansible, fleetRun)) {
            (accepted.accepts(c.id(), d) ? listed : divergences).add(d);
        }
        String detail = "";
        if (!divergences.isEmpty()) {
            detail = "--- ansible-playbook (exit " + ansible.exit() + ")\n" + recap(ansible) + shorten(ansible.output())
                    + "--- omero-fleet (exit " + fleetRun.exit() + ")\n" + recap(fleetRun) + shorten(fleetRun.output());
        }
        return new Result(c, divergences, listed, detail, "ansible " + ansible.took().toMillis() + " ms, omero-fleet " + fleetRun.took().toMillis() + " ms");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> caseVars(ConformanceCase c) throws Exception {
        if (c.inventoryVars().isEmpty()) {
            return Map.of();
        }
        Object vars = new ObjectMapper(new YAMLFactory()).readValue(c.inventoryVars().get().toFile(), Object.class);
        return vars == null ? Map.of() : new LinkedHashMap<>((Map<String, Object>) vars);
    }

    private static String recap(Outcome o) {
        StringBuilder s = new StringBuilder();
        o.stats().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> s.append(e.getKey()).append(" : ").append(e.getValue()).append('\n'));
        o.files().forEach((host, files) -> s.append(host).append(" files: {").append(files).append("}\n"));
        return s.toString();
    }

    private static String shorten(String text) {
        return text.length() <= OUTPUT_SHOWN ? text : text.substring(0, OUTPUT_SHOWN / 2) + "\n[...]\n" + text.substring(text.length() - OUTPUT_SHOWN / 2);
    }

    private static void report(List<Result> results, AcceptedDifferences accepted, Duration took) throws Exception {
        StringBuilder s = new StringBuilder("\n=== Ansible conformance ===\n");
        for (Result r : results) {
            s.append(r.passed() ? "PASS " : "FAIL ").append(r.c().id()).append(" (").append(r.took()).append(")");
            r.accepted().forEach(d -> s.append("\n     listed difference ").append(d));
            s.append('\n');
        }
        for (Result r : results) {
            if (!r.passed()) {
                s.append("\n##### ").append(r.c().id()).append(" diverges:\n");
                r.divergences().forEach(d -> s.append("  ").append(d).append('\n'));
                s.append(r.detail()).append('\n');
            }
        }
        List<String> ids = results.stream().map(r -> r.c().id()).toList();
        for (AcceptedDifferences.Row row : accepted.rows()) {
            if (ids.contains(row.caseId()) && results.stream().filter(r -> r.c().id().equals(row.caseId()))
                    .noneMatch(r -> r.accepted().stream().anyMatch(d -> row.accepts(row.caseId(), d)))) {
                s.append("note: ").append(DIFFERENCES).append(" lists ").append(row.caseId()).append(' ').append(row.field())
                        .append(", which no longer differs\n");
            }
        }
        long passed = results.stream().filter(Result::passed).count();
        s.append(String.format("%nconformance: %d cases in %d s on %d lanes%n", results.size(), took.toSeconds(), LANES));
        s.append(passed).append(" passed, ").append(results.size() - passed).append(" failed\n");
        Files.writeString(Path.of("target", "conformance-report.txt"), s, StandardCharsets.UTF_8);
        System.out.print(s);
    }
}
