package org.omerofleet.playbook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Split Ansible's legacy {@code k=v} module argument strings ({@code shell: make chdir=/src}).
 */
final class KeyValue {

    /** The key under which the words that are not known {@code k=v} pairs come back, joined. */
    static final String REST = "\u0000rest";

    private KeyValue() {
    }

    /**
     * {@return the {@code k=v} words whose key is a known parameter, plus {@link #REST}: the other words
     * in their original text} Quotes inside a word are kept in the rest, so a free-form command keeps
     * its own quoting.
     */
    static Map<String, Object> trailingPairs(String text, Set<String> parameters) {
        Map<String, Object> pairs = new LinkedHashMap<>();
        List<String> rest = new ArrayList<>();
        for (String word : words(text)) {
            int eq = word.indexOf('=');
            String key = eq > 0 ? word.substring(0, eq) : "";
            if (eq > 0 && parameters.contains(key)) {
                pairs.put(key, unquote(word.substring(eq + 1)));
            } else {
                rest.add(word);
            }
        }
        pairs.put(REST, String.join(" ", rest));
        return pairs;
    }

    /** Split on unquoted whitespace, keeping quotes in the words. */
    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                word.append(c);
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < text.length()) {
                    word.append(text.charAt(++i));
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                word.append(c);
            } else if (Character.isWhitespace(c)) {
                if (word.length() > 0) {
                    words.add(word.toString());
                    word.setLength(0);
                }
            } else {
                word.append(c);
            }
        }
        if (word.length() > 0) {
            words.add(word.toString());
        }
        return words;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.charAt(0) == '\'' || value.charAt(0) == '"') && value.charAt(value.length() - 1) == value.charAt(0)) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }
}
