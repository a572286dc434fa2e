package org.omerofleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code run --list-hosts --list-tasks --list-tags} and {@code --syntax-check} print what
 * {@code ansible-playbook} prints for the same playbooks and inventory, and agree with it on which
 * playbooks are broken. Two things are normalised, being unordered in Ansible: the hosts of a play
 * (printed from a Python set) and a play's own tags (joined from a set).
 */
class ListingConformanceTest {

    @TempDir
    static Path scratch;
    private static Path corpus;

    @BeforeAll
    static void ansibleIsThere() throws Exception {
        corpus = Path.of(ListingConformanceTest.class.getResource("listing/hosts").toURI()).getParent();
        Assumptions.assumeTrue(ansible(List.of("--version")).code == 0, "no ansible-playbook: install ansible-core to compare listings");
    }

    static List<Arguments> cases() throws IOException, URISyntaxException {
        Path dir = Path.of(ListingConformanceTest.class.getResource("listing/hosts").toURI()).getParent();
        List<Arguments> cases = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
                cases.add(Arguments.of(p.getFileName().toString()));
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void listingsAndSyntaxCheckMatchAnsiblePlaybook(String playbook) throws Exception {
        List<List<String>> variants = List.of(List.of("--syntax-check"), List.of("--list-hosts", "--list-tasks", "--list-tags"),
                List.of("--list-tasks", "--tags", "greet,t2,never"), List.of("--list-hosts", "--limit", "w1:d1"),
                List.of("--list-tasks", "--skip-tags", "blk"));
        for (List<String> options : variants) {
            List<String> args = new ArrayList<>(List.of(corpus.resolve(playbook).toString(), "-i", corpus.resolve("hosts").toString()));
            args.addAll(options);
            Result theirs = ansible(args);
            Result ours = ours(args);
            String what = playbook + " " + options;
            if (theirs.code == 0) {
                assertEquals(0, ours.code, what + ": " + ours.err);
                assertEquals(normalised(theirs.out), normalised(ours.out), what);
            } else {
                assertNotEquals(0, ours.code, what + ": ansible-playbook refused it:\n" + theirs.err);
                assertEquals(ExitCodes.INVALID_INPUT, ours.code, what);
                assertTrue(ours.err.contains(playbook + ":"), what + ": the error names the file: " + ours.err);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void syntaxCheckNeedsNoInventory(String playbook) throws Exception {
        Result theirs = ansible(List.of(corpus.resolve(playbook).toString(), "--syntax-check"));
        Result ours = ours(List.of(corpus.resolve(playbook).toString(), "--syntax-check"));

        assertEquals(theirs.code == 0, ours.code == 0, playbook + ": ours " + ours.err + " theirs " + theirs.err);
        if (ours.code == 0) {
            assertEquals(theirs.out.strip(), ours.out.strip());
        }
    }

    /** Sort each play's host lines and the play's own tags, which Ansible prints in set order. */
    private static String normalised(String text) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("  play #")) {
                int t = line.indexOf("\tTAGS: [");
                String tags = line.substring(t + 8, line.length() - 1);
                line = line.substring(0, t) + "\tTAGS: [" + Arrays.stream(tags.split(",")).sorted().collect(Collectors.joining(",")) + "]";
            }
            out.add(line);
            if (line.startsWith("    hosts (")) {
                int n = Integer.parseInt(line.replaceAll("\\D", ""));
                List<String> hosts = new ArrayList<>(lines.subList(i + 1, i + 1 + n));
                hosts.sort(null);
                out.addAll(hosts);
                i += n;
            }
        }
        return String.join("\n", out);
    }

    private record Result(int code, String out, String err) {
    }

    private static Result ours(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of("run"));
        all.addAll(args);
        int code = Main.execute(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Result ansible(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ansible-playbook"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Path home = Files.createDirectories(scratch.resolve("home"));
        pb.environment().put("HOME", home.toString());
        pb.environment().put("ANSIBLE_LOCAL_TEMP", home.resolve("tmp").toString());
        pb.environment().put("ANSIBLE_NOCOLOR", "1");
        pb.environment().keySet().removeIf(k -> k.startsWith("ANSIBLE_") && !List.of("ANSIBLE_LOCAL_TEMP", "ANSIBLE_NOCOLOR").contains(k));
        pb.environment().put("ANSIBLE_LOCAL_TEMP", home.resolve("tmp").toString());
        pb.environment().put("ANSIBLE_NOCOLOR", "1");
        Path errFile = scratch.resolve("ansible.err");
        pb.redirectError(errFile.toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Result(127, "", e.getMessage());
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("ansible-playbook did not finish: " + cmd);
        }
        return new Result(p.exitValue(), out, Files.readString(errFile));
    }
}
