package org.omerofleet.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.omerofleet.inventory.TestFiles.onlyError;
import static org.omerofleet.inventory.TestFiles.resource;
import static org.omerofleet.inventory.TestFiles.write;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.omerofleet.input.InputError;
import org.omerofleet.input.InvalidInputException;

/**
 * Host patterns as in Ansible's intro_patterns.rst, on {@code patterns/hosts}: webservers (web1, web2),
 * dbservers (db1, db2), staging (web2, db2), ipv6 (2001:db8::10), empty, and omero = webservers + dbservers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostPatternTest {

    private static final String WEB1 = "web1.example.com";
    private static final String WEB2 = "web2.example.com";
    private static final String DB1 = "db1.example.com";
    private static final String DB2 = "db2.example.com";
    private static final String V6 = "2001:db8::10";

    private Inventory inventory;
    private Path baseDir;

    @BeforeAll
    void load() throws Exception {
        Path file = resource("patterns/hosts");
        inventory = new InventoryLoader().load(file);
        baseDir = file.getParent();
    }

    private List<String> select(String pattern) throws InvalidInputException {
        return HostPattern.select(inventory, pattern, baseDir);
    }

    private InputError failure(String pattern) {
        return onlyError(assertThrows(InvalidInputException.class, () -> select(pattern)));
    }

    @Test
    void allAndStarSelectEveryHostInInventoryOrder() throws Exception {
        assertEquals(List.of(WEB1, WEB2, DB1, DB2, V6), select("all"));
        assertEquals(List.of(WEB1, WEB2, DB1, DB2, V6), select("*"));
    }

    @Test
    void hostNameSelectsThatHost() throws Exception {
        assertEquals(List.of(DB1), select(DB1));
    }

    @Test
    void groupNameSelectsItsHostsAndThoseOfItsChildren() throws Exception {
        assertEquals(List.of(WEB1, WEB2), select("webservers"));
        assertEquals(List.of(WEB1, WEB2, DB1, DB2), select("omero"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "webservers:dbservers",
        "webservers,dbservers",
        "' webservers , dbservers '",
        "dbservers:webservers"})
    void unionSelectsBothInInventoryOrder(String pattern) throws Exception {
        assertEquals(List.of(WEB1, WEB2, DB1, DB2), select(pattern));
    }

    @Test
    void intersectionKeepsHostsInBoth() throws Exception {
        assertEquals(List.of(WEB2), select("webservers:&staging"));
    }

    @Test
    void exclusionRemovesHosts() throws Exception {
        assertEquals(List.of(WEB1, DB1, V6), select("all:!staging"));
    }

    @Test
    void exclusionAppliesAfterUnionWhereverItIsWritten() throws Exception {
        assertEquals(List.of(WEB1, DB1), select("!staging:webservers:dbservers"));
    }

    @Test
    void onlyExclusionsStartFromAll() throws Exception {
        assertEquals(List.of(WEB1, DB1, V6), select("!staging"));
    }

    @Test
    void intersectionAndExclusionCombine() throws Exception {
        assertEquals(List.of(WEB1), select("omero:&webservers:!staging"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "web*|web1.example.com web2.example.com",
        "*.example.com|web1.example.com web2.example.com db1.example.com db2.example.com",
        "db?.example.com|db1.example.com db2.example.com",
        "web[!1].example.com|web2.example.com",
        "web[12].example.com|web1.example.com web2.example.com",
        "*servers|web1.example.com web2.example.com db1.example.com db2.example.com"})
    void globMatchesHostAndGroupNames(String pattern, String expected) throws Exception {
        assertEquals(List.of(expected.split(" ")), select(pattern));
    }

    @Test
    void regexAfterTildeMatchesFromTheStart() throws Exception {
        assertEquals(List.of(WEB1, DB1), select("~(web|db)1"));
        assertEquals(List.of(WEB1, WEB2, DB1, DB2), select("~.*example"));
        assertEquals("no host or group matches '~example'", failure("~example").message());
    }

    @Test
    void subscriptsPickFromAGroupInInventoryOrder() throws Exception {
        assertEquals(List.of(WEB1), select("omero[0]"));
        assertEquals(List.of(DB2), select("omero[-1]"));
        assertEquals(List.of(WEB2, DB1), select("omero[1:2]"));
        assertEquals(List.of(DB1, DB2), select("omero[2:]"));
    }

    @Test
    void subscriptOutOfRangeIsAnError() {
        assertEquals("subscript in 'webservers[5]' is out of range: it matches 2 hosts", failure("webservers[5]").message());
    }

    @Test
    void ipv6HostNameIsOneItem() throws Exception {
        assertEquals(List.of(V6), select(V6));
    }

    @Test
    void limitFileGivesOneItemPerLine() throws Exception {
        assertEquals(List.of(WEB1, DB2), select("@retry"));
    }

    @Test
    void limitFileCombinesWithOtherItems(@TempDir Path dir) throws Exception {
        write(dir, "runs/x/retry", "web2.example.com\n!db1.example.com\n");

        assertEquals(List.of(WEB2, DB2), HostPattern.select(inventory, "@runs/x/retry,dbservers", dir));
    }

    @Test
    void unknownItemInALimitFileNamesItsLine(@TempDir Path dir) {
        Path retry = write(dir, "retry", "web1.example.com\n web9.example.com\n");

        InputError error = onlyError(assertThrows(InvalidInputException.class,
                () -> HostPattern.select(inventory, "@retry", dir)));

        assertEquals(retry + ":2:2: no host or group matches 'web9.example.com' (did you mean 'web1.example.com'?)",
                error.format());
    }

    @Test
    void missingLimitFileIsAnError() {
        assertEquals("limit file not found", failure("@no-such-file").message());
    }

    @Test
    void unknownNameIsAnErrorWithAHint() {
        InputError error = failure("webserver");

        assertEquals("no host or group matches 'webserver'", error.message());
        assertEquals(Optional.of("did you mean 'webservers'?"), error.hint());
        assertEquals(inventory.source(), error.where().file());
    }

    @Test
    void unknownExclusionIsAnErrorNotASilentNoOp() {
        InputError error = failure("all:!stagign");

        assertEquals("no host or group matches 'stagign'", error.message());
        assertEquals(Optional.of("did you mean 'staging'?"), error.hint());
    }

    @Test
    void everyUnknownItemIsReported() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> select("nope1,webservers,nope2"));

        assertEquals(2, e.errors().size(), e.getMessage());
    }

    @Test
    void emptyGroupMatchesNoHostsWithoutError() throws Exception {
        assertEquals(List.of(), select("empty"));
    }

    @Test
    void invalidRegexIsAnError() {
        assertEquals("invalid regular expression in '~web['", failure("~web[").message());
    }

    @Test
    void blankPatternIsAnError() {
        assertEquals("empty host pattern", failure("  ").message());
    }
}
