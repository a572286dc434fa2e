package org.omerofleet.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.omerofleet.cli.Main;

/** Run a case's playbook with each tool and read what it says about every host. */
final class Tools {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A host's line in the default callback's PLAY RECAP (ansible-core ships no json callback since 2.11). */
    private static final Pattern RECAP_LINE = Pattern.compile("(?m)^(\\S+)\\s*:\\s*ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=(\\d+)"
            + "\\s+failed=(\\d+)\\s+skipped=(\\d+)\\s+rescued=(\\d+)\\s+ignored=(\\d+)");
    private static final long ANSIBLE_TIMEOUT_MINUTES = Long.getLong("conformance.ansibleTimeoutMinutes", 5);

    private Tools() {
    }

    /** {@return whether {@code ansible-playbook} is on the PATH and runs} */
    static boolean ansibleAvailable(Path home) {
        try {
            ProcessBuilder pb = new ProcessBuilder("ansible-playbook", "--version").redirectErrorStream(true);
            // even --version makes ~/.ansible/tmp: keep it out of the user's home
            pb.environment().put("HOME", Files.createDirectories(home).toString());
            Process p = pb.start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Run {@code ansible-playbook} (its PLAY RECAP read from the default callback), its home and temporary directories under
     * {@code scratch} (nothing written to the user's home), host keys checked against the fleet's
     * known_hosts, one ControlMaster connection per host and pipelining. The masters live in the lane's
     * directory and outlast one run, so later cases in the lane skip the login (the daemons' end ends them).
     */
    static Outcome ansible(Lane lane, Path playbook, Path inventory, List<String> args, Path scratch) throws IOException, InterruptedException {
        long started = System.nanoTime();
        Path home = Files.createDirectories(scratch.resolve("home"));
        Path control = Files.createDirectories(lane.root().resolve("cp"));
        List<String> command = new ArrayList<>(List.of("ansible-playbook", "-i", inventory.toString(), playbook.toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(playbook.getParent().toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("ANSIBLE_"));
        env.put("HOME", home.toString());
        // the case's configuration (see #configuration), else an empty one: no ansible.cfg of the machine or the user applies
        Path cfg = scratch.resolve("ansible.cfg");
        env.put("ANSIBLE_CONFIG", (Files.exists(cfg) ? cfg : Files.writeString(cfg, "")).toString());
        env.put("ANSIBLE_STDOUT_CALLBACK", "default");
        env.put("ANSIBLE_NOCOLOR", "1");
        env.put("ANSIBLE_LOCAL_TEMP", Files.createDirectories(scratch.resolve("local-tmp")).toString());
        env.put("ANSIBLE_REMOTE_TEMP", sharedRemoteTemp(lane.root().resolve("remote-tmp")).toString());
        env.put("ANSIBLE_RETRY_FILES_ENABLED", "False");
        env.put("ANSIBLE_NOCOWS", "1");
        env.put("ANSIBLE_PIPELINING", "True");
        env.put("ANSIBLE_DEPRECATION_WARNINGS", "False");
        env.put("ANSIBLE_SYSTEM_WARNINGS", "False");
        env.put("ANSIBLE_SSH_CONTROL_PATH_DIR", control.toString());
        env.put("ANSIBLE_SSH_ARGS", "-o ControlMaster=auto -o ControlPersist=600s -o StrictHostKeyChecking=yes -o UserKnownHostsFile="
                + lane.fleet().knownHosts().toAbsolutePath());
        Path stdout = scratch.resolve("ansible.out");
        Path stderr = scratch.resolve("ansible.err");
        Process p = pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(ANSIBLE_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("ansible-playbook ran longer than " + ANSIBLE_TIMEOUT_MINUTES + " minutes on " + playbook);
        }
        String out = Files.readString(stdout, StandardCharsets.UTF_8);
        String err = Files.readString(stderr, StandardCharsets.UTF_8);
        Map<String, Outcome.Stats> stats = new LinkedHashMap<>();
        int recap = out.lastIndexOf("PLAY RECAP");
        if (recap >= 0) {
            Matcher m = RECAP_LINE.matcher(out.substring(recap));
            while (m.find()) {
                int[] n = new int[7];
                for (int i = 0; i < 7; i++) {
                    n[i] = Integer.parseInt(m.group(i + 2));
                }
                stats.put(m.group(1), new Outcome.Stats(n[0], n[1], n[2], n[3], n[4], n[5], n[6]));
            }
        }
        return new Outcome(p.exitValue(), stats, lane.snapshot(), out + err, Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * Give the tool run with {@code scratch} the case's ansible.cfg (both tools then read it through
     * {@code ANSIBLE_CONFIG}; without one, ansible-playbook gets an empty one and omero-fleet none).
     */
    static void configuration(Path scratch, Path cfg) throws IOException {
        Files.copy(cfg, Files.createDirectories(scratch).resolve("ansible.cfg"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Run {@code omero-fleet run} in this JVM and read the run's report.json. */
    static Outcome fleet(Lane lane, Path playbook, Path inventory, List<String> args, Path scratch) throws IOException {
        long started = System.nanoTime();
        Path runs = scratch.resolve("runs");
        List<String> command = new ArrayList<>(List.of("run", playbook.toString(), "-i", inventory.toString(),
                "--known-hosts", lane.fleet().knownHosts().toString(), "--runs-dir", runs.toString()));
        command.addAll(args);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Path cfg = scratch.resolve("ansible.cfg");
        int exit = Files.exists(cfg) ? org.omerofleet.cli.CliWithEnvironment.execute(Map.of("ANSIBLE_CONFIG", cfg.toString()), print,
                command.toArray(new String[0])) : Main.execute(command.toArray(new String[0]), print, print);
        String out = bytes.toString(StandardCharsets.UTF_8);
        Map<String, Outcome.Stats> stats = new LinkedHashMap<>();
        Path report = report(runs);
        if (report != null) {
            for (JsonNode host : JSON.readTree(report.toFile()).path("hosts")) {
                JsonNode s = host.path("stats");
                stats.put(host.path("host").asText(), new Outcome.Stats(s.path("ok").asInt(), s.path("changed").asInt(),
                        s.path("unreachable").asInt(), s.path("failed").asInt(), s.path("skipped").asInt(), s.path("rescued").asInt(),
                        s.path("ignored").asInt()));
            }
        }
        return new Outcome(exit, stats, lane.snapshot(), out, Duration.ofNanos(System.nanoTime() - started));
    }

    private static Path report(Path runs) throws IOException {
        if (!Files.isDirectory(runs)) {
            return null;
        }
        try (Stream<Path> dirs = Files.list(runs)) {
            return dirs.map(d -> d.resolve("report.json")).filter(Files::exists).findFirst().orElse(null);
        }
    }

    /**
     * {@return {@code dir}, made usable by every user a case becomes} ({@code become_user: nobody} creates its
     * module directory there): writable by all, every directory above it searchable. Without it, whether Ansible
     * failed or fell back to the system's temporary directory depended on what a password case of another lane
     * had made searchable by then.
     */
    private static Path sharedRemoteTemp(Path dir) throws IOException {
        Files.createDirectories(dir);
        SudoLogin.reachable(dir.resolve("module-dirs"));
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        return dir;
    }
}
