package org.omerofleet.cli;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Read a duration option such as {@code --backup-max-age}: a number with a unit ({@code 90s}, {@code 30m},
 * {@code 12h}, {@code 30d}), or a bare number in the option's own unit (what the option took before units
 * came in). Anything else is a {@link UsageException} naming the option (exit 5).
 */
final class DurationOption {

    private static final Pattern VALUE = Pattern.compile("(\\d{1,12})\\s*([smhd]?)");

    private DurationOption() {
    }

    /** {@return {@code text} as a duration; a bare number counts in {@code bareUnit}, or is refused when that is null} */
    static Duration parse(String option, String text, ChronoUnit bareUnit) {
        Matcher m = VALUE.matcher(text == null ? "" : text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches() || bareUnit == null && m.group(2).isEmpty()) {
            throw new UsageException(option + ": expected a duration such as 90s, 30m, 12h or 30d"
                    + (bareUnit == null ? "" : " (a bare number counts in " + bareUnit.toString().toLowerCase(Locale.ROOT) + ")")
                    + ", got '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        ChronoUnit unit = switch (m.group(2)) {
            case "s" -> ChronoUnit.SECONDS;
            case "m" -> ChronoUnit.MINUTES;
            case "h" -> ChronoUnit.HOURS;
            case "d" -> ChronoUnit.DAYS;
            default -> bareUnit;
        };
        try {
            return Duration.of(n, unit);
        } catch (ArithmeticException e) {
            throw new UsageException(option + ": " + text + " is too long", e);
        }
    }
}
