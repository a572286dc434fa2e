package org.omerofleet.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.omerofleet.input.ShellWords.Syntax;

/** The one tokenizer, against what Python's {@code shlex.split} returns for the same lines (POSIX mode). */
class ShellWordsTest {

    @Test
    void splitsAsShlexDoes() throws Exception {
        // shlex.split('echo "a \\$b \\"q\\"" \'c \\d\' e\\ f ""') == ['echo', 'a \\$b "q"', 'c \\d', 'e f', '']
        assertEquals(List.of("echo", "a \\$b \"q\"", "c \\d", "e f", ""),
                ShellWords.texts("echo \"a \\$b \\\"q\\\"\" 'c \\d' e\\ f \"\"", Syntax.SHLEX));
        // quoted runs join the word around them: shlex.split('--opt="a b"c') == ['--opt=a bc']
        assertEquals(List.of("--opt=a bc"), ShellWords.texts("--opt=\"a b\"c", Syntax.SHLEX));
        assertEquals(List.of("a#b", "#c"), ShellWords.texts("a#b #c", Syntax.SHLEX));
    }

    @Test
    void withCommentsAnUnquotedHashEndsTheLine() throws Exception {
        // shlex.split('h1 a=1#x b=2', comments=True) == ['h1', 'a=1']
        assertEquals(List.of("h1", "a=1"), ShellWords.texts("h1 a=1#x b=2", Syntax.SHLEX_COMMENTS));
        assertEquals(List.of("h1", "a=#1"), ShellWords.texts("h1 a='#1' # note", Syntax.SHLEX_COMMENTS));
    }

    @Test
    void quotesOnlyKeepsBackslashes() throws Exception {
        assertEquals(List.of("path=C:\\dir", "msg=a b"), ShellWords.texts("path=C:\\dir msg='a b'", Syntax.QUOTES_ONLY));
    }

    @Test
    void wordsKnowTheColumnsTheyCameFrom() throws Exception {
        ShellWords.Word word = ShellWords.split("  host v='x y'", Syntax.SHLEX).get(1);
        assertEquals("v=x y", word.text());
        assertEquals(8, word.column());
        assertEquals(11, word.columnOf(2));
        assertEquals(List.of(2), word.quoteStarts());
    }

    @Test
    void anUnclosedQuoteOrATrailingBackslashIsRefusedWithItsColumn() {
        ShellWords.UnclosedQuote quote = assertThrows(ShellWords.UnclosedQuote.class, () -> ShellWords.split("a 'b c", Syntax.SHLEX));
        assertEquals(3, quote.column());
        assertEquals("no closing quotation for the ' here", quote.getMessage());
        ShellWords.UnclosedQuote backslash = assertThrows(ShellWords.UnclosedQuote.class, () -> ShellWords.split("a b\\", Syntax.SHLEX));
        assertEquals(4, backslash.column());
    }
}
