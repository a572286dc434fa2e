package org.omerofleet.playbook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Split Ansible's legacy {@code k=v} module argument strings ({@code shell: make chdir=/src},
 * {@code file: path={{ dir }}/x state=absent}) the way Ansible's parser does: words are separated by
 * whitespace except inside quotes and inside Jinja {@code {{ }}}, {@code {% %}} and {@code {# #}}, so a
 * template with spaces stays one word; a word is a pair when it has an {@code =} after its first
 * character that no backslash escapes, and the value loses one pair of surrounding quotes.
 */
final class KeyValue {

    /** The key under which the words that are not pairs come back, joined. */
    static final String REST = "\u0000rest";

    private KeyValue() {
    }

    /**
     * {@return the pairs of {@code text}, plus {@link #REST}: the other words in their original text}
     * For a free-form module ({@code command}, {@code shell}) only a pair whose key is one of
     * {@code freeFormKeys} is an argument: {@code echo a=b} keeps {@code a=b} in its command, as Ansible
     * does. Quotes inside a word are kept in the rest, so a free-form command keeps its own quoting.
     *
     * @throws IllegalArgumentException when a quote or a Jinja block is not closed
     */
    static Map<String, Object> pairs(String text, boolean freeForm, Set<String> freeFormKeys) {
        Map<String, Object> pairs = new LinkedHashMap<>();
        StringBuilder rest = new StringBuilder();
        List<Boolean> lineEnds = new ArrayList<>();
        List<String> words = split(text, lineEnds);
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            int eq = separator(word);
            String key = eq > 0 ? word.substring(0, eq).replace("\\=", "=").strip() : "";
            if (eq > 0 && (!freeForm || freeFormKeys.contains(key))) {
                pairs.put(key, unquote(word.substring(eq + 1).strip()));
            } else {
                // as in Ansible, a free-form command keeps its line breaks: a multi-line shell script stays one
                rest.append(rest.length() == 0 ? "" : i > 0 && lineEnds.get(i - 1) ? "\n" : " ");
                rest.append(eq < 0 ? word.replace("\\=", "=") : word);
            }
        }
        pairs.put(REST, rest.toString());
        return pairs;
    }

    /** {@return the index of the first {@code =} after index 0 not preceded by a backslash, or -1} */
    private static int separator(String word) {
        for (int i = 1; i < word.length(); i++) {
            if (word.charAt(i) == '=' && word.charAt(i - 1) != '\\') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Split on whitespace outside quotes and Jinja blocks. A quote escaped by a backslash neither opens
     * nor closes; Jinja delimiters count inside quotes too, as in Ansible, so {@code "{{ a }}"} balances.
     */
    static List<String> words(String text) {
        return split(text, new ArrayList<>());
    }

    /** {@link #words}, noting in {@code lineEnds}, for each word, whether a line break follows it */
    private static List<String> split(String text, List<Boolean> lineEnds) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        int print = 0;
        int statement = 0;
        int comment = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
            boolean escaped = i > 0 && text.charAt(i - 1) == '\\';
            if ((c == '\'' || c == '"') && !escaped) {
                if (quote == 0) {
                    quote = c;
                } else if (quote == c) {
                    quote = 0;
                }
            } else if (c == '{' && (next == '{' || next == '%' || next == '#')) {
                word.append(c).append(next);
                i++;
                if (next == '{') {
                    print++;
                } else if (next == '%') {
                    statement++;
                } else {
                    comment++;
                }
                continue;
            } else if ((c == '}' || c == '%' || c == '#') && next == '}') {
                int closed = c == '}' ? print : c == '%' ? statement : comment;
                if (closed > 0) {
                    word.append(c).append(next);
                    i++;
                    if (c == '}') {
                        print--;
                    } else if (c == '%') {
                        statement--;
                    } else {
                        comment--;
                    }
                    continue;
                }
            }
            boolean inside = quote != 0 || print > 0 || statement > 0 || comment > 0;
            if (Character.isWhitespace(c) && !inside) {
                if (word.length() > 0) {
                    words.add(word.toString());
                    lineEnds.add(false);
                    word.setLength(0);
                }
                if (c == '\n' && !lineEnds.isEmpty()) {
                    lineEnds.set(lineEnds.size() - 1, true);
                }
            } else {
                word.append(c);
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("the quote " + quote + " is not closed");
        }
        if (print > 0 || statement > 0 || comment > 0) {
            throw new IllegalArgumentException("a Jinja block ('{{', '{%' or '{#') is not closed");
        }
        if (word.length() > 0) {
            words.add(word.toString());
            lineEnds.add(false);
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
