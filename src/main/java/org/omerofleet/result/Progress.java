package org.omerofleet.result;

import java.time.Duration;
import java.util.Locale;

/**
 * How far a long step on one host has got while it runs: bytes done against bytes expected, and the
 * time since it started.
 *
 * @param what    the work, as the user knows it: {@code pg_dump}, {@code pg_restore}, {@code psql}, {@code upload}
 * @param of      what the total is the size of: {@code database} (a dump's size against the database's,
 *                only an indication, as a dump is compressed), {@code dump} (read by pg_restore), {@code file}
 * @param done    bytes done so far (0 when unknown)
 * @param total   bytes expected in all, or -1 when unknown
 * @param elapsed time since the work started
 */
public record Progress(String what, String of, long done, long total, Duration elapsed) {

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    public Progress {
        if (what == null || what.isBlank() || of == null || elapsed == null) {
            throw new IllegalArgumentException("progress needs what, of and elapsed");
        }
        done = Math.max(0, done);
        total = total < 0 ? -1 : total;
    }

    /**
     * {@return the line a person reads, e.g. {@code pg_dump: 12.0 MiB of 45.8 MiB database (26%), 0:01:05 elapsed}}
     */
    public String describe() {
        StringBuilder line = new StringBuilder(what).append(": ");
        if (done == 0 && total < 0) {
            line.append("running");
        } else {
            line.append(human(done));
        }
        if (total > 0) {
            line.append(" of ").append(human(total)).append(' ').append(of).append(" (").append(Math.min(999, done * 100 / total)).append("%)");
        }
        long s = elapsed.toSeconds();
        line.append(", ").append(String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)).append(" elapsed");
        return line.toString();
    }

    /** {@return {@code bytes} in binary units with one decimal, e.g. {@code 1.5 GiB}} */
    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }
}
