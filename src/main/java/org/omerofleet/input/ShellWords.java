package org.omerofleet.input;

import java.util.ArrayList;
import java.util.List;

/**
 * Split a line into words the way Python's {@code shlex.split} does in POSIX mode, without expanding
 * anything: the one tokenizer for a {@code command} module's free-form string, an INI inventory's host
 * line and {@code -e key=value} pairs. Quotes group; in {@link Syntax#SHLEX} a backslash outside quotes
 * escapes any character, inside double quotes only {@code "} and {@code \}, inside single quotes nothing.
 * Each word keeps the source column of every character, so that errors can point at them.
 */
public final class ShellWords {

    private ShellWords() {
    }

    /**
     * Which shell rules apply.
     *
     * @param comments an unquoted {@code #} ends the line ({@code shlex.split(s, comments=True)})
     * @param escapes  backslashes escape as in {@code shlex}; without, they are ordinary characters
     */
    public record Syntax(boolean comments, boolean escapes) {
        /** {@code shlex.split(s)}: Ansible's {@code command} module. */
        public static final Syntax SHLEX = new Syntax(false, true);
        /** {@code shlex.split(s, comments=True)}: an INI inventory's host line. */
        public static final Syntax SHLEX_COMMENTS = new Syntax(true, true);
        /** Quotes group and nothing else is special: {@code -e key=value} pairs. */
        public static final Syntax QUOTES_ONLY = new Syntax(false, false);
    }

    /**
     * One word.
     *
     * @param text        the word, quotes and escapes removed
     * @param column      the source column (1-based) where the word starts
     * @param columns     the source column of each character of {@code text}
     * @param quoteStarts the indexes in {@code text} where quoted runs start
     */
    public record Word(String text, int column, int[] columns, List<Integer> quoteStarts) {

        public Word {
            columns = columns.clone();
            quoteStarts = List.copyOf(quoteStarts);
        }

        /** {@return the source column of {@code text}'s character at {@code index}, or just past the word} */
        public int columnOf(int index) {
            if (index < columns.length) {
                return columns[index];
            }
            return columns.length == 0 ? column : columns[columns.length - 1] + 1;
        }

        /** {@return whether a quoted run starts after {@code index}} */
        public boolean quotedAfter(int index) {
            return quoteStarts.stream().anyMatch(start -> start > index);
        }
    }

    /** Thrown when a quote is never closed, or a backslash ends the line. */
    public static final class UnclosedQuote extends Exception {
        private static final long serialVersionUID = 1L;

        private final int column;

        UnclosedQuote(String message, int column) {
            super(message, null, false, false);
            this.column = column;
        }

        /** {@return the source column (1-based) of the unclosed quote or the lone backslash} */
        public int column() {
            return column;
        }
    }

    /** {@return the words of {@code line}, text only} */
    public static List<String> texts(String line, Syntax syntax) throws UnclosedQuote {
        return split(line, syntax).stream().map(Word::text).toList();
    }

    /** {@return the words of {@code line}} */
    public static List<Word> split(String line, Syntax syntax) throws UnclosedQuote {
        List<Word> words = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            while (i < n && isSpace(line.charAt(i))) {
                i++;
            }
            if (i >= n || syntax.comments() && line.charAt(i) == '#') {
                return words;
            }
            int start = i;
            StringBuilder text = new StringBuilder();
            List<Integer> columns = new ArrayList<>();
            List<Integer> quoteStarts = new ArrayList<>();
            boolean comment = false;
            while (i < n && !isSpace(line.charAt(i))) {
                char c = line.charAt(i);
                if (syntax.comments() && c == '#') {
                    comment = true;
                    break;
                }
                if (c == '\'' || c == '"') {
                    int open = i++;
                    quoteStarts.add(text.length());
                    while (i < n && line.charAt(i) != c) {
                        if (syntax.escapes() && c == '"' && line.charAt(i) == '\\' && i + 1 < n
                                && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                            i++;
                        }
                        text.append(line.charAt(i));
                        columns.add(i + 1);
                        i++;
                    }
                    if (i >= n) {
                        throw new UnclosedQuote("no closing quotation for the " + c + " here", open + 1);
                    }
                    i++;
                    continue;
                }
                if (syntax.escapes() && c == '\\') {
                    if (i + 1 >= n) {
                        throw new UnclosedQuote("a backslash at the end of the line escapes nothing", i + 1);
                    }
                    i++;
                }
                text.append(line.charAt(i));
                columns.add(i + 1);
                i++;
            }
            words.add(new Word(text.toString(), start + 1, columns.stream().mapToInt(Integer::intValue).toArray(), quoteStarts));
            if (comment) {
                return words;
            }
        }
    }

    /** Python shlex's whitespace. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }
}
