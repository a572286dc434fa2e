package org.omerofleet.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
import org.omerofleet.input.InvalidInputException;

/** Properties of INI host-line values over generated text. */
class IniValuePropertiesTest {

    @Example
    void aSignFollowedByLettersIsAStringNotANumber() throws IOException, InvalidInputException {
        // found by the property below: "-e0" once crashed the number parser
        Path dir = Files.createTempDirectory("ini-example");
        Path file = Files.writeString(dir.resolve("hosts"), "h1 a=\"-e0\" b=-e8& c=-.5 d=-x\n", StandardCharsets.UTF_8);
        var vars = new InventoryLoader().load(file).hosts().get("h1").vars();
        assertEquals("-e0", vars.get("a"));
        assertEquals("-e8&", vars.get("b"));
        assertEquals(-0.5, vars.get("c"));
        assertEquals("-x", vars.get("d"));
    }

    @Property(tries = 200)
    void doubleQuotedValueReadsBackExactly(
            @ForAll @StringLength(max = 40) @CharRange(from = 'a', to = 'z') @CharRange(from = '0', to = '9')
            @Chars({' ', '#', ';', '=', '.', '-', '\\', '$', '`', '*', '~', '|', '&', '\t'}) String value)
            throws IOException, InvalidInputException {
        String escaped = value.replace("\\", "\\\\");
        Path dir = Files.createTempDirectory("ini-property");
        try {
            Path file = Files.writeString(dir.resolve("hosts"), "h1 note=\"" + escaped + "\" # trailing comment\n",
                    StandardCharsets.UTF_8);

            Object read = new InventoryLoader().load(file).hosts().get("h1").vars().get("note");

            assertEquals(value, read);
        } finally {
            Files.deleteIfExists(dir.resolve("hosts"));
            Files.delete(dir);
        }
    }

    @Property(tries = 500)
    void anyTextIsEitherALiteralOrLeftAsItIs(@ForAll @StringLength(max = 60) String text) {
        // must not throw (stack overflow, index errors) on arbitrary input
        Object marker = new Object();
        Object value = PythonLiteral.valueOr(text, marker);

        if (text.isBlank()) {
            assertEquals(marker, value);
        }
    }
}
