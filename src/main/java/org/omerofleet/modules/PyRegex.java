package org.omerofleet.modules;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Python's {@code re} syntax, as Ansible's modules read {@code regexp}, in Java: named groups written
 * {@code (?P<name>...)} and {@code (?P=name)}, and replacement templates with {@code \1}, {@code \g<1>},
 * {@code \g<name>} and the escapes {@code \n}, {@code \t}, {@code \\}.
 */
final class PyRegex {

    private PyRegex() {
    }

    /** {@return the pattern, with Python's named-group syntax translated} */
    static Pattern compile(String module, String argument, String regex, int flags) {
        String java = regex.replace("(?P<", "(?<").replaceAll("\\(\\?P=(\\w+)\\)", "\\\\k<$1>");
        try {
            return Pattern.compile(java, flags);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(module + ": argument '" + argument + "' is not a valid regular expression: "
                    + e.getDescription() + " in '" + regex + "'");
        }
    }

    /** {@return {@code template} with the groups of {@code match} put in, as Python's {@code Match.expand}} */
    static String expand(String template, Matcher match) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c != '\\' || i + 1 == template.length()) {
                out.append(c);
                continue;
            }
            char n = template.charAt(++i);
            if (Character.isDigit(n)) {
                int end = i + 1;
                if (end < template.length() && Character.isDigit(template.charAt(end))
                        && Integer.parseInt(template.substring(i, end + 1)) <= match.groupCount()) {
                    end++;
                }
                out.append(group(match, template.substring(i, end)));
                i = end - 1;
            } else if (n == 'g' && i + 1 < template.length() && template.charAt(i + 1) == '<' && template.indexOf('>', i) > 0) {
                int close = template.indexOf('>', i);
                out.append(group(match, template.substring(i + 2, close)));
                i = close;
            } else {
                switch (n) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case '\\' -> out.append('\\');
                    default -> out.append('\\').append(n);
                }
            }
        }
        return out.toString();
    }

    private static String group(Matcher match, String ref) {
        String value;
        try {
            value = ref.chars().allMatch(Character::isDigit) ? match.group(Integer.parseInt(ref)) : match.group(ref);
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid group reference " + ref + " in the replacement");
        }
        return value == null ? "" : value;
    }
}
