package org.omerofleet.transport;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Quote values for a POSIX shell so that they arrive byte for byte as one word each.
 */
public final class ShellQuote {

    private ShellQuote() {
    }

    /** {@return {@code value} wrapped in single quotes, with embedded single quotes escaped} */
    public static String quote(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a shell word cannot contain a NUL byte");
        }
        if (!value.isEmpty() && value.chars().allMatch(ShellQuote::isSafe)) {
            return value;
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** {@return the words of {@code argv}, each quoted, joined by spaces} */
    public static String join(List<String> argv) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least one word");
        }
        return argv.stream().map(ShellQuote::quote).collect(Collectors.joining(" "));
    }

    private static boolean isSafe(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '/' || c == '.' || c == ',' || c == ':' || c == '@' || c == '%' || c == '+' || c == '=';
    }
}
