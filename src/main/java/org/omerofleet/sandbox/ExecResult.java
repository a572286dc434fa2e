package org.omerofleet.sandbox;

/**
 * Hold the outcome of one finished local command.
 *
 * @param exitCode the process exit status
 * @param stdout everything the command wrote to standard output
 * @param stderr everything the command wrote to standard error
 */
public record ExecResult(int exitCode, String stdout, String stderr) {

    /** Reject missing streams; an empty stream is the empty string. */
    public ExecResult {
        if (stdout == null || stderr == null) {
            throw new IllegalArgumentException("stdout and stderr must not be null");
        }
    }

    /** {@return whether the command exited with status 0} */
    public boolean ok() {
        return exitCode == 0;
    }
}
