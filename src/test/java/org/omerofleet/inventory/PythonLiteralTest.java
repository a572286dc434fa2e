package org.omerofleet.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** INI values read as Python's {@code ast.literal_eval} reads them, as Ansible's INI plugin does. */
class PythonLiteralTest {

    private static final Object NOT_A_LITERAL = new Object();

    private static Object read(String text) {
        return PythonLiteral.valueOr(text, NOT_A_LITERAL);
    }

    @Test
    void numbersBecomeLongsAndDoubles() {
        assertEquals(30L, read("30"));
        assertEquals(-7L, read("-7"));
        assertEquals(1000L, read("1_000"));
        assertEquals(255L, read("0xff"));
        assertEquals(8L, read("0o10"));
        assertEquals(5L, read("0b101"));
        assertEquals(0L, read("00"));
        assertEquals(5.1, read("5.10"));
        assertEquals(0.5, read(".5"));
        assertEquals(1000.0, read("1e3"));
    }

    @Test
    void trueFalseAndNoneAreCapitalisedAsInPython() {
        assertEquals(true, read("True"));
        assertEquals(false, read("False"));
        assertNull(read("None"));
    }

    @Test
    void quotedStringsUnescape() {
        assertEquals("a b", read("'a b'"));
        assertEquals("tab\there", read("\"tab\\there\""));
        assertEquals("é", read("'\\xe9'"));
        assertEquals("raw\\n", read("r'raw\\n'"));
        assertEquals("ab", read("'a' \"b\""));
        assertEquals("it's", read("\"it's\""));
    }

    @Test
    void collectionsNest() {
        assertEquals(List.of(1L, List.of("x", true)), read("[1, ['x', True]]"));
        assertEquals(List.of(1L, 2L), read("(1, 2)"));
        assertEquals(List.of(80L, 443L), read("80, 443"));
        assertEquals(List.of(), read("()"));
        assertEquals(7L, read("(7)"));
        assertEquals(Map.of("a", 1L, "2", List.of()), read("{'a': 1, 2: [],}"));
    }

    @Test
    void trailingCommentIsDroppedAsPythonsTokenizerDoes() {
        assertEquals(8080L, read("8080 # web port"));
        assertEquals(true, read("True# no space"));
    }

    @Test
    void deepNestingIsNotALiteralRatherThanAStackOverflow() {
        assertEquals(NOT_A_LITERAL, read("[".repeat(100_000) + "]".repeat(100_000)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"022", "true", "FALSE", "yes", "foo", "10.0.0.1", "5.6.0", "1j", "'open", "[1, 2",
        "{'a' 1}", "{'a': 1 'b': 2}", "1__0", "--5", "-True", "f'x'", "foo # comment", "", "a=b", "[x]", "0x"})
    void nonLiteralsAreLeftToTheCaller(String text) {
        assertEquals(NOT_A_LITERAL, read(text));
    }
}
