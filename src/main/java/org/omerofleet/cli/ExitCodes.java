package org.omerofleet.cli;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.omerofleet.result.HostState;
import org.omerofleet.result.RunSummary;

/**
 * The one exit-code table (DESIGN.md), printed by {@code --help}.
 */
public final class ExitCodes {

    public static final int OK = 0;
    public static final int INTERNAL_ERROR = 1;
    public static final int FAILED_SAFELY = 2;
    public static final int NEEDS_ATTENTION = 3;
    public static final int UNREACHABLE = 4;
    public static final int INVALID_INPUT = 5;
    public static final int INTERRUPTED = 130;

    /** The table {@code --help} prints, code to meaning; the one place the meanings are written. */
    static final Map<String, String> TABLE = table();

    private static Map<String, String> table() {
        Map<String, String> t = new LinkedHashMap<>();
        t.put(String.valueOf(OK), "all hosts succeeded or were already up to date");
        t.put(String.valueOf(INTERNAL_ERROR), "internal error (a bug; the message names the file holding its stack trace)");
        t.put(String.valueOf(FAILED_SAFELY), "some host failed safely (no change, or rolled back)");
        t.put(String.valueOf(NEEDS_ATTENTION), "some host needs attention (see the report for recovery commands)");
        t.put(String.valueOf(UNREACHABLE), "some hosts unreachable, none failed");
        t.put(String.valueOf(INVALID_INPUT), "invalid input or usage; nothing was touched");
        t.put(String.valueOf(INTERRUPTED), "interrupted (hosts in flight finished their current step)");
        return Collections.unmodifiableMap(t);
    }

    private ExitCodes() {
    }

    /** {@return the exit code for a finished run: 130 when interrupted, else that of its most severe host state} */
    public static int of(RunSummary summary) {
        if (summary.interrupted()) {
            return INTERRUPTED;
        }
        return of(summary.hosts().stream().map(h -> h.state()).toList());
    }

    /** {@return the exit code of the most severe of {@code states} ({@link HostState#BY_SEVERITY}), 0 when there are none} */
    public static int of(Collection<HostState> states) {
        return HostState.worst(states).map(ExitCodes::of).orElse(OK);
    }

    private static int of(HostState state) {
        switch (state) {
            case NEEDS_ATTENTION:
                return NEEDS_ATTENTION;
            case FAILED_NO_CHANGE:
            case FAILED_ROLLED_BACK:
                return FAILED_SAFELY;
            case UNREACHABLE:
                return UNREACHABLE;
            case SUCCEEDED:
            case UP_TO_DATE:
            default:
                return OK;
        }
    }
}
