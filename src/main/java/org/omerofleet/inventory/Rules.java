package org.omerofleet.inventory;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.omerofleet.input.InputError;
import org.omerofleet.input.SourcePosition;

/**
 * Check names and the variables we act on (reliability.md IN-02, IN-03). Every check returns the
 * error instead of throwing, so that one file's problems are all reported together.
 */
final class Rules {

    static final String PORT = "ansible_port";
    static final String HOST = "ansible_host";
    static final String USER = "ansible_user";
    static final String KEY_FILE = "ansible_ssh_private_key_file";
    static final String GROUP_PRIORITY = "ansible_group_priority";
    static final String TARGET_RELEASE = "omero_target_release";
    /** A release as {@code ReleaseVersion} reads one: {@code 5.6.3}, or a distribution name {@code OMERO.server-5.6.3-ice36-b228}. */
    private static final Pattern RELEASE = Pattern.compile("(?:OMERO\\.server-)?\\d{1,9}(?:\\.\\d{1,9})+(?:-ice\\d[0-9a-z]*)?(?:-b\\d{1,9})?");

    /** IPv6 literal with an optional zone ({@code fe80::1%eth0}): the only host names with ':' or '%'. */
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[\\p{Alnum}._-]+)?");
    private static final Pattern LEADING_ZERO = Pattern.compile("[+-]?0[0-9_]+");
    private static final Pattern DECIMAL = Pattern.compile("[1-9][0-9]*");

    private Rules() {
    }

    /** {@return why {@code name} cannot be an inventory host name, if it cannot} */
    static Optional<InputError> hostName(String name, SourcePosition where) {
        if (name.isEmpty()) {
            return error(where, "empty host name", null);
        }
        if (name.startsWith("-")) {
            return error(where, "host name '" + name + "' starts with '-'",
                    "ssh would read it as an option; host names start with a letter or digit");
        }
        for (int i = 0; i < name.length(); i = name.offsetByCodePoints(i, 1)) {
            int c = name.codePointAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                return error(where, "host name '" + name + "' contains whitespace",
                        "a host name is one word; put variables after it as key=value");
            }
            if (Character.isISOControl(c)) {
                return error(where, "host name '" + printable(name) + "' contains a control character", null);
            }
            if (!Character.isLetterOrDigit(c) && ".-_:%".indexOf(c) < 0) {
                return error(where, "host name '" + name + "' contains '" + new String(Character.toChars(c)) + "'",
                        "use letters, digits, '.', '-' and '_' (':' and '%' only in IPv6 addresses)");
            }
        }
        if (name.equals(".") || name.equals("..")) {
            return error(where, "'" + name + "' is not a host name", null);
        }
        if ((name.indexOf(':') >= 0 || name.indexOf('%') >= 0) && !IPV6.matcher(name).matches()) {
            return error(where, "host name '" + name + "' contains '" + (name.indexOf(':') >= 0 ? ":" : "%")
                    + "' but is not an IPv6 address", "write host:PORT with a number, or set ansible_port");
        }
        return Optional.empty();
    }

    /** {@return why {@code name} cannot be a group name, if it cannot} */
    static Optional<InputError> groupName(String name, SourcePosition where) {
        if (name.isEmpty()) {
            return error(where, "empty group name", null);
        }
        if (name.startsWith("-")) {
            return error(where, "group name '" + name + "' starts with '-'", null);
        }
        for (int i = 0; i < name.length(); i = name.offsetByCodePoints(i, 1)) {
            int c = name.codePointAt(i);
            if (!Character.isLetterOrDigit(c) && "_-.".indexOf(c) < 0) {
                return error(where, "group name '" + printable(name) + "' contains '"
                        + printable(new String(Character.toChars(c))) + "'",
                        "use letters, digits, '_', '-' and '.'; host patterns use ',', ':', '!', '&' and '*' as operators");
            }
        }
        return Optional.empty();
    }

    /** {@return why {@code name} cannot be a variable name, if it cannot} */
    static Optional<InputError> varName(String name, SourcePosition where) {
        boolean ok = !name.isEmpty() && (Character.isLetter(name.charAt(0)) || name.charAt(0) == '_');
        for (int i = 1; ok && i < name.length(); i++) {
            char c = name.charAt(i);
            ok = Character.isLetterOrDigit(c) || c == '_';
        }
        return ok ? Optional.empty() : error(where, "'" + printable(name) + "' is not a valid variable name",
                "variable names are letters, digits and '_', not starting with a digit");
    }

    /** Add an error for each rule {@code var} breaks, given its name. */
    static void checkVar(String name, Var var, List<InputError> errors) {
        switch (name) {
            case PORT:
                portError(var).ifPresent(errors::add);
                break;
            case HOST:
                word(name, var, true, "the host or IP address to connect to").ifPresent(errors::add);
                break;
            case USER:
                word(name, var, true, "the remote user name").ifPresent(errors::add);
                break;
            case KEY_FILE:
                word(name, var, false, "a path to a private key file").ifPresent(errors::add);
                break;
            case TARGET_RELEASE:
                releaseError(var).ifPresent(errors::add);
                break;
            default:
                break;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (var.value() instanceof Double && (lower.endsWith("version") || lower.endsWith("release"))) {
            String number = String.valueOf(var.value());
            String quote = var.syntax() == Var.Syntax.YAML ? "'" : "\"";
            errors.add(new InputError(var.where(), "variable '" + name + "' is the number " + number
                    + ", not a version", "write " + quote + var.text() + quote + " in quotes: " + var.syntax()
                    + " reads it as the number " + number));
        }
    }

    /** {@return {@code value} as a port number, if it is a valid {@code ansible_port}} */
    static Optional<Integer> port(Object value) {
        if (value instanceof Long) {
            long port = (Long) value;
            return port >= 1 && port <= 65535 ? Optional.of((int) port) : Optional.empty();
        }
        if (value instanceof String && DECIMAL.matcher((String) value).matches() && ((String) value).length() <= 5) {
            return port(Long.parseLong((String) value));
        }
        return Optional.empty();
    }

    private static Optional<InputError> portError(Var var) {
        Object value = var.value();
        String text = var.text();
        if (LEADING_ZERO.matcher(text).matches()) {
            String meant = text.replace("_", "").replaceFirst("^([+-]?)0+(?=.)", "$1");
            String read = var.syntax() == Var.Syntax.YAML && value instanceof Long
                    ? ", so YAML reads it as the octal number " + value : "";
            return error(var.where(), PORT + " " + text + " has a leading zero" + read,
                    "write " + meant + " without the leading zero");
        }
        if (value instanceof Double) {
            double d = (Double) value;
            String hint = d == Math.rint(d) && !Double.isInfinite(d) ? "write " + (long) d : "a port is a whole number";
            return error(var.where(), PORT + " must be a whole number, not " + text, hint);
        }
        if (value instanceof Long) {
            if (!text.matches("[+]?[0-9]+")) {
                return error(var.where(), PORT + " must be written as a plain decimal number, not " + text,
                        "write " + value);
            }
            return port(value).isPresent() ? Optional.empty()
                    : error(var.where(), PORT + " " + value + " is outside 1-65535", null);
        }
        if (value instanceof String && DECIMAL.matcher((String) value).matches()) {
            return port(value).isPresent() ? Optional.empty()
                    : error(var.where(), PORT + " " + value + " is outside 1-65535", null);
        }
        return error(var.where(), PORT + " must be a port number from 1 to 65535, got " + describe(value), null);
    }

    /** {@return why {@code omero_target_release} is not a release version; a template is checked when it is rendered, not here} */
    private static Optional<InputError> releaseError(Var var) {
        if (var.value() instanceof Double) {
            return Optional.empty(); // the number check of every *_release variable says it, with the quoting hint
        }
        if (var.value() instanceof String text && (text.isEmpty() || text.contains("{{") || RELEASE.matcher(text.strip()).matches())) {
            return Optional.empty();
        }
        return error(var.where(), TARGET_RELEASE + " must be a release version such as 5.6.3, got " + describe(var.value()),
                "the release the hosts should run: its dotted numbers, e.g. 5.6.3 or 4.4.12");
    }

    private static Optional<InputError> word(String name, Var var, boolean oneWord, String what) {
        Object value = var.value();
        if (!(value instanceof String)) {
            return error(var.where(), name + " must be " + what + ", got " + describe(value), null);
        }
        String text = (String) value;
        if (text.isBlank()) {
            return error(var.where(), name + " is empty", null);
        }
        if (oneWord && text.startsWith("-")) {
            return error(var.where(), name + " '" + printable(text) + "' starts with '-'",
                    "ssh would read it as an option");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || oneWord && Character.isWhitespace(c)) {
                return error(var.where(), name + " '" + printable(text) + "' contains "
                        + (Character.isISOControl(c) && c != ' ' && c != '\t' ? "a control character" : "whitespace"),
                        null);
            }
        }
        return Optional.empty();
    }

    private static String describe(Object value) {
        if (value == null) {
            return "nothing";
        }
        if (value instanceof String) {
            return "'" + printable((String) value) + "'";
        }
        if (value instanceof Map) {
            return "a mapping";
        }
        if (value instanceof List) {
            return "a list";
        }
        if (value instanceof Boolean) {
            return "the boolean " + value;
        }
        return "the number " + value;
    }

    /** Show control characters as {@code \\uXXXX} so that an error message cannot rewrite the terminal. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static Optional<InputError> error(SourcePosition where, String message, String hint) {
        return Optional.of(new InputError(where, message, hint));
    }
}
