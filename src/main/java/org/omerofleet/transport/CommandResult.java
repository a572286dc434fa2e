package org.omerofleet.transport;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Hold what one remote command did. A missing exit status (the channel closed on a signal, or the
 * connection dropped) is "unknown", never 0 (reliability.md NET-10, NET-11).
 *
 * @param exitStatus   the exit status, empty when the host did not report one
 * @param exitSignal   the signal that ended the command, if the host reported one
 * @param stdout       captured standard output (head and tail when over the capture limit)
 * @param stderr       captured standard error (head and tail when over the capture limit)
 * @param truncated    whether either stream lost its middle to the capture limit
 * @param elapsed      wall time from channel open to close
 */
public record CommandResult(OptionalInt exitStatus, Optional<String> exitSignal, String stdout, String stderr,
                            boolean truncated, Duration elapsed) {

    public CommandResult {
        Objects.requireNonNull(exitStatus, "exitStatus");
        Objects.requireNonNull(exitSignal, "exitSignal");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(elapsed, "elapsed");
    }

    /** {@return whether the command reported exit status 0} */
    public boolean succeeded() {
        return exitStatus.isPresent() && exitStatus.getAsInt() == 0;
    }

    /** {@return the exit status, or -1 when unknown} */
    public int rc() {
        return exitStatus.orElse(-1);
    }
}
