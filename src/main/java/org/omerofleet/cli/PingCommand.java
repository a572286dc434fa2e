package org.omerofleet.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.omerofleet.inventory.HostPattern;
import org.omerofleet.inventory.Inventory;
import org.omerofleet.result.HostState;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.Connection;
import org.omerofleet.transport.ConnectionFactory;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.TransportException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Connect to every selected host, authenticate, verify its key and run {@code echo pong}.
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
        Inventory inv = services.inventory(inventory.inventory);
        Path cwd = Path.of("").toAbsolutePath();
        List<String> hosts = new ArrayList<>(HostPattern.select(inv, pattern, cwd));
        if (inventory.limit().isPresent()) {
            hosts.retainAll(HostPattern.select(inv, inventory.limit().get(), cwd));
        }
        Targets targets = new Targets(connection, services.home(), services.localUser());
        List<HostState> outcomes = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(forks, hosts.size())));
        try (ConnectionFactory factory = services.transports().apply(connection)) {
            List<Future<HostState>> futures = new ArrayList<>();
            for (String host : hosts) {
                Map<String, Object> vars = new java.util.LinkedHashMap<>(inv.host(host).orElseThrow().vars());
                vars.putAll(extra);
                futures.add(pool.submit(() -> ping(factory, host, targets, vars)));
            }
            for (Future<HostState> f : futures) {
                outcomes.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        return ExitCodes.of(outcomes);
    }

    private HostState ping(ConnectionFactory factory, String host, Targets targets, Map<String, Object> vars) {
        try (Connection c = factory.open(targets.resolve(host, vars))) {
            CommandResult r = c.exec(ExecRequest.shell("echo pong"));
            if (!r.succeeded()) {
                print(host + " | FAILED! => rc=" + r.rc() + " " + r.stderr().strip());
                return HostState.FAILED_NO_CHANGE;
            }
            print(host + " | SUCCESS => " + r.stdout().strip() + (verbose ? "  [" + c.negotiated() + "]" : ""));
            return HostState.UP_TO_DATE;
        } catch (TransportException.AuthenticationException | TransportException.HostKeyRejectedException e) {
            print(host + " | FAILED! => " + e.getMessage());
            return HostState.FAILED_NO_CHANGE;
        } catch (TransportException e) {
            print(host + " | UNREACHABLE! => " + e.getMessage());
            return HostState.UNREACHABLE;
        }
    }

    private synchronized void print(String line) {
        services.out().println(line);
    }
}
