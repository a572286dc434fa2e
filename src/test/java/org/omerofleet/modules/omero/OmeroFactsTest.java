package org.omerofleet.modules.omero;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The Java version fact, from the line of {@code java -version} that names it. */
class OmeroFactsTest {

    @Test
    void javaVersionIsTheQuotedVersionOfJavaDashVersion() {
        assertEquals("17.0.15", OmeroFacts.javaVersion("openjdk version \"17.0.15\" 2025-04-15"));
        assertEquals("1.8.0_392", OmeroFacts.javaVersion("java version \"1.8.0_392\""));
        assertEquals("21-ea", OmeroFacts.javaVersion("openjdk version \"21-ea\" 2023-09-19"));
    }

    @Test
    void javaVersionIsUnknownOnAHostWithoutJava() {
        // the host sends an empty line when no line of java -version's output names a version (no java on its PATH)
        assertEquals("unknown", OmeroFacts.javaVersion(""));
    }
}
