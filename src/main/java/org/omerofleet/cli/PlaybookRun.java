package org.omerofleet.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.omerofleet.bench.ControllerStats;
import org.omerofleet.db.RunStore;
import org.omerofleet.executor.PlaybookExecutor;
import org.omerofleet.executor.RunListener;
import org.omerofleet.executor.RunOptions;
import org.omerofleet.executor.TaskNames;
import org.omerofleet.input.InvalidInputException;
import org.omerofleet.input.Suggestions;
import org.omerofleet.inventory.Inventory;
import org.omerofleet.playbook.Playbook;
import org.omerofleet.report.ConsoleReporter;
import org.omerofleet.report.ReportJson;
import org.omerofleet.report.RunDirectoryWriter;
import org.omerofleet.report.RunStoreWriter;
import org.omerofleet.result.RunSummary;
import org.omerofleet.transport.ConnectionFactory;
import org.omerofleet.yaml.Vault;

/**
 * Load, validate and run one playbook the same way for {@code run}, {@code upgrade}, {@code backup},
 * {@code restore} and {@code demo}: everything is validated before the first connection.
 */
final class PlaybookRun {

    /** How long an interrupted JVM waits for the caller to print what the run produced. */
    private static final java.time.Duration PRINT_GRACE = java.time.Duration.ofSeconds(10);

    private final Services services;
    private final InventoryOptions inv;
    private final ConnectionOptions connection;
    private final RunControlOptions control;
    private final CountDownLatch printed = new CountDownLatch(1);
    private Thread hook;

    /** A run of the command whose option groups are these. */
    PlaybookRun(Services services, InventoryOptions inv, ConnectionOptions connection, RunControlOptions control) {
        this.services = services;
        this.inv = inv;
        this.connection = connection;
        this.control = control;
    }

    /** {@return the run's exit code}, after printing report.json on stdout when {@code --json} asked for it */
    int run(Path playbookFile, Map<String, Object> commandVars, Optional<List<Object>> serial) throws InvalidInputException {
        RunSummary summary = execute(playbookFile, commandVars, serial);
        int code = ExitCodes.of(summary);
        if (control.json) {
            services.out().println(new ReportJson().render(summary, code));
        }
        printed();
        return code;
    }

    /**
     * {@return 0 once the playbook has loaded} and, unless only {@code --syntax-check} was asked, its
     * hosts, tasks or tags printed as {@code ansible-playbook} prints them. Undefined variables are not
     * checked here (Ansible's --syntax-check does not either); no host is contacted.
     */
    int list(Path playbookFile, PlaybookListing listing) throws InvalidInputException {
        Vault vault = inv.vault.vault(services.config(), services.home());
        Map<String, Object> extra = ExtraVars.parse(inv.extraVars, vault);
        boolean needsHosts = listing.what().contains(PlaybookListing.What.HOSTS);
        Inventory inventory = inv.inventory == null && !needsHosts ? new org.omerofleet.inventory.InventoryLoader().hostList("localhost,")
                : services.inventory(inv.inventory, vault);
        Playbook playbook = new org.omerofleet.playbook.PlaybookLoader(services.catalog(), services.loaderSettings(vault, connection))
                .load(playbookFile);
        if (listing.what().isEmpty()) {
            services.out().println("\nplaybook: " + playbookFile);
        } else {
            services.out().print(listing.render(playbook, playbookFile.toString(), inventory, inv.limit(), extra));
        }
        services.out().flush();
        return ExitCodes.OK;
    }

    /** {@return the summary of running the playbook} */
    RunSummary execute(Path playbookFile, Map<String, Object> commandVars, Optional<List<Object>> serial) throws InvalidInputException {
        Vault vault = inv.vault.vault(services.config(), services.home());
        Map<String, Object> extra = new LinkedHashMap<>(commandVars);
        extra.putAll(ExtraVars.parse(inv.extraVars, vault));
        Inventory inventory = services.inventory(inv.inventory, vault);
        Playbook playbook = services.playbook(playbookFile, inventory, extra, services.loaderSettings(vault, connection));
        RunOptions options;
        try {
            options = new RunOptions(control.forks, control.check, control.diff, extra, inv.limit(),
                    new LinkedHashSet<>(control.tags), new LinkedHashSet<>(control.skipTags), control.forceHandlers, serial,
                    control.runsDir, Optional.ofNullable(control.startAtTask), Optional.ofNullable(control.resumeRun),
                    ResumeCommand.withoutSecrets(control.commandLine()), Optional.empty());
        } catch (IllegalArgumentException e) { // an option out of range, e.g. --forks 0
            throw new UsageException(e.getMessage(), e);
        }
        if (control.startAtTask != null && !TaskNames.of(playbook).contains(control.startAtTask)) {
            throw new UsageException("--start-at-task: no task named '" + control.startAtTask + "' in " + playbookFile
                    + Suggestions.didYouMean(control.startAtTask, TaskNames.of(playbook)).map(s -> " (" + s + ")").orElse(""));
        }
        // asked once, after the playbook and inventory are known to be valid and before any host is touched
        options = options.withBecomePassword(connection.becomePassword(services.env(), services.config()));
        PrintStream progress = control.json ? services.err() : services.out();
        boolean terminal = !control.json && System.console() != null;
        boolean colour = terminal && !services.env().containsKey("NO_COLOR");
        List<RunListener> listeners = new ArrayList<>();
        listeners.add(new ConsoleReporter(progress, colour, control.verbosity(), terminal));
        listeners.add(new RunDirectoryWriter(ExitCodes::of));
        listeners.add(new RunListener() {
            @Override
            public void runStarted(String runId, Path runDir) {
                services.internalErrors().runStarted(runDir);
            }
        });
        if (control.resultsDb != null) {
            RunStore store = resultsDb(control.resultsDb, services.env());
            try {
                store.migrate(); // before any host: a results database that cannot be reached is a usage error
            } catch (java.sql.SQLException e) {
                throw new UsageException("--results-db: " + e.getMessage(), e);
            }
            listeners.add(new RunStoreWriter(store, ExitCodes::of, services.err()::println));
        }
        RunSummary summary;
        try (ConnectionFactory factory = services.transports().apply(connection)) {
            PlaybookExecutor executor = services.executor(factory, connection);
            executor.addSecrets(vault.revealed());
            options.becomePassword().ifPresent(p -> executor.addSecrets(java.util.Set.of(p)));
            // Ctrl-C or SIGTERM: start nothing new, let hosts in flight reach a safe point, write the report,
            // and only then let the JVM exit (with 130 for SIGINT). The hook blocks the exit until the run is done.
            CountDownLatch finished = new CountDownLatch(1);
            hook = new Thread(() -> {
                executor.requestStop();
                services.err().println("interrupted: starting nothing new; hosts in flight finish their current step and rescue"
                        + " (kill -9 abandons them)");
                awaitQuietly(finished);
                awaitQuietly(printed, PRINT_GRACE);
            }, "interrupt");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                summary = executor.run(playbook, inventory, options, RunListener.all(listeners));
            } catch (InvalidInputException | RuntimeException | Error e) {
                removeHook(hook); // nothing will be printed: a later exit must not wait or say "interrupted"
                hook = null;
                throw e;
            } finally {
                finished.countDown();
            }
        }
        return summary;
    }

    /** {@return the PostgreSQL run history named by {@code --results-db}} */
    static RunStore resultsDb(String url, Map<String, String> env) {
        try {
            return new RunStore(url, Optional.ofNullable(env.get("PGPASSWORD")));
        } catch (IllegalArgumentException e) { // not a jdbc:postgresql: URL
            throw new UsageException(e.getMessage(), e);
        }
    }

    /**
     * Say that what the run produced has been printed, adding the controller's figures when {@code --stats}
     * asked for them (bench reads them): until then an interrupt waits (briefly) before the JVM exits, so
     * that report output on stdout is never cut off.
     */
    void printed() {
        if (control.stats) {
            services.err().println(ControllerStats.current().line());
        }
        printed.countDown();
        if (hook != null) {
            removeHook(hook);
        }
    }

    private static void awaitQuietly(CountDownLatch latch, java.time.Duration limit) {
        try {
            latch.await(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook has run
        }
    }
}
