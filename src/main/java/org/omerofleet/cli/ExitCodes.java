package org.omerofleet.cli;

import org.omerofleet.executor.RunSummary;
import org.omerofleet.result.HostState;

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

    /** The table as picocli's {@code exitCodeList} shows it. */
    public static final String[] TABLE = {
        "0:all hosts succeeded or were already up to date",
        "1:internal error",
        "2:some host failed safely (no change, or rolled back)",
        "3:some host needs attention (see the report for recovery commands)",
        "4:some hosts unreachable, none failed",
        "5:invalid input or usage; nothing was touched",
        "130:interrupted (hosts in flight finished their current step)",
    };

    private ExitCodes() {
    }

    /** {@return the exit code for a finished run; the most severe host state decides} */
    public static int of(RunSummary summary) {
        if (summary.interrupted()) {
            return INTERRUPTED;
        }
        if (summary.count(HostState.NEEDS_ATTENTION) > 0) {
            return NEEDS_ATTENTION;
        }
        if (summary.count(HostState.FAILED_NO_CHANGE) > 0 || summary.count(HostState.FAILED_ROLLED_BACK) > 0) {
            return FAILED_SAFELY;
        }
        if (summary.count(HostState.UNREACHABLE) > 0) {
            return UNREACHABLE;
        }
        return OK;
    }
}
