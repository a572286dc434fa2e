package org.omerofleet.transport;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Describe one remote command.
 *
 * @param command      the command line given to the remote user's shell, already quoted
 * @param stdin        bytes written to the command's standard input, then closed (empty for none)
 * @param timeout      how long the command may run before it is killed and reported unknown
 * @param captureLimit bytes kept per stream: the head and the tail, half each; the middle is dropped
 */
public record ExecRequest(String command, byte[] stdin, Duration timeout, int captureLimit) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);
    /** 1 MiB head + 1 MiB tail per stream (reliability.md "Output handling"). */
    public static final int DEFAULT_CAPTURE_LIMIT = 2 * 1024 * 1024;

    public ExecRequest {
        Objects.requireNonNull(command, "command");
        if (command.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a remote command cannot contain a NUL byte");
        }
        stdin = stdin == null ? new byte[0] : stdin.clone();
        Objects.requireNonNull(timeout, "timeout");
        if (captureLimit < 2) {
            throw new IllegalArgumentException("capture limit must be at least 2 bytes");
        }
    }

    /** {@return a request for a raw shell command line, with defaults} */
    public static ExecRequest shell(String commandLine) {
        return new ExecRequest(commandLine, new byte[0], DEFAULT_TIMEOUT, DEFAULT_CAPTURE_LIMIT);
    }

    /** {@return a request that runs {@code argv} with every element single-quoted} */
    public static ExecRequest argv(List<String> argv) {
        return shell(ShellQuote.join(argv));
    }

    public ExecRequest withStdin(byte[] input) {
        return new ExecRequest(command, input, timeout, captureLimit);
    }

    public ExecRequest withTimeout(Duration newTimeout) {
        return new ExecRequest(command, stdin, newTimeout, captureLimit);
    }

    @Override
    public byte[] stdin() {
        return stdin.clone();
    }

    @Override
    public String toString() {
        // stdin may hold secrets: never print it
        return "ExecRequest[" + command + ", stdin=" + stdin.length + " bytes]";
    }
}
