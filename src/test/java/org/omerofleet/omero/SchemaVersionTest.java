package org.omerofleet.omero;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SchemaVersionTest {

    private static final List<String> OMEGO_ORDER = List.of("OMERO3__0", "OMERO3A__10", "OMERO4__0", "OMERO4.4__0",
            "OMERO5.0__0", "OMERO5.1DEV__0", "OMERO5.1DEV__10", "OMERO5.1__0");

    @Test
    void sortsInOmegosDocumentedOrder() {
        List<SchemaVersion> expected = OMEGO_ORDER.stream().map(SchemaVersion::of).toList();
        for (long seed = 0; seed < 20; seed++) {
            List<SchemaVersion> shuffled = new ArrayList<>(expected);
            Collections.shuffle(shuffled, new Random(seed));
            Collections.sort(shuffled);
            assertEquals(expected, shuffled);
        }
    }

    @Test
    void eachDocumentedNeighbourIsStrictlyOlder() {
        for (int i = 1; i < OMEGO_ORDER.size(); i++) {
            SchemaVersion lower = SchemaVersion.of(OMEGO_ORDER.get(i - 1));
            SchemaVersion higher = SchemaVersion.of(OMEGO_ORDER.get(i));
            assertTrue(lower.compareTo(higher) < 0, lower + " < " + higher);
            assertTrue(higher.isNewerThan(lower));
        }
    }

    @Test
    void releaseSortsAfterAnySuffix() {
        assertTrue(SchemaVersion.of("OMERO5.0DEV__6").compareTo(SchemaVersion.of("OMERO5.0__0")) < 0);
        assertTrue(SchemaVersion.of("OMERO5.1ZZZ__99").compareTo(SchemaVersion.of("OMERO5.1__0")) < 0);
    }

    @Test
    void minorComparesAsANumber() {
        assertTrue(SchemaVersion.of("OMERO5.9__0").compareTo(SchemaVersion.of("OMERO5.10__0")) < 0);
        assertTrue(SchemaVersion.of("OMERO4__0").compareTo(SchemaVersion.of("OMERO4.0__0")) < 0);
    }

    @Test
    void leadingZeroMinorIsADistinctValueButSortsNextToItsNumber() {
        SchemaVersion padded = SchemaVersion.of("OMERO5.01__0");
        SchemaVersion plain = SchemaVersion.of("OMERO5.1__0");
        assertNotEquals(plain, padded);
        assertNotEquals(0, padded.compareTo(plain));
        assertTrue(padded.compareTo(SchemaVersion.of("OMERO5.1__1")) < 0);
        assertTrue(padded.compareTo(SchemaVersion.of("OMERO5.0__9")) > 0);
    }

    @Test
    void parsesEveryField() {
        assertEquals(new SchemaVersion(5, ".", "1", "DEV", 10), SchemaVersion.of("OMERO5.1DEV__10"));
        assertEquals(new SchemaVersion(3, "A", "", "", 10), SchemaVersion.of("OMERO3A__10"));
        assertEquals(new SchemaVersion(4, "", "", "", 0), SchemaVersion.of("OMERO4__0"));
    }

    @Test
    void printsTheSchemaName() {
        assertEquals("OMERO4.4__0", SchemaVersion.of("OMERO4.4__0").toString());
        assertEquals("OMERO4.4", SchemaVersion.of("OMERO4.4__0").version());
        assertEquals("OMERO3A__10", new SchemaVersion(3, "A", "", "", 10).toString());
    }

    @Test
    void ignoresAnythingBeforeTheNameAsOmegoDoes() {
        assertEquals(Optional.of(SchemaVersion.of("OMERO5.0__0")), SchemaVersion.parse("sql/psql/OMERO5.0__0"));
    }

    @Test
    void helperScriptNamesAreNotSchemas() {
        for (String name : List.of("OMERO5.3__0-precheck", "schema", "psql-footer", "OMERO4.4-no-shares",
                "2014-SV2-empty-passwords-fix", "OMERO4.4__", "omero4.4__0", "OMERO4.4__0 extra", "")) {
            assertEquals(Optional.empty(), SchemaVersion.parse(name), name);
        }
        assertEquals(Optional.empty(), SchemaVersion.parse(null));
    }

    @Test
    void ofRejectsANonSchemaWithAClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SchemaVersion.of("5.4.0"));
        assertEquals("not an OMERO schema version (expected e.g. OMERO4.4__0): \"5.4.0\"", e.getMessage());
    }

    @Test
    void tooLargeNumbersDoNotParse() {
        assertEquals(Optional.empty(), SchemaVersion.parse("OMERO99999999999__0"));
    }

    @Test
    void constructorRejectsAnUnknownSeparator() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SchemaVersion(4, "-", "4", "", 0));
        assertEquals("schema separator must be \".\", \"A\" or empty, not \"-\"", e.getMessage());
    }

    @Test
    void constructorRejectsAMinorWithoutSeparator() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SchemaVersion(4, "", "4", "", 0));
        assertEquals("schema minor needs a separator: major 4, minor \"4\"", e.getMessage());
    }

    @Test
    void buildsFromADbpatchRow() {
        assertEquals(SchemaVersion.of("OMERO4.4__0"), SchemaVersion.fromDbRow("OMERO4.4", 0));
        assertEquals(SchemaVersion.of("OMERO5.3__1"), SchemaVersion.fromDbRow("OMERO5.3", 1));
        assertThrows(IllegalArgumentException.class, () -> SchemaVersion.fromDbRow("4.4", 0));
    }

    @Test
    void readsOmegosPsqlOutput() {
        assertEquals(Optional.of(SchemaVersion.of("OMERO4.4__0")), SchemaVersion.fromPsqlRow("OMERO4.4|0"));
        assertEquals(Optional.of(SchemaVersion.of("OMERO5.4__0")), SchemaVersion.fromPsqlRow("\nOMERO5.4|0\n\n"));
        assertEquals(Optional.of(SchemaVersion.of("OMERO5.4__0")), SchemaVersion.fromPsqlRow("OMERO5.4|0\r\n"));
    }

    @Test
    void psqlOutputNeedsExactlyOneWellFormedRow() {
        for (String output : List.of("", "\n", "OMERO4.4|0\nOMERO4.3|0", "OMERO4.4", "OMERO4.4|0|x", "OMERO4.4|x",
                "xOMERO4.4|0", "ERROR:  relation \"dbpatch\" does not exist")) {
            assertEquals(Optional.empty(), SchemaVersion.fromPsqlRow(output), output);
        }
    }

    @Property(tries = 300)
    void printedNameParsesBack(@ForAll @IntRange(max = 20) int major, @ForAll @IntRange(max = 2) int sep,
            @ForAll @IntRange(min = -1, max = 20) int minor, @ForAll boolean dev, @ForAll @IntRange(max = 50) int patch) {
        String separator = List.of("", ".", "A").get(sep);
        SchemaVersion v = new SchemaVersion(major, separator, minor < 0 || separator.isEmpty() ? "" : String.valueOf(minor),
                dev ? "DEV" : "", patch);
        assertEquals(v, SchemaVersion.of(v.toString()));
        assertEquals(0, v.compareTo(SchemaVersion.of(v.toString())));
        assertFalse(v.isNewerThan(v));
    }
}
