package org.omerofleet.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.omerofleet.sandbox.OmeroInstall;
import org.omerofleet.sandbox.OmeroReleases;
import org.omerofleet.sandbox.SandboxDaemon;
import org.omerofleet.sandbox.SandboxDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sandbox up|status|down}: the simulated fleet of {@code demo}, left running in the background for
 * a user to try every command on. {@code up} starts a detached JVM ({@code sandbox serve}) that holds the
 * fleet, and returns once its inventory is written; {@code down} stops that process and everything the
 * sandbox started, and deletes its directory, refusing any directory {@code up} did not make.
 */
@Command(name = "sandbox", mixinStandardHelpOptions = true, version = FleetCommand.VERSION,
        subcommands = {SandboxCommand.Up.class, SandboxCommand.Status.class, SandboxCommand.Down.class, SandboxCommand.Serve.class},
        footerHeading = FleetCommand.EXAMPLES, footer = {"  omero-fleet sandbox up --hosts 3",
            "  omero-fleet plan -i sandbox/inventory.yml \\",
            "      --release sandbox/releases/OMERO.server-4.4.1-ice34-b3035.zip",
            "  omero-fleet sandbox status",
            "  omero-fleet sandbox down"},
        description = "A local fleet of simulated OMERO hosts (real SSH, real PostgreSQL), left running in the background"
            + " until 'sandbox down', to try every command on.")
final class SandboxCommand implements Runnable {

    static final String DEFAULT_DIR = "sandbox";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec; // initialized by picocli

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code sandbox up}. */
    @Command(name = "up", mixinStandardHelpOptions = true, version = FleetCommand.VERSION,
            footerHeading = FleetCommand.EXAMPLES, footer = {"  omero-fleet sandbox up",
                "  omero-fleet sandbox up --hosts 5 --releases 4.3.2,4.4.0 --dir /tmp/fleet"},
            description = "Start N simulated OMERO hosts, each behind its own SSH server on 127.0.0.1 with its own database in one"
                + " PostgreSQL cluster, in a background process; write DIR/inventory.yml and the release zips to DIR/releases/.")
    static final class Up implements Callable<Integer> {
        private final Services services;

        @Option(names = "--hosts", paramLabel = "N", defaultValue = "3", description = "how many hosts (1 to 100; default ${DEFAULT-VALUE})")
        int hosts;

        @Option(names = "--releases", paramLabel = "LIST", defaultValue = "4.3.2,4.3.2,4.4.0",
                description = "the releases installed, taken in turn for omero1, omero2... (default ${DEFAULT-VALUE})")
        String releases;

        @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_DIR,
                description = "the sandbox's directory, which must not exist or be empty (default ${DEFAULT-VALUE})")
        Path dir;

        @Option(names = "--pad-mb", paramLabel = "MB", defaultValue = "0",
                description = "grow each host's database by about MB megabytes of filler rows, e.g. to time dumps and upgrades (default 0)")
        int padMb;

        Up(Services services) {
            this.services = services;
        }

        @Override
        public Integer call() throws Exception {
            List<String> versions = releaseList(releases);
            if (hosts < 1 || hosts > 100) {
                throw new UsageException("--hosts must be between 1 and 100, got " + hosts);
            }
            if (padMb < 0 || padMb > 100_000) {
                throw new UsageException("--pad-mb must be between 0 and 100000, got " + padMb);
            }
            SandboxDirectory sandbox;
            try {
                sandbox = SandboxDirectory.create(dir);
            } catch (SandboxDirectory.NotASandboxException e) {
                throw new UsageException(e.getMessage());
            }
            services.out().println("Starting the sandbox in " + sandbox.path() + ": PostgreSQL and " + hosts + " SSH hosts ("
                    + String.join(", ", SandboxDaemon.layout(hosts, versions).entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList())
                    + ")");
            Process daemon = spawn(sandbox, versions);
            String state = awaitStarted(sandbox, daemon);
            if (!state.equals("running")) {
                services.err().println("error: the sandbox did not start (" + state + "); its log " + sandbox.log() + " ends:");
                services.err().println(tail(sandbox.log()));
                stopDaemon(sandbox);
                sandbox.tearDown();
                services.err().println("everything it started was stopped and " + sandbox.path() + " removed");
                return ExitCodes.INTERNAL_ERROR;
            }
            printRunning(sandbox);
            return ExitCodes.OK;
        }

        private Process spawn(SandboxDirectory sandbox, List<String> versions) throws IOException {
            List<String> command = new ArrayList<>();
            // its own session: closing the terminal or Ctrl-C in it does not reach the sandbox
            if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
                command.add("/usr/bin/setsid");
            }
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.addAll(List.of("-Xmx384m", "-XX:+UseSerialGC", "-D" + Relaunch.MARK + "=true"));
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
            command.addAll(List.of("sandbox", "serve", "--dir", sandbox.path().toString(), "--hosts", String.valueOf(hosts),
                    "--releases", String.join(",", versions), "--pad-mb", String.valueOf(padMb)));
            return new ProcessBuilder(command).directory(sandbox.path().toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(sandbox.log().toFile()))
                    .redirectErrorStream(true).start();
        }

        /** {@return the state the detached process reached: running, failed, or why it is neither} */
        private static String awaitStarted(SandboxDirectory sandbox, Process daemon) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                String state = sandbox.state().getOrDefault("state", "starting");
                if (!state.equals("starting")) {
                    return state.equals("failed") ? "failed: " + sandbox.state().getOrDefault("message", "") : state;
                }
                if (daemon.waitFor(200, TimeUnit.MILLISECONDS)) {
                    return "its process exited with status " + daemon.exitValue();
                }
            }
            return "not running after " + START_TIMEOUT.toMinutes() + " minutes";
        }

        private void printRunning(SandboxDirectory sandbox) throws IOException {
            String d = dir.toString();
            services.out().println("Sandbox running (pid " + sandbox.state().get("pid") + "); inventory " + dir.resolve("inventory.yml")
                    + ", releases in " + dir.resolve("releases") + "/");
            services.out().println("Try:");
            services.out().println("  omero-fleet ping -i " + d + "/inventory.yml");
            services.out().println("  omero-fleet plan -i " + d + "/inventory.yml --release " + d + "/releases/OMERO.server-4.4.1-ice34-b3035.zip");
            services.out().println("  omero-fleet sandbox status" + dirOption(dir));
            services.out().println("  omero-fleet sandbox down" + dirOption(dir));
        }
    }

    /** {@code sandbox status}. */
    @Command(name = "status", mixinStandardHelpOptions = true, version = FleetCommand.VERSION,
            footerHeading = FleetCommand.EXAMPLES, footer = {"  omero-fleet sandbox status", "  omero-fleet sandbox status --dir /tmp/fleet"},
            description = "Show the sandbox in DIR: its process, inventory, and per host the SSH port, the release installed and whether"
                + " its server runs. Exit 0 when it runs, 4 when no sandbox runs there.")
    static final class Status implements Callable<Integer> {
        private final Services services;

        @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_DIR, description = "the sandbox's directory (default ${DEFAULT-VALUE})")
        Path dir;

        Status(Services services) {
            this.services = services;
        }

        @Override
        public Integer call() throws Exception {
            if (!SandboxDirectory.exists(dir)) {
                services.out().println("no sandbox in " + dir);
                return ExitCodes.UNREACHABLE;
            }
            SandboxDirectory sandbox = SandboxDirectory.open(dir);
            Map<String, String> state = sandbox.state();
            boolean alive = sandbox.process().isPresent();
            String shown = alive ? state.getOrDefault("state", "starting") : "not running (its process " + state.getOrDefault("pid", "?")
                    + " is gone; 'omero-fleet sandbox down" + dirOption(dir) + "' cleans up)";
            services.out().println("sandbox " + sandbox.path() + ": " + shown + (alive ? " (pid " + state.get("pid") + ", since "
                    + state.get("started") + ")" : ""));
            services.out().println("inventory " + dir.resolve("inventory.yml") + "; releases in " + dir.resolve("releases") + "/");
            services.out().println(String.format("%-10s %-6s %-24s %s", "HOST", "PORT", "RELEASE", "SERVER"));
            for (Map.Entry<String, String> host : sandbox.hosts().entrySet()) {
                Path home = sandbox.home(host.getKey());
                services.out().println(String.format("%-10s %-6s %-24s %s", host.getKey(), host.getValue().split(" ")[0], release(home),
                        serverRunning(home) ? "running" : "stopped"));
            }
            return alive && "running".equals(state.get("state")) ? ExitCodes.OK : ExitCodes.UNREACHABLE;
        }

        private static String release(Path home) {
            try {
                return Files.readSymbolicLink(server(home)).getFileName().toString().replaceFirst("^OMERO\\.server-", "");
            } catch (IOException | UnsupportedOperationException e) {
                return "?";
            }
        }

        /** {@return the host's server path: {@code OMERO.server} in its home, or where the OME role layout keeps it} */
        private static Path server(Path home) {
            Path link = home.resolve(OmeroInstall.LINK);
            return Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? link : home.resolve(org.omerofleet.sandbox.RoleLayout.SERVER_DIR);
        }

        private static boolean serverRunning(Path home) {
            try {
                Path pid = server(home).resolve("var/master/master.pid");
                return Files.isRegularFile(pid) && OmeroInstall.running(Long.parseLong(Files.readString(pid).strip()));
            } catch (IOException | NumberFormatException e) {
                return false;
            }
        }
    }

    /** {@code sandbox down}. */
    @Command(name = "down", mixinStandardHelpOptions = true, version = FleetCommand.VERSION,
            footerHeading = FleetCommand.EXAMPLES, footer = {"  omero-fleet sandbox down", "  omero-fleet sandbox down --dir /tmp/fleet"},
            description = "Stop the sandbox in DIR (its process, PostgreSQL, the simulated servers) and delete DIR. A directory"
                + " 'sandbox up' did not make is refused (exit 5) and left alone.")
    static final class Down implements Callable<Integer> {
        private final Services services;

        @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_DIR, description = "the sandbox's directory (default ${DEFAULT-VALUE})")
        Path dir;

        Down(Services services) {
            this.services = services;
        }

        @Override
        public Integer call() throws Exception {
            if (!Files.exists(dir)) {
                services.out().println("no sandbox in " + dir + "; nothing to stop");
                return ExitCodes.OK;
            }
            SandboxDirectory sandbox;
            try {
                sandbox = SandboxDirectory.open(dir);
            } catch (SandboxDirectory.NotASandboxException e) {
                throw new UsageException(e.getMessage() + "; it was left alone");
            }
            boolean stopped = stopDaemon(sandbox);
            List<String> leftovers = sandbox.tearDown();
            for (String leftover : leftovers) {
                services.out().println("stopped what its process left running: " + leftover);
            }
            services.out().println("Sandbox " + (stopped ? "stopped" : "was not running") + "; " + sandbox.path() + " removed");
            return ExitCodes.OK;
        }
    }

    /** {@code sandbox serve}: the detached process itself, started by {@code up}. */
    @Command(name = "serve", hidden = true, mixinStandardHelpOptions = true, version = FleetCommand.VERSION,
            footerHeading = FleetCommand.EXAMPLES, footer = {"  omero-fleet sandbox serve --dir /tmp/fleet --hosts 3 --releases 4.3.2"},
            description = "Hold a sandbox up in the foreground until SIGTERM (what 'sandbox up' starts in the background;"
                + " DIR must have been made by 'sandbox up').")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--dir", paramLabel = "DIR", required = true, description = "the sandbox's directory")
        Path dir;

        @Option(names = "--hosts", paramLabel = "N", required = true, description = "how many hosts")
        int hosts;

        @Option(names = "--releases", paramLabel = "LIST", required = true, description = "the releases, taken in turn")
        String releases;

        @Option(names = "--pad-mb", paramLabel = "MB", defaultValue = "0", description = "filler per host database")
        int padMb;

        @Override
        public Integer call() throws Exception {
            SandboxDaemon.serve(SandboxDirectory.open(dir), SandboxDaemon.layout(hosts, releaseList(releases)), padMb);
            return ExitCodes.OK;
        }
    }

    static List<String> releaseList(String text) {
        OmeroReleases known = new OmeroReleases(Path.of("."));
        List<String> versions = new ArrayList<>();
        for (String v : text.split(",")) {
            String version = v.strip();
            if (known.find(org.omerofleet.sandbox.RoleLayout.version(version)).isEmpty()) {
                throw new UsageException("--releases: no simulated release '" + version + "'; known: "
                        + String.join(", ", known.all().stream().map(r -> r.version()).toList()));
            }
            org.omerofleet.sandbox.RoleLayout.refusal(version).ifPresent(why -> {
                throw new UsageException("--releases: " + why);
            });
            versions.add(version);
        }
        return versions;
    }

    private static String dirOption(Path dir) {
        return dir.toString().equals(DEFAULT_DIR) ? "" : " --dir " + dir;
    }

    /** Stop the detached process, if it runs: SIGTERM (it stops the fleet), then SIGKILL after a while. {@return whether it ran} */
    private static boolean stopDaemon(SandboxDirectory sandbox) throws IOException, InterruptedException {
        var process = sandbox.process();
        if (process.isEmpty()) {
            return false;
        }
        ProcessHandle p = process.get();
        p.destroy();
        try {
            p.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            p.destroyForcibly();
            p.onExit().join();
        }
        return true;
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
