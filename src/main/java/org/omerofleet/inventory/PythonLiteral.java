package org.omerofleet.inventory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Read an INI inventory value the way Ansible's INI plugin does with Python's {@code ast.literal_eval}:
 * strings, numbers, {@code True}/{@code False}/{@code None}, lists, tuples, sets and dicts. A value
 * that is not such a literal stays a string, which is the caller's job.
 *
 * <p>Tuples and sets become lists, as Ansible converts them. Integers that do not fit a {@code long}
 * and complex numbers are not read (they stay strings).
 */
final class PythonLiteral {

    private static final int MAX_DEPTH = 64;

    private final String text;
    private int pos;

    private PythonLiteral(String text) {
        this.text = text;
    }

    /**
     * {@return the literal's value ({@code None} gives {@code null}), or {@code fallback} when
     * {@code text} is not a Python literal}
     */
    static Object valueOr(String text, Object fallback) {
        try {
            return new PythonLiteral(text).topLevel();
        } catch (NotALiteral e) {
            return fallback;
        }
    }

    private Object topLevel() {
        skipSpace();
        Object first = expression(0);
        skipSpace();
        if (peek() != ',') {
            end();
            return first;
        }
        // "80, 443" is a tuple in Python even without parentheses
        List<Object> items = new ArrayList<>();
        items.add(first);
        while (peek() == ',') {
            pos++;
            skipSpace();
            if (atEnd() || peek() == '#') {
                break;
            }
            items.add(expression(0));
            skipSpace();
        }
        end();
        return items;
    }

    private void end() {
        skipSpace();
        // Python's tokenizer drops a trailing comment: "8080 # web port" is 8080
        if (!atEnd() && peek() != '#') {
            throw new NotALiteral();
        }
    }

    private Object expression(int depth) {
        if (depth > MAX_DEPTH) {
            throw new NotALiteral();
        }
        skipSpace();
        char c = peek();
        if (c == '[') {
            pos++;
            return sequence(']', depth);
        }
        if (c == '(') {
            pos++;
            return parenthesised(depth);
        }
        if (c == '{') {
            pos++;
            return braces(depth);
        }
        if (c == '-' || c == '+') {
            pos++;
            skipSpace();
            Object number = number();
            return c == '-' ? negate(number) : number;
        }
        if (Character.isDigit(c) || c == '.' && pos + 1 < text.length() && Character.isDigit(text.charAt(pos + 1))) {
            return number();
        }
        if (c == '\'' || c == '"' || isStringPrefix()) {
            StringBuilder joined = new StringBuilder();
            // adjacent literals concatenate: 'a' "b" is "ab"
            do {
                joined.append(string());
                skipSpace();
            } while (peek() == '\'' || peek() == '"' || isStringPrefix());
            return joined.toString();
        }
        String word = word();
        switch (word) {
            case "True":
                return Boolean.TRUE;
            case "False":
                return Boolean.FALSE;
            case "None":
                return null;
            default:
                throw new NotALiteral();
        }
    }

    private List<Object> sequence(char close, int depth) {
        List<Object> items = new ArrayList<>();
        skipSpace();
        while (peek() != close) {
            items.add(expression(depth + 1));
            skipSpace();
            if (peek() == ',') {
                pos++;
                skipSpace();
            } else if (peek() != close) {
                throw new NotALiteral();
            }
        }
        pos++;
        return items;
    }

    private Object parenthesised(int depth) {
        skipSpace();
        if (peek() == ')') {
            pos++;
            return new ArrayList<>();
        }
        Object first = expression(depth + 1);
        skipSpace();
        if (peek() == ')') {
            pos++;
            return first;
        }
        if (peek() != ',') {
            throw new NotALiteral();
        }
        pos++;
        List<Object> items = new ArrayList<>();
        items.add(first);
        items.addAll(sequence(')', depth));
        return items;
    }

    private Object braces(int depth) {
        skipSpace();
        Map<String, Object> map = new LinkedHashMap<>();
        if (peek() == '}') {
            pos++;
            return map;
        }
        Object first = expression(depth + 1);
        skipSpace();
        if (peek() != ':') {
            // a set literal; Ansible turns sets into lists
            List<Object> items = new ArrayList<>();
            items.add(first);
            if (peek() == ',') {
                pos++;
                items.addAll(sequence('}', depth));
            } else if (peek() == '}') {
                pos++;
            } else {
                throw new NotALiteral();
            }
            return items;
        }
        Object key = first;
        while (true) {
            if (peek() != ':') {
                throw new NotALiteral();
            }
            pos++;
            Object value = expression(depth + 1);
            map.put(keyText(key), value);
            skipSpace();
            if (peek() == '}') {
                pos++;
                return map;
            }
            if (peek() != ',') {
                throw new NotALiteral();
            }
            pos++;
            skipSpace();
            if (peek() == '}') {
                pos++;
                return map;
            }
            key = expression(depth + 1);
            skipSpace();
        }
    }

    private static String keyText(Object key) {
        if (key instanceof String || key instanceof Long) {
            return key.toString();
        }
        throw new NotALiteral();
    }

    private Object number() {
        int start = pos;
        if (text.startsWith("0x", pos) || text.startsWith("0X", pos)) {
            return radix(16);
        }
        if (text.startsWith("0o", pos) || text.startsWith("0O", pos)) {
            return radix(8);
        }
        if (text.startsWith("0b", pos) || text.startsWith("0B", pos)) {
            return radix(2);
        }
        boolean isFloat = false;
        digits();
        if (peek() == '.') {
            isFloat = true;
            pos++;
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            isFloat = true;
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!Character.isDigit(peek())) {
                throw new NotALiteral();
            }
            digits();
        }
        if (peek() == 'j' || peek() == 'J' || Character.isLetter(peek()) || peek() == '_') {
            throw new NotALiteral();
        }
        String literal = text.substring(start, pos);
        if (literal.startsWith("_") || literal.endsWith("_") || literal.contains("__")) {
            throw new NotALiteral();
        }
        String plain = literal.replace("_", "");
        if (plain.isEmpty() || !Character.isDigit(plain.charAt(0)) && !(plain.length() > 1 && plain.charAt(0) == '.' && Character.isDigit(plain.charAt(1)))) {
            throw new NotALiteral(); // "-e0", "-.": a sign must be followed by digits
        }
        if (isFloat) {
            try {
                return Double.parseDouble(plain);
            } catch (NumberFormatException e) {
                throw new NotALiteral();
            }
        }
        // Python 3 has no leading-zero integers: "022" is a syntax error (so it stays a string)
        if (plain.length() > 1 && plain.startsWith("0") && !plain.chars().allMatch(ch -> ch == '0')) {
            throw new NotALiteral();
        }
        try {
            return Long.parseLong(plain);
        } catch (NumberFormatException e) {
            throw new NotALiteral();
        }
    }

    private Object radix(int radix) {
        pos += 2;
        int digitsStart = pos;
        while (pos < text.length() && (Character.digit(text.charAt(pos), radix) >= 0 || text.charAt(pos) == '_')) {
            pos++;
        }
        String digits = text.substring(digitsStart, pos).replace("_", "");
        if (digits.isEmpty() || Character.isLetterOrDigit(peek())) {
            throw new NotALiteral();
        }
        try {
            return Long.parseLong(digits, radix);
        } catch (NumberFormatException e) {
            throw new NotALiteral();
        }
    }

    private void digits() {
        while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
    }

    private static Object negate(Object number) {
        if (number instanceof Long) {
            return -(Long) number;
        }
        return -(Double) number;
    }

    private boolean isStringPrefix() {
        int i = pos;
        while (i < text.length() && i - pos < 2 && "rRuUbB".indexOf(text.charAt(i)) >= 0) {
            i++;
        }
        return i > pos && i < text.length() && (text.charAt(i) == '\'' || text.charAt(i) == '"');
    }

    private String string() {
        boolean raw = false;
        while ("rRuUbB".indexOf(peek()) >= 0) {
            raw |= peek() == 'r' || peek() == 'R';
            pos++;
        }
        char quote = peek();
        pos++;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (atEnd()) {
                throw new NotALiteral();
            }
            char c = text.charAt(pos++);
            if (c == quote) {
                return out.toString();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (atEnd()) {
                throw new NotALiteral();
            }
            char e = text.charAt(pos++);
            if (raw) {
                out.append('\\').append(e);
                continue;
            }
            escape(e, out);
        }
    }

    private void escape(char e, StringBuilder out) {
        switch (e) {
            case 'n': out.append('\n'); break;
            case 't': out.append('\t'); break;
            case 'r': out.append('\r'); break;
            case 'a': out.append('\u0007'); break;
            case 'b': out.append('\b'); break;
            case 'f': out.append('\f'); break;
            case 'v': out.append('\u000b'); break;
            case '\\': case '\'': case '"': out.append(e); break;
            case 'x': out.appendCodePoint(hex(2)); break;
            case 'u': out.appendCodePoint(hex(4)); break;
            case 'U': out.appendCodePoint(hex(8)); break;
            default:
                if (e >= '0' && e <= '7') {
                    int value = e - '0';
                    for (int i = 0; i < 2 && peek() >= '0' && peek() <= '7'; i++) {
                        value = value * 8 + (text.charAt(pos++) - '0');
                    }
                    out.append((char) value);
                } else {
                    // Python keeps unknown escapes as written
                    out.append('\\').append(e);
                }
        }
    }

    private int hex(int length) {
        if (pos + length > text.length()) {
            throw new NotALiteral();
        }
        try {
            int value = Integer.parseUnsignedInt(text.substring(pos, pos + length), 16);
            if (!Character.isValidCodePoint(value)) {
                throw new NotALiteral();
            }
            pos += length;
            return value;
        } catch (NumberFormatException e) {
            throw new NotALiteral();
        }
    }

    private String word() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private void skipSpace() {
        while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
            pos++;
        }
    }

    private boolean atEnd() {
        return pos >= text.length();
    }

    private char peek() {
        return atEnd() ? '\0' : text.charAt(pos);
    }

    /** Thrown inside the parser only; {@link #parse} turns it into an empty result. */
    private static final class NotALiteral extends RuntimeException {
        NotALiteral() {
            super(null, null, false, false);
        }
    }
}
