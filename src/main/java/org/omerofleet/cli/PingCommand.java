package org.omerofleet.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.omerofleet.executor.RunListener;
import org.omerofleet.executor.RunOptions;
import org.omerofleet.input.SourcePosition;
import org.omerofleet.inventory.Inventory;
import org.omerofleet.playbook.Play;
import org.omerofleet.playbook.Playbook;
import org.omerofleet.playbook.Task;
import org.omerofleet.result.RunSummary;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.ConnectionFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Connect to every selected host, authenticate, verify its key and run {@code echo pong}: one {@code ping}
 * task run by the executor like any playbook, so that its host states and exit code are derived as for
 * every other command.
 */
@Command(name = "ping", mixinStandardHelpOptions = true, version = FleetCommand.VERSION,
        footerHeading = FleetCommand.EXAMPLES, footer = {"  omero-fleet ping -i inventories/example.yml",
            "  omero-fleet ping -i inventories/example.yml --limit web -v"},
        description = "Connect, authenticate, verify host keys and run an echo on every selected host.")
final class PingCommand implements Callable<Integer> {

    private final Services services;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATTERN", defaultValue = "all", description = "host pattern (default all)")
    String pattern;

    @Mixin
    InventoryOptions inventory;

    @Mixin
    ConnectionOptions connection;

    @Option(names = {"-f", "--forks"}, defaultValue = "5", paramLabel = "N", description = "hosts at once (default ${DEFAULT-VALUE})")
    int forks;

    @Option(names = {"-v", "--verbose"}, description = "show the negotiated key exchange, cipher, MAC and host key type")
    boolean verbose;

    PingCommand(Services services) {
        this.services = services;
    }

    @Override
    public Integer call() throws Exception {
        Map<String, Object> extra = ExtraVars.parse(inventory.extraVars);
        Inventory inv = services.inventory(inventory.inventory, inventory.vault.vault(services.config(), services.home()));
        Path here = Path.of("").toAbsolutePath().resolve("ping");
        SourcePosition where = SourcePosition.of(here);
        Task ping = Task.builder(where, "ping", "ping").build();
        Play play = Play.of(where, "ping", pattern, List.of(ping));
        // an ad-hoc check keeps no run directory, as Ansible's ping writes nothing
        Path runs = Files.createTempDirectory("omero-fleet-ping");
        RunOptions options;
        try {
            options = new RunOptions(forks, false, false, extra, inventory.limit(), Set.of(), Set.of(), false, Optional.empty(), runs,
                    Optional.empty(), Optional.empty(), List.of(), Optional.empty());
        } catch (IllegalArgumentException e) { // --forks out of range
            throw new UsageException(e.getMessage(), e);
        }
        try (ConnectionFactory factory = services.transports().apply(connection)) {
            RunSummary summary = services.executor(factory, connection).run(new Playbook(here, List.of(play)), inv, options, new RunListener() {
                @Override
                public void taskFinished(String host, Task task, TaskResult result, Duration elapsed, boolean ignored) {
                    print(line(host, result));
                }
            });
            return ExitCodes.of(summary);
        } finally {
            deleteTree(runs);
        }
    }

    private String line(String host, TaskResult result) {
        switch (result.status()) {
            case OK:
            case CHANGED:
                return host + " | SUCCESS => " + result.message() + (verbose ? "  [" + result.data().get("negotiated") + "]" : "");
            case UNREACHABLE:
                return host + " | UNREACHABLE! => " + result.message();
            case FAILED:
            case SKIPPED:
            default:
                return host + " | FAILED! => " + result.message();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private synchronized void print(String line) {
        services.out().println(line);
    }
}
