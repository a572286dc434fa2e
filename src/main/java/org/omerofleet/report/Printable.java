package org.omerofleet.report;

/**
 * Text that came from a host, made safe to show on a terminal or in a log someone will {@code cat}:
 * a compromised or merely noisy host must not retitle the controller's terminal, clear its screen or
 * hide a line behind a carriage return (reliability.md SEC-10, CMD-05).
 */
public final class Printable {

    private Printable() {
    }

    /**
     * {@return {@code text} with every control character except newline and tab written as visible
     * {@code \xNN} (ESC becomes {@code \x1b}, so {@code ESC[2J} shows as {@code \x1b[2J})} That covers
     * C0, DEL and the C1 range (U+0080 to U+009F, which some terminals take as ESC sequences too). The
     * carriage return of a CRLF line end is kept; a lone one, which would let later text overwrite
     * the line, is escaped.
     */
    public static String of(String text) {
        int i = 0;
        while (i < text.length() && !unsafe(text, i)) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length() + 16).append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (unsafe(text, i)) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean unsafe(String text, int i) {
        char c = text.charAt(i);
        if (c == '\n' || c == '\t') {
            return false;
        }
        if (c == '\r') {
            return i + 1 >= text.length() || text.charAt(i + 1) != '\n';
        }
        return c < 0x20 || (c >= 0x7f && c <= 0x9f);
    }
}
