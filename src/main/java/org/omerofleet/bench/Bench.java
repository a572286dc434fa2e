package org.omerofleet.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.omerofleet.sandbox.LoopbackInventory;
import org.omerofleet.sandbox.OmeroReleases;
import org.omerofleet.sandbox.OmeroSandbox;
import org.omerofleet.sandbox.OpenSshFleet;
import org.omerofleet.sandbox.SandboxFleet;

/**
 * Measure the orchestrator's own cost (the harness behind {@code omero-fleet bench}). Starts N local SSH hosts (in-process sandbox
 * hosts, or real OpenSSH sshd processes with {@code --sshd}), then times omero-fleet as a separate JVM
 * (start-up included) and reports wall time, controller CPU, peak RSS and threads. Workloads:
 * {@code noop10} (with {@code --sshd} also the plain OpenSSH floor: {@code ssh} with one ControlMaster
 * connection per host, the same commands, all hosts in parallel), {@code upgrade} (the real upgrade on
 * simulator hosts with padded databases), {@code transfer} (one large file to every host, against scp) and
 * {@code report} (the fleet report over several fleet sizes, per host) and {@code inventory} (loading a YAML and
 * an INI inventory of N hosts in this JVM, no hosts started).
 */
public final class Bench {

    /** The workloads, by the name {@code bench} takes. */
    public static final List<String> WORKLOADS = List.of("noop10", "upgrade", "transfer", "report", "inventory");

    private static final int TASKS = 10;

    private final PrintStream out;
    private final String controllerMain;
    private final String workload;
    private final List<Integer> hostCounts;
    private final int forks;
    private final int repeat;
    private final int sizeMegabytes;
    private final int dbMegabytes;
    private final Controller controller;
    private final boolean sshd;

    /**
     * What to measure, as {@code bench}'s options say it (already checked by the command).
     *
     * @param workload      one of {@link #WORKLOADS}
     * @param hostCounts    fleet sizes; several only for the report workload
     * @param forks         hosts at once, 0 for all
     * @param repeat        runs of each measurement (the median is reported)
     * @param sizeMegabytes the transfer workload's file size
     * @param dbMegabytes   the upgrade workload's database size per host
     * @param controller    how the measured controller is started
     * @param sshd          real OpenSSH sshd hosts and the ssh ControlMaster floor, instead of sandbox hosts
     */
    public record Settings(String workload, List<Integer> hostCounts, int forks, int repeat, int sizeMegabytes, int dbMegabytes,
                           Controller controller, boolean sshd) {
        public Settings {
            hostCounts = List.copyOf(hostCounts);
        }
    }

    /**
     * How the measured controller starts: {@code java} with {@code jvmOpts} on this JVM's class path, or the
     * launcher script (with {@code jvmOpts} in {@code OMERO_FLEET_JAVA_OPTS}) on the same jar.
     */
    public record Controller(String jvmOpts, Optional<Path> launcher) {
        String describe() {
            return launcher.map(l -> " through " + l).orElse("") + (jvmOpts.isBlank() ? "" : " " + jvmOpts.trim());
        }
    }

    /**
     * @param out            where the figures are printed
     * @param controllerMain the main class of the controller to measure, started as a fresh JVM on this class path
     */
    public Bench(Settings settings, PrintStream out, String controllerMain) {
        this.out = out;
        this.controllerMain = controllerMain;
        this.workload = settings.workload();
        this.hostCounts = settings.hostCounts();
        this.forks = settings.forks();
        this.repeat = settings.repeat();
        this.sizeMegabytes = settings.sizeMegabytes();
        this.dbMegabytes = settings.dbMegabytes();
        this.controller = settings.controller();
        this.sshd = settings.sshd();
    }

    /** Start the hosts, measure, print the figures and remove the hosts. */
    public void run() throws Exception {
        int hosts = Collections.max(hostCounts);
        if (workload.equals("inventory")) {
            measureInventory(hosts);
            return;
        }
        int parallel = forks > 0 ? forks : hosts;
        Path root = Files.createTempDirectory("omero-fleet-bench");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> names = IntStream.rangeClosed(1, hosts).mapToObj(i -> String.format(Locale.ROOT, "h%04d", i)).toList();
        Path inventory = root.resolve("inventory.yml");
        Path playbook = root.resolve("noop10.yml");
        StringBuilder yaml = new StringBuilder("- hosts: sandbox\n  gather_facts: false\n  tasks:\n");
        for (int i = 1; i <= TASKS; i++) {
            yaml.append("    - name: noop ").append(i).append("\n      command: /bin/true\n      changed_when: false\n");
        }
        Files.writeString(playbook, yaml);
        say(String.format(Locale.ROOT, "workload %s: %s hosts%s, forks %d, %s; %s%s, %d cores", workload,
                String.join(",", hostCounts.stream().map(String::valueOf).toList()),
                workload.equals("noop10") ? " x " + TASKS + " tasks" : "", parallel,
                sshd ? "OpenSSH sshd hosts" : "sandbox hosts (MINA SSHD servers in the bench JVM)",
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"), controller.describe(),
                Runtime.getRuntime().availableProcessors()));
        long started = System.nanoTime();
        if (workload.equals("upgrade") || workload.equals("report")) {
            if (workload.equals("upgrade")) {
                measureUpgrade(root, names, parallel);
            } else {
                measureReport(root, names, parallel);
            }
        } else if (sshd) {
            try (OpenSshFleet fleet = OpenSshFleet.start(root.resolve("fleet"), names)) {
                Map<String, Integer> ports = new LinkedHashMap<>();
                names.forEach(n -> ports.put(n, fleet.port(n)));
                LoopbackInventory.write(inventory, fleet.access(), ports, Map.of());
                say(String.format(Locale.ROOT, "%d sshd started in %.1f s", hosts, seconds(System.nanoTime() - started)));
                if (workload.equals("transfer")) {
                    measureTransfer(root, fleet, names, ports, parallel);
                } else {
                    double ours = measureOurs(root, inventory, playbook, parallel, hosts);
                    double floor = measureFloor(root, fleet, names, ports);
                    say(String.format(Locale.ROOT, "ratio omero-fleet / ssh ControlMaster floor: %.2f", ours / floor));
                    if (hosts == 1) {
                        double bare = measureBareClient(root, fleet, ports.get(names.get(0)));
                        say(String.format(Locale.ROOT, "ratio bare MINA client / ssh ControlMaster floor: %.2f; omero-fleet / bare MINA client: %.2f",
                                bare / floor, ours / bare));
                    }
                }
            }
        } else {
            try (SandboxFleet fleet = SandboxFleet.start(root.resolve("fleet"), names)) {
                fleet.writeInventory(inventory, Map.of());
                say(String.format(Locale.ROOT, "%d sandbox hosts started in %.1f s", hosts, seconds(System.nanoTime() - started)));
                measureOurs(root, inventory, playbook, parallel, hosts);
            }
        }
    }

    /** {@return the median wall seconds of {@code omero-fleet run} on the noop10 playbook in a fresh JVM} */
    private double measureOurs(Path root, Path inventory, Path playbook, int parallel, int hosts) throws IOException, InterruptedException {
        double median = measure(root, List.of("run", playbook.toString(), "-i", inventory.toString(), "-f", String.valueOf(parallel)), repeat);
        say(String.format(Locale.ROOT, "omero-fleet median: %.2f s wall = %.2f ms per host-task (%d host-tasks)", median,
                median * 1000 / (hosts * TASKS), hosts * TASKS));
        return median;
    }

    /** {@return the median wall seconds of {@code omero-fleet <args>} in a fresh JVM, {@code runs} times} */
    private double measure(Path root, List<String> args, int runs) throws IOException, InterruptedException {
        List<Double> walls = new ArrayList<>();
        for (int r = 1; r <= runs; r++) {
            List<String> command = new ArrayList<>(args);
            command.addAll(List.of("--runs-dir", root.resolve("runs").toString(), "--stats"));
            ProcessBuilder builder = controllerProcess(root, command);
            Path out = root.resolve("run-" + r + ".out");
            long t0 = System.nanoTime();
            Process p = builder.redirectErrorStream(true).redirectOutput(out.toFile()).start();
            int exit = p.waitFor();
            double wall = seconds(System.nanoTime() - t0);
            String text = Files.readString(out, StandardCharsets.UTF_8);
            if (exit != 0) {
                throw new IllegalStateException("the benchmark run failed (exit " + exit + "):\n" + tail(text));
            }
            ControllerStats stats = text.lines().filter(l -> l.startsWith(ControllerStats.PREFIX)).findFirst().map(ControllerStats::parse)
                    .orElseThrow(() -> new IllegalStateException("no controller stats in the run's output"));
            walls.add(wall);
            say(String.format(Locale.ROOT, "omero-fleet %s %d: %.2f s wall, controller %.2f s CPU, peak RSS %d MB, peak threads %d",
                    args.get(0), r, wall, stats.cpuSeconds(), stats.peakRssBytes() / (1024 * 1024), stats.peakThreads()));
        }
        return median(walls);
    }

    /** {@return the process that runs the controller with {@code args}, as {@link Controller} says} */
    private ProcessBuilder controllerProcess(Path root, List<String> args) {
        List<String> command = new ArrayList<>();
        String jvmOpts = controller.jvmOpts().trim();
        if (controller.launcher().isPresent()) {
            command.add(controller.launcher().get().toAbsolutePath().toString());
            command.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().put("OMERO_FLEET_JAR", Path.of(System.getProperty("java.class.path")).toAbsolutePath().toString());
            builder.environment().put("OMERO_FLEET_JAVA_OPTS", jvmOpts);
            builder.environment().put("XDG_CACHE_HOME", root.resolve("cache").toString());
            return builder;
        }
        command.add(ProcessHandle.current().info().command().orElse("java"));
        if (!jvmOpts.isEmpty()) {
            command.addAll(List.of(jvmOpts.split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), controllerMain));
        command.addAll(args);
        return new ProcessBuilder(command);
    }

    /**
     * The {@code inventory} workload: a YAML and an INI inventory of N hosts in 100 groups, each host with
     * three variables (about 40 bytes a host, as a real fleet's), loaded {@code --repeat} times in this JVM
     * after one warm-up load. Nothing is started and nothing is asserted: the figures are printed.
     */
    private void measureInventory(int hosts) throws Exception {
        Path root = Files.createTempDirectory("omero-fleet-bench");
        try {
            for (String format : List.of("yml", "ini")) {
                Path file = root.resolve("inventory-" + hosts + "." + format);
                Files.writeString(file, format.equals("yml") ? yamlInventory(hosts) : iniInventory(hosts));
                int loaded = new org.omerofleet.inventory.InventoryLoader().load(file).hosts().size();
                java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
                List<Double> walls = new ArrayList<>();
                List<Double> cpus = new ArrayList<>();
                for (int r = 1; r <= repeat; r++) {
                    long t0 = System.nanoTime();
                    long c0 = threads.getCurrentThreadCpuTime();
                    new org.omerofleet.inventory.InventoryLoader().load(file);
                    walls.add(seconds(System.nanoTime() - t0));
                    cpus.add(seconds(threads.getCurrentThreadCpuTime() - c0));
                }
                double median = median(walls);
                say(String.format(Locale.ROOT, "inventory %s: %d hosts, %.1f MB, load median %.2f s wall, %.2f s CPU (loading thread),"
                        + " of %d (%.1f us wall per host)", format, loaded, Files.size(file) / 1e6, median, median(cpus), repeat,
                        median * 1e6 / loaded));
            }
        } finally {
            try (java.util.stream.Stream<Path> files = Files.walk(root)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    private static String yamlInventory(int hosts) {
        StringBuilder yaml = new StringBuilder("all:\n  vars:\n    omero_user: omero\n  children:\n");
        for (int g = 0; g < 100; g++) {
            yaml.append("    site").append(g).append(":\n      hosts:\n");
            for (int i = g; i < hosts; i += 100) {
                yaml.append("        omero").append(i).append(".example.org:\n          ansible_host: ").append(address(i))
                        .append("\n          ansible_port: 22\n          omero_data_dir: /OMERO\n");
            }
        }
        return yaml.toString();
    }

    private static String iniInventory(int hosts) {
        StringBuilder ini = new StringBuilder("[all:vars]\nomero_user=omero\n");
        for (int g = 0; g < 100; g++) {
            ini.append("[site").append(g).append("]\n");
            for (int i = g; i < hosts; i += 100) {
                ini.append("omero").append(i).append(".example.org ansible_host=").append(address(i))
                        .append(" ansible_port=22 omero_data_dir=/OMERO\n");
            }
        }
        return ini.toString();
    }

    private static String address(int i) {
        return "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
    }

    /**
     * The {@code upgrade} workload: N simulator hosts on 4.3.2, each database padded to {@code --db-mb},
     * upgraded to 4.4.1 by {@code omero-fleet upgrade} (once: an upgrade changes what it measures).
     */
    private void measureUpgrade(Path root, List<String> names, int parallel) throws Exception {
        OmeroReleases releases = new OmeroReleases(root.resolve("releases"));
        Map<String, String> versions = new LinkedHashMap<>();
        names.forEach(n -> versions.put(n, "4.3.2"));
        long started = System.nanoTime();
        try (OmeroSandbox sandbox = OmeroSandbox.start(root.resolve("sandbox"), versions, releases)) {
            for (String name : names) {
                sandbox.pad(name, dbMegabytes);
            }
            Path inventory = root.resolve("inventory.yml");
            sandbox.writeInventory(inventory);
            say(String.format(Locale.ROOT, "%d OMERO 4.3.2 hosts with %d MB databases ready in %.1f s", names.size(), dbMegabytes,
                    seconds(System.nanoTime() - started)));
            double wall = measure(root, List.of("upgrade", "-i", inventory.toString(), "--release", releases.zip("4.4.1").toString(),
                    "-f", String.valueOf(parallel)), 1);
            say(String.format(Locale.ROOT, "upgrade 4.3.2 -> 4.4.1 (stop, dump and verify, DB upgrade, switch, start, verify): %.2f s for %d hosts",
                    wall, names.size()));
        }
    }

    /**
     * The {@code report} workload: as many simulator hosts as the largest {@code --hosts} size (4.3.2 and
     * 4.4.0 alternating), then {@code omero-fleet report} over the first N of them for each size.
     */
    private void measureReport(Path root, List<String> names, int parallel) throws Exception {
        Map<String, String> versions = new LinkedHashMap<>();
        names.forEach(n -> versions.put(n, versions.size() % 2 == 0 ? "4.3.2" : "4.4.0"));
        long started = System.nanoTime();
        try (OmeroSandbox sandbox = OmeroSandbox.start(root.resolve("sandbox"), versions, new OmeroReleases(root.resolve("releases")))) {
            say(String.format(Locale.ROOT, "%d OMERO hosts (4.3.2 and 4.4.0) ready in %.1f s", names.size(), seconds(System.nanoTime() - started)));
            SandboxFleet fleet = sandbox.fleet();
            for (int size : hostCounts) {
                Map<String, Integer> ports = new LinkedHashMap<>();
                names.subList(0, size).forEach(n -> ports.put(n, fleet.host(n).port()));
                Path inventory = root.resolve("report-" + size + ".yml");
                LoopbackInventory.write(inventory, fleet.access(), ports, Map.of());
                double wall = measure(root, List.of("report", "-i", inventory.toString(), "--format", "json", "-f", String.valueOf(parallel)),
                        repeat);
                say(String.format(Locale.ROOT, "report over %d hosts, forks %d: median %.2f s wall = %.1f ms per host", size, parallel, wall,
                        wall * 1000 / size));
            }
        }
    }

    /**
     * The {@code transfer} workload: one file of {@code --size-mb} pushed to every host by the copy
     * module (SFTP, streamed, SHA-256 checked on both ends), against plain {@code scp} to every host at once.
     */
    private void measureTransfer(Path root, OpenSshFleet fleet, List<String> names, Map<String, Integer> ports, int parallel)
            throws Exception {
        Path payload = root.resolve("payload.bin");
        try (var out = Files.newOutputStream(payload)) {
            byte[] block = new byte[1024 * 1024];
            java.util.Random random = new java.util.Random(1);
            for (int i = 0; i < sizeMegabytes; i++) {
                random.nextBytes(block);
                out.write(block);
            }
        }
        Map<String, Map<String, Object>> vars = new LinkedHashMap<>();
        names.forEach(n -> vars.put(n, Map.of("bench_dir", fleet.workDir(n).toString())));
        Path inventory = root.resolve("transfer-inventory.yml");
        LoopbackInventory.write(inventory, fleet.access(), ports, vars);
        Path playbook = root.resolve("transfer.yml");
        Files.writeString(playbook, "- hosts: sandbox\n  gather_facts: false\n  tasks:\n    - copy:\n        src: " + payload
                + "\n        dest: \"{{ bench_dir }}/payload.bin\"\n");
        double ours = measure(root, List.of("run", playbook.toString(), "-i", inventory.toString(), "-f", String.valueOf(parallel)), 1);
        double total = (double) sizeMegabytes * names.size();
        say(String.format(Locale.ROOT, "omero-fleet copy of %d MB to %d hosts: %.2f s, %.0f MB/s in all", sizeMegabytes, names.size(), ours,
                total / ours));
        ExecutorService pool = Executors.newFixedThreadPool(names.size());
        try {
            long t0 = System.nanoTime();
            List<Future<Integer>> results = new ArrayList<>();
            for (String name : names) {
                results.add(pool.submit(() -> new ProcessBuilder("scp", "-q", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                        "-o", "UserKnownHostsFile=" + fleet.knownHosts(), "-o", "IdentitiesOnly=yes", "-i", fleet.clientKey().toString(),
                        "-P", String.valueOf(ports.get(name)), payload.toString(),
                        fleet.user() + "@127.0.0.1:" + fleet.workDir(name).resolve("scp-payload.bin"))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor()));
            }
            for (Future<Integer> f : results) {
                if (f.get() != 0) {
                    throw new IllegalStateException("scp failed with exit " + f.get());
                }
            }
            double scp = seconds(System.nanoTime() - t0);
            say(String.format(Locale.ROOT, "scp of the same file to %d hosts at once: %.2f s, %.0f MB/s in all; ratio omero-fleet / scp: %.2f",
                    names.size(), scp, total / scp, ours / scp));
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * {@return the median wall seconds of {@link BareClient} running the same commands on one host, each run a
     * fresh JVM with the controller's heap options and an archive of its own (written by an extra first run)}
     */
    private double measureBareClient(Path root, OpenSshFleet fleet, int port) throws IOException, InterruptedException {
        Path archive = root.resolve("bare-client.jsa");
        List<Double> walls = new ArrayList<>();
        for (int r = 0; r <= repeat; r++) {
            List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m",
                    "-XX:+UseSerialGC", "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
                    r == 0 ? "-XX:ArchiveClassesAtExit=" + archive : "-XX:SharedArchiveFile=" + archive,
                    "-cp", Path.of(System.getProperty("java.class.path")).toAbsolutePath().toString(), BareClient.class.getName(),
                    fleet.user(), String.valueOf(port), fleet.clientKey().toString(), fleet.knownHosts().toString(), "/bin/true",
                    String.valueOf(TASKS)));
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(root.resolve("bare-" + r + ".out").toFile()).start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("the bare MINA client failed:\n" + tail(Files.readString(root.resolve("bare-" + r + ".out"))));
            }
            double wall = seconds(System.nanoTime() - t0);
            if (r > 0) {
                walls.add(wall);
                say(String.format(Locale.ROOT, "bare MINA client run %d: %.2f s wall", r, wall));
            }
        }
        double median = median(walls);
        say(String.format(Locale.ROOT, "bare MINA client median: %.2f s wall", median));
        return median;
    }

    /** {@return the median wall seconds of plain ssh with one ControlMaster per host, every host in parallel} */
    private double measureFloor(Path root, OpenSshFleet fleet, List<String> names, Map<String, Integer> ports) throws Exception {
        Path sockets = Files.createDirectories(root.resolve("cm"));
        List<Double> walls = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(names.size());
        try {
            for (int r = 1; r <= repeat; r++) {
                long t0 = System.nanoTime();
                List<Future<Integer>> results = new ArrayList<>();
                for (String name : names) {
                    results.add(pool.submit(() -> {
                        for (int i = 0; i < TASKS; i++) {
                            int exit = ssh(fleet, ports.get(name), sockets, List.of("/bin/true"));
                            if (exit != 0) {
                                return exit;
                            }
                        }
                        return 0;
                    }));
                }
                for (Future<Integer> f : results) {
                    if (f.get() != 0) {
                        throw new IllegalStateException("ssh failed with exit " + f.get() + " during the floor measurement");
                    }
                }
                double wall = seconds(System.nanoTime() - t0);
                walls.add(wall);
                say(String.format(Locale.ROOT, "ssh ControlMaster floor run %d: %.2f s wall", r, wall));
                for (String name : names) {
                    ssh(fleet, ports.get(name), sockets, List.of("-O", "exit"));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        double median = median(walls);
        say(String.format(Locale.ROOT, "ssh ControlMaster floor median: %.2f s wall", median));
        return median;
    }

    private static int ssh(OpenSshFleet fleet, int port, Path sockets, List<String> tail) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ssh", "-q", "-o", "BatchMode=yes", "-o", "ControlMaster=auto",
                "-o", "ControlPath=" + sockets + "/%C", "-o", "ControlPersist=300", "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + fleet.knownHosts(), "-o", "IdentitiesOnly=yes", "-i", fleet.clientKey().toString(),
                "-p", String.valueOf(port), "-l", fleet.user()));
        if (tail.get(0).equals("-O")) {
            command.addAll(tail);
            command.add("127.0.0.1");
        } else {
            command.add("127.0.0.1");
            command.addAll(tail);
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor();
    }

    private void say(String line) {
        out.println(line);
        out.flush();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double seconds(long nanos) {
        return Duration.ofNanos(nanos).toMillis() / 1000.0;
    }

    private static String tail(String text) {
        return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
    }
}
