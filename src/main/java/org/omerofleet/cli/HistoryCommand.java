package org.omerofleet.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.omerofleet.report.RunHistory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code history}: what past runs did, read from the run directories.
 */
@Command(name = "history", mixinStandardHelpOptions = true, version = FleetCommand.VERSION,
        footerHeading = FleetCommand.EXAMPLES, footer = {"  omero-fleet history",
            "  omero-fleet history --host omero2 --since 30d"},
        description = "List past runs from the runs directory (newest first), or every run of one host with its outcome.")
final class HistoryCommand implements Callable<Integer> {

    private final Services services;

    @Option(names = "--runs-dir", paramLabel = "DIR", defaultValue = "runs", description = "where run directories are (default ${DEFAULT-VALUE})")
    Path runsDir;

    @Option(names = "--host", paramLabel = "HOST", description = "only this host: its state, release and schema change, backup and message per run")
    String host;

    @Option(names = "--since", paramLabel = "AGE", description = "only runs started within this age: 30d, 12h, 90m, 600s")
    String since;

    @Option(names = "--results-db", paramLabel = "JDBC_URL", description = "read the PostgreSQL run history instead of the runs directory")
    String resultsDb;

    @Option(names = "--json", description = "print the runs' report.json documents as one JSON document")
    boolean json;

    HistoryCommand(Services services) {
        this.services = services;
    }

    @Override
    public Integer call() throws java.sql.SQLException {
        Optional<java.time.Instant> from = Optional.ofNullable(since).map(s -> services.clock().instant().minus(age(s)));
        RunHistory history = resultsDb == null ? new RunHistory(runsDir, from)
                : new RunHistory(PlaybookRun.resultsDb(resultsDb, services.env()).reports(from));
        if (json) {
            services.out().print(history.json());
        } else {
            services.out().print(host == null ? history.runsTable() : history.hostTable(host));
        }
        return ExitCodes.OK;
    }

    static Duration age(String text) {
        return DurationOption.parse("--since", text, null);
    }
}
