package org.omerofleet.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Control a playbook run: forks, check and diff modes, tags, output.
 */
public final class RunControlOptions {

    @Option(names = {"-f", "--forks"}, paramLabel = "N", defaultValue = "5",
            description = "hosts worked on at once (default ${DEFAULT-VALUE})")
    int forks;

    @Option(names = {"-C", "--check"}, description = "change nothing; report what would change")
    boolean check;

    @Option(names = {"-D", "--diff"}, description = "show file and config differences")
    boolean diff;

    @Option(names = {"-t", "--tags"}, split = ",", paramLabel = "TAG", description = "run only tasks with these tags")
    List<String> tags = new ArrayList<>();

    @Option(names = "--skip-tags", split = ",", paramLabel = "TAG", description = "skip tasks with these tags")
    List<String> skipTags = new ArrayList<>();

    @Option(names = "--start-at-task", paramLabel = "NAME", description = "skip every task before the first one with this name")
    String startAtTask;

    @Option(names = "--force-handlers", description = "run notified handlers even on hosts that failed")
    boolean forceHandlers;

    @Option(names = "--json", description = "print report.json on stdout (progress goes to stderr)")
    boolean json;

    @Option(names = "--progress-interval", paramLabel = "SECONDS", defaultValue = "30",
            description = "without a terminal, print a long step's progress (dump, restore, database upgrade) this often (default ${DEFAULT-VALUE})")
    int progressInterval;

    @Option(names = "--runs-dir", paramLabel = "DIR", defaultValue = "runs",
            description = "where run directories are written (default ${DEFAULT-VALUE})")
    Path runsDir;

    @Option(names = "--results-db", paramLabel = "JDBC_URL",
            description = "also store the run in this PostgreSQL history (jdbc:postgresql://host/db?user=...; password from the URL or PGPASSWORD)")
    String resultsDb;

    @Option(names = "--stats", hidden = true, description = "print the controller's CPU, peak RSS and peak threads on stderr (used by bench)")
    boolean stats;

    @Option(names = {"-v", "--verbose"}, description = "show more of every result: -v messages, -vv (to -vvvv) also each task's "
            + "file:line and result data (secrets masked)")
    boolean[] verbosity = new boolean[0];

    @Option(names = "--resume-run", paramLabel = "RUN_DIR", hidden = true, description = "set by resume: go on with this unfinished run")
    Path resumeRun;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** {@return how many -v were given} */
    int verbosity() {
        return verbosity.length;
    }

    /** {@return the whole command line as given, for the journal (which keeps it without secrets)} */
    List<String> commandLine() {
        return command.root().commandLine().getParseResult().originalArgs();
    }
}
