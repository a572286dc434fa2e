package org.omerofleet.omero;

import java.util.Locale;

/**
 * Format byte counts for people, in binary units: {@code 512 B}, {@code 1.5 GiB}.
 */
public final class Bytes {

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private Bytes() {
    }

    /**
     * {@return {@code bytes} with one decimal in the largest binary unit that keeps the number at least
     * 1}, e.g. {@code 1536 → "1.5 KiB"}; below 1 KiB the exact count, e.g. {@code "512 B"}
     */
    public static String human(long bytes) {
        String sign = bytes < 0 ? "-" : "";
        // Long.MIN_VALUE has no positive long; its magnitude is still exact as a double
        double magnitude = Math.abs((double) bytes);
        if (magnitude < 1024) {
            return sign + (long) magnitude + " B";
        }
        int unit = 0;
        while (unit < UNITS.length - 1 && magnitude >= 1024) {
            magnitude /= 1024;
            unit++;
        }
        // 1023.96 KiB would print as "1024.0 KiB"; say "1.0 MiB" instead
        if (Math.round(magnitude * 10) >= 10240 && unit < UNITS.length - 1) {
            magnitude /= 1024;
            unit++;
        }
        return sign + String.format(Locale.ROOT, "%.1f %s", magnitude, UNITS[unit]);
    }
}
