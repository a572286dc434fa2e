package org.omerofleet.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.omerofleet.input.InputError;
import org.omerofleet.input.InputFiles;
import org.omerofleet.input.InvalidInputException;
import org.omerofleet.input.SourcePosition;

/** Safe, positioned YAML reading (reliability.md IN-01, IN-02). */
class YamlReaderTest {

    private static final Path FILE = Path.of("inventory.yml");

    private static InputError onlyError(String yaml) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> YamlReader.parse(FILE, yaml));
        assertEquals(1, e.errors().size(), e.getMessage());
        return e.errors().get(0);
    }

    private static YamlNode.Scalar scalar(String yaml) throws InvalidInputException {
        YamlNode.Mapping root = (YamlNode.Mapping) YamlReader.parse(FILE, yaml);
        return (YamlNode.Scalar) root.get("v").orElseThrow();
    }

    @Test
    void IN01_javaTagIsRejectedNotObeyed() {
        InputError error = onlyError("all:\n  vars:\n    x: !!java.net.URL [\"http://example.org\"]\n");

        assertEquals(FILE + ":3:8: tag 'tag:yaml.org,2002:java.net.URL' is not allowed "
                + "(only plain YAML types are accepted; remove the tag)", error.format());
    }

    @Test
    void IN01_globalTagOnAKeyIsRejected() {
        assertEquals("tag 'tag:yaml.org,2002:java.lang.Object' is not allowed",
                onlyError("!!java.lang.Object x: 1\n").message());
    }

    @Test
    void IN01_localTagIsRejected() {
        assertEquals("tag '!unsafe_thing' is not allowed", onlyError("password: !unsafe_thing |\n  x\n").message());
    }

    @Test
    void IN01_billionLaughsIsStoppedByTheAliasLimit() {
        StringBuilder yaml = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'i'; c++) {
            char prev = (char) (c - 1);
            yaml.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 9; i++) {
                yaml.append(i == 0 ? "" : ",").append('*').append(prev);
            }
            yaml.append("]\n");
        }

        InputError error = onlyError(yaml.toString());

        assertTrue(error.message().contains("aliases"), error.message());
    }

    @Test
    void IN01_aliasExpansionOverTheBudgetIsRejected() {
        // 7 levels of 7 aliases: 49 aliases, under SnakeYAML's 50, but 7^7 nodes once expanded
        StringBuilder yaml = new StringBuilder("a: &a [1,2,3,4,5,6,7]\n");
        for (char c = 'b'; c <= 'h'; c++) {
            char prev = (char) (c - 1);
            yaml.append(c).append(": &").append(c).append(" [*").append(prev);
            yaml.append(",*").append(prev).append(",*").append(prev).append(",*").append(prev);
            yaml.append(",*").append(prev).append(",*").append(prev).append(",*").append(prev).append("]\n");
        }

        InputError error = onlyError(yaml.toString());

        assertEquals("aliases expand to more than " + YamlReader.MAX_ALIAS_EXPANSION + " nodes (alias bomb?)",
                error.message());
    }

    @Test
    void IN01_recursiveAliasIsRejected() {
        assertEquals("recursive alias: a node contains itself", onlyError("a: &a [1, *a]\n").message());
    }

    @Test
    void IN01_duplicateKeyIsRejectedWithBothLines() {
        InputError error = onlyError("all:\n  hosts:\n    h1:\n  vars: {}\n  hosts:\n    h2:\n");

        assertEquals(FILE + ":5:3: duplicate key 'hosts' (first defined at line 2, column 3)", error.format());
    }

    @Test
    void IN01_fileOverTheSizeLimitIsRejectedBeforeReading(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.yml");
        try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
            file.setLength(InputFiles.MAX_BYTES + 1L);
        }

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> YamlReader.read(big));

        assertEquals(big + ":1:1: file is " + (InputFiles.MAX_BYTES + 1L) + " bytes, over the limit of "
                + InputFiles.MAX_BYTES, e.getMessage());
    }

    @Test
    void IN01_syntaxErrorNamesLineAndColumn() {
        InputError error = onlyError("all:\n  hosts:\n    h1: [a, b\n    h2:\n");

        assertTrue(error.message().startsWith("YAML syntax error: "), error.message());
        assertEquals(4, error.where().line(), error.format());
        assertEquals(7, error.where().column(), error.format());
    }

    @Test
    void IN01_mergeKeyIsRejected() {
        assertEquals("merge keys ('<<') are not supported",
                onlyError("base: &b {x: 1}\nh1:\n  <<: *b\n").message());
    }

    @Test
    void largeDocumentWithoutAliasesIsAccepted() throws Exception {
        StringBuilder yaml = new StringBuilder("all:\n  hosts:\n");
        for (int i = 0; i < 3000; i++) {
            yaml.append("    omero").append(i).append(":\n      ansible_host: 10.0.").append(i / 250).append('.')
                    .append(i % 250).append("\n      omero_version: '5.6.").append(i % 10).append("'\n");
        }

        YamlNode root = YamlReader.parse(FILE, yaml.toString());

        @SuppressWarnings("unchecked")
        Map<String, Object> all = (Map<String, Object>) ((Map<String, Object>) root.toValue()).get("all");
        assertEquals(3000, ((Map<?, ?>) all.get("hosts")).size());
    }

    @Test
    void reusedAnchorWithinTheBudgetIsExpanded() throws Exception {
        YamlNode root = YamlReader.parse(FILE, "common: &c {user: omero}\nh1: *c\nh2: *c\n");

        assertEquals(Map.of("common", Map.of("user", "omero"), "h1", Map.of("user", "omero"),
                "h2", Map.of("user", "omero")), root.toValue());
    }

    @Test
    void emptyDocumentIsAnEmptyMapping() throws Exception {
        YamlNode root = YamlReader.parse(FILE, "# only a comment\n");

        assertInstanceOf(YamlNode.Mapping.class, root);
        assertEquals(Map.of(), root.toValue());
    }

    @Test
    void nodesKnowTheirPositions() throws Exception {
        YamlNode.Mapping root = (YamlNode.Mapping) YamlReader.parse(FILE, "a:\n  b: [1, two]\n");
        YamlNode.Mapping a = (YamlNode.Mapping) root.get("a").orElseThrow();
        YamlNode.Sequence b = (YamlNode.Sequence) a.get("b").orElseThrow();

        assertEquals(new SourcePosition(FILE, 2, 3), a.keyPosition("b"));
        assertEquals(new SourcePosition(FILE, 2, 10), b.items().get(1).position());
        assertEquals(List.of(1L, "two"), b.toValue());
    }

    @Test
    void IN02_versionWrittenAsANumberIsAFloatWithItsText() throws Exception {
        YamlNode.Scalar version = scalar("v: 5.10\n");

        assertEquals(YamlNode.Scalar.Type.FLOAT, version.type());
        assertEquals("5.10", version.text());
        assertEquals(5.1, version.toValue());
    }

    @Test
    void IN02_portWithALeadingZeroIsOctalWithItsText() throws Exception {
        YamlNode.Scalar port = scalar("v: 022\n");

        assertEquals(YamlNode.Scalar.Type.INTEGER, port.type());
        assertEquals("022", port.text());
        assertEquals(18L, port.toValue());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "no|false", "off|false", "Yes|true", "ON|true",
        "0b101|5", "-012|-10", "+12|12", "0x1F|31", "1_000|1000", "1:30|90", "-1:30|-90"})
    void IN02_yaml11ScalarsReadAsPyYamlReadsThem(String text, String expected) throws Exception {
        assertEquals(expected, String.valueOf(scalar("v: " + text + "\n").toValue()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {".inf|Infinity", "-.inf|-Infinity", ".NaN|NaN", "1_000.5|1000.5", "1e3|1000.0"})
    void yamlFloatsIncludingInfinityAndNan(String text, String expected) throws Exception {
        assertEquals(expected, String.valueOf(scalar("v: " + text + "\n").toValue()));
    }

    @Test
    void quotedScalarsStayStrings() throws Exception {
        assertEquals("5.10", scalar("v: '5.10'\n").toValue());
        assertEquals("no", scalar("v: \"no\"\n").toValue());
    }

    @Test
    void readingAFileNamesItInPositions(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("x.yml");
        Files.writeString(file, "a: [\n");

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> YamlReader.read(file));

        assertEquals(file, e.errors().get(0).where().file());
    }
}
