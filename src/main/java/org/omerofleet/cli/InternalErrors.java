package org.omerofleet.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Report an unexpected exception: one line on stderr, and the stack trace in a file, in the run
 * directory when the run has one by then, else in a temporary file; the line names the file.
 */
final class InternalErrors {

    static final String FILE = "internal-error.txt";

    private volatile Path runDir;

    /** Remember the directory of the run under way, where a later stack trace goes. */
    void runStarted(Path dir) {
        runDir = dir;
    }

    /** {@return {@link ExitCodes#INTERNAL_ERROR}}, after reporting {@code e} on {@code err} */
    int report(Throwable e, PrintWriter err) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        String line = "internal error: " + oneLine(e);
        try {
            Path file = write(trace.toString());
            err.println(line + " (a bug; stack trace in " + file + ")");
        } catch (IOException writeFailed) {
            err.println(line + " (a bug; the stack trace could not be written to a file: " + writeFailed.getMessage() + ")");
            err.print(trace);
        }
        err.flush();
        return ExitCodes.INTERNAL_ERROR;
    }

    private Path write(String trace) throws IOException {
        Optional<Path> dir = Optional.ofNullable(runDir).filter(Files::isDirectory);
        Path file = dir.isPresent() ? dir.get().resolve(FILE) : Files.createTempFile("omero-fleet-internal-error-", ".txt");
        return Files.writeString(file, trace);
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? "" : ": " + e.getMessage().strip().replaceAll("\\s*\\R\\s*", " / ");
        return e.getClass().getName() + message;
    }
}
