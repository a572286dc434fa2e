package org.omerofleet.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.omerofleet.executor.PlaybookExecutor;
import org.omerofleet.executor.Redactor;
import org.omerofleet.input.InvalidInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code resume RUN}: go on with a run whose controller died. The run's command line comes from its
 * journal, and runs again against the same run directory: what the journal says finished is replayed,
 * the step each host was in is probed and repeated (or the host left NEEDS_ATTENTION where a repeat is
 * not safe), and the rest runs as it would have.
 */
@Command(name = "resume", mixinStandardHelpOptions = true, version = FleetCommand.VERSION,
        footerHeading = FleetCommand.EXAMPLES, footer = {"  omero-fleet resume runs/2026-12-02T03-08-37",
            "  omero-fleet resume 2026-12-02T03-08-37 -e @secrets.yml"},
        description = "Go on with a run the controller did not finish (killed, crashed, lost power): its journal gives"
        + " the command line and what each host finished; the step a host was in is probed and repeated, never run twice blindly."
        + " Refused when the playbook, inventory, extra variables or a file they name (the release) changed since the run began.")
final class ResumeCommand implements Callable<Integer> {

    private static final List<String> EXTRA_VARS = List.of("-e", "--extra-vars");

    private final Services services;

    @Parameters(index = "0", paramLabel = "RUN", description = "the run's directory (runs/<id>), or its id under ./runs")
    Path run;

    @Option(names = {"-e", "--extra-vars"}, paramLabel = "VARS",
            description = "give again the extra variables that hold secrets: the journal does not keep them")
    List<String> extraVars = new ArrayList<>();

    ResumeCommand(Services services) {
        this.services = services;
    }

    @Override
    public Integer call() throws InvalidInputException {
        Path dir = Files.isDirectory(run) || run.getNameCount() > 1 ? run : Path.of("runs").resolve(run);
        List<String> journaled = PlaybookExecutor.commandLineOf(dir);
        services.err().println("resuming run " + dir.getFileName() + ": " + String.join(" ", journaled));
        List<String> args = new ArrayList<>(journaled);
        args.add("--resume-run");
        args.add(dir.toString());
        for (String vars : extraVars) {
            args.add("-e");
            args.add(vars);
        }
        return Main.execute(services, args.toArray(String[]::new));
    }

    /** {@return {@code args} without the {@code -e} values that hold a secret, which must never reach the journal} */
    static List<String> withoutSecrets(List<String> args) {
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String value = null;
            boolean pair = EXTRA_VARS.contains(arg) && i + 1 < args.size();
            if (pair) {
                value = args.get(i + 1);
            } else if (arg.startsWith("--extra-vars=")) {
                value = arg.substring("--extra-vars=".length());
            } else if (arg.startsWith("-e") && !arg.startsWith("--")) {
                value = arg.substring(2);
            }
            if (value != null && holdsSecret(value)) {
                i += pair ? 1 : 0;
                continue;
            }
            kept.add(arg);
        }
        return kept;
    }

    private static boolean holdsSecret(String vars) {
        if (vars.startsWith("@")) {
            return false; // a file name: the values stay in the file
        }
        try {
            return !Redactor.secretsIn(ExtraVars.parse(List.of(vars))).isEmpty();
        } catch (InvalidInputException e) {
            return true; // cannot tell: keep it out of the journal
        }
    }
}
