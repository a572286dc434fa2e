package org.omerofleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.omerofleet.input.InvalidInputException;

class ExtraVarsTest {

    @Test
    void keyValuePairsStayStrings() throws Exception {
        assertEquals(Map.of("omero_target", "4.4.1", "note", "two words"),
                ExtraVars.parse(List.of("omero_target=4.4.1 note='two words'")));
    }

    @Test
    void inlineMappingKeepsTypes() throws Exception {
        assertEquals(Map.of("forks", 3L, "release", "5.10"), ExtraVars.parse(List.of("{\"forks\": 3, \"release\": \"5.10\"}")));
    }

    @Test
    void laterValuesWin() throws Exception {
        assertEquals(Map.of("a", "2"), ExtraVars.parse(List.of("a=1", "a=2")));
    }

    @Test
    void aWordWithoutEqualsIsInvalidInput() {
        assertThrows(InvalidInputException.class, () -> ExtraVars.parse(List.of("oops")));
    }

    @Test
    void serialAcceptsNumbersAndPercentages() {
        assertEquals(List.of(1, "25%"), OmeroCommands.parseSerial("1,25%"));
        assertThrows(IllegalArgumentException.class, () -> OmeroCommands.parseSerial("0"));
        assertThrows(IllegalArgumentException.class, () -> OmeroCommands.parseSerial("150%"));
    }
}
