package org.omerofleet.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
import org.omerofleet.yaml.InvalidInputException;

/** Properties of INI host-line values over generated text. */
class IniValuePropertiesTest {

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
