package org.omerofleet.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.omerofleet.inventory.TestFiles.onlyError;
import static org.omerofleet.inventory.TestFiles.write;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.omerofleet.input.InputError;
import org.omerofleet.input.InvalidInputException;

/** Invalid inventories (reliability.md IN-02, IN-03): every error names file, line and column. */
class InventoryValidationTest {

    private final InventoryLoader loader = new InventoryLoader();

    @TempDir
    Path dir;

    private InputError error(String name, String content) {
        Path file = write(dir, name, content);
        return onlyError(assertThrows(InvalidInputException.class, () -> loader.load(file)));
    }

    private InvalidInputException errors(String name, String content) {
        Path file = write(dir, name, content);
        return assertThrows(InvalidInputException.class, () -> loader.load(file));
    }

    private static void assertAt(InputError error, int line, int column) {
        assertEquals(line + ":" + column, error.where().line() + ":" + error.where().column(), error.format());
    }

    @Test
    void IN02_portWithLeadingZeroIsRejectedWithHint() {
        InputError error = error("hosts.yml", "all:\n  hosts:\n    omero1:\n      ansible_port: 022\n");

        assertAt(error, 4, 21);
        assertEquals("ansible_port 022 has a leading zero, so YAML reads it as the octal number 18", error.message());
        assertEquals(Optional.of("write 22 without the leading zero"), error.hint());
    }

    @Test
    void IN02_portWithLeadingZeroInIniIsRejected() {
        InputError error = error("hosts", "[omero]\nomero1 ansible_port=022\n");

        assertAt(error, 2, 21);
        assertEquals("ansible_port 022 has a leading zero", error.message());
    }

    @Test
    void IN02_hostColonPortWithLeadingZeroIsRejected() {
        InputError error = error("hosts", "omero1:022\n");

        assertAt(error, 1, 8);
        assertEquals(Optional.of("write 22 without the leading zero"), error.hint());
    }

    @Test
    void IN02_floatPortIsRejectedWithPosition() {
        InputError error = error("hosts.yml", "all:\n  vars:\n    ansible_port: 22.0\n  hosts:\n    h1:\n");

        assertAt(error, 3, 19);
        assertEquals("ansible_port must be a whole number, not 22.0", error.message());
        assertEquals(Optional.of("write 22"), error.hint());
    }

    @Test
    void IN02_floatVersionIsRejectedWithQuoteHint() {
        InputError error = error("hosts.yml", "all:\n  vars:\n    omero_version: 5.10\n  hosts:\n    h1:\n");

        assertAt(error, 3, 20);
        assertEquals("variable 'omero_version' is the number 5.1, not a version", error.message());
        assertEquals(Optional.of("write '5.10' in quotes: YAML reads it as the number 5.1"), error.hint());
    }

    @Test
    void IN02_floatReleaseInGroupVarsFileIsRejectedThere() {
        Path file = write(dir, "hosts", "web1\n");
        write(dir, "group_vars/all.yml", "# release to install\npostgresql_release: 9.10\n");

        InputError error = onlyError(assertThrows(InvalidInputException.class, () -> loader.load(file)));

        assertEquals(dir.resolve("group_vars/all.yml"), error.where().file());
        assertAt(error, 2, 21);
    }

    @Test
    void IN02_unquotedFloatVersionInIniIsRejected() {
        InputError error = error("hosts", "[omero]\nomero1 omero_version=5.10\n");

        assertAt(error, 2, 22);
        assertEquals(Optional.of("write \"5.10\" in quotes: INI reads it as the number 5.1"), error.hint());
    }

    @Test
    void IN02_quotedVersionsAreStrings() throws Exception {
        Path yaml = write(dir, "hosts.yml", "all:\n  hosts:\n    h1:\n      omero_version: '5.10'\n");
        Path ini = write(dir, "hosts", "h1 omero_version=\"5.10\"\n[all:vars]\nomero_release=\"5.6\"\n");

        assertEquals("5.10", loader.load(yaml).hosts().get("h1").vars().get("omero_version"));
        assertEquals(Map.of("omero_version", "5.10", "omero_release", "5.6"), loader.load(ini).hosts().get("h1").vars());
    }

    @Test
    void IN02_portAsStringOfDigitsIsAccepted() throws Exception {
        Path file = write(dir, "hosts.yml", "all:\n  hosts:\n    h1:\n      ansible_port: '2222'\n");

        assertEquals(2222, loader.load(file).hosts().get("h1").vars().get("ansible_port"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "65536", "ssh", "yes", "[22]", "0x16", "''"})
    void IN02_portThatIsNoPortNumberIsRejected(String port) {
        InputError error = error("hosts.yml", "all:\n  hosts:\n    h1:\n      ansible_port: " + port + "\n");

        assertAt(error, 4, 21);
        assertTrue(error.message().startsWith("ansible_port "), error.message());
    }

    @Test
    void IN03_emptyYamlInventoryIsRejected() {
        InputError error = error("hosts.yml", "");

        assertEquals("the inventory has no hosts", error.message());
        assertAt(error, 1, 1);
    }

    @Test
    void IN03_iniInventoryWithOnlyGroupsIsRejected() {
        assertEquals("the inventory has no hosts", error("hosts", "# nothing\n[web]\n[db:children]\nweb\n").message());
    }

    @Test
    void IN03_hostStartingWithDashIsRejectedInIni() {
        InputError error = error("hosts", "[omero]\n  -oProxyCommand=x\n");

        assertAt(error, 2, 3);
        assertEquals("host name '-oProxyCommand=x' starts with '-'", error.message());
    }

    @Test
    void IN03_hostStartingWithDashIsRejectedInYaml() {
        InputError error = error("hosts.yml", "all:\n  hosts:\n    ok1:\n    -oProxyCommand=x:\n");

        assertAt(error, 4, 5);
        assertTrue(error.hint().orElseThrow().contains("option"), error.format());
    }

    @Test
    void IN03_hostNameWithSpacesIsRejected() {
        InputError error = error("hosts.yml", "all:\n  hosts:\n    \"web 01\":\n");

        assertAt(error, 3, 5);
        assertEquals("host name 'web 01' contains whitespace", error.message());
    }

    @Test
    void IN03_quotedIniHostNameWithSpacesIsRejected() {
        assertEquals("host name 'web 01' contains whitespace", error("hosts", "\"web 01\"\n").message());
    }

    @Test
    void IN03_unquotedSecondWordOnAnIniHostLineIsRejected() {
        InputError error = error("hosts", "web 01\n");

        assertAt(error, 1, 5);
        assertEquals("expected key=value after the host name, got '01'", error.message());
    }

    @Test
    void IN03_hostNameWithShellCharactersIsRejected() {
        InputError error = error("hosts", "web$(id)\n");

        assertEquals("host name 'web$(id)' contains '$'", error.message());
    }

    @Test
    void IN03_hostNameWithAPortThatIsNotANumberIsRejected() {
        InputError error = error("hosts", "web:ssh\n");

        assertEquals("host name 'web:ssh' contains ':' but is not an IPv6 address", error.message());
    }

    @Test
    void IN03_bracketedHostWithPortIsOneHostOnThatPort() throws Exception {
        Path file = write(dir, "hosts", "[h]:2222\n[2001:db8::1]:2200\n");

        Inventory inventory = loader.load(file);

        assertEquals(List.of("h", "2001:db8::1"), List.copyOf(inventory.hosts().keySet()));
        assertEquals(2222, inventory.hosts().get("h").vars().get("ansible_port"));
        assertEquals(2200, inventory.hosts().get("2001:db8::1").vars().get("ansible_port"));
    }

    @Test
    void IN03_ipv6AndInternationalHostNamesAreAccepted() throws Exception {
        Path file = write(dir, "hosts", "2001:db8::10\nfe80::1%eth0\nbücher.example\n");

        assertEquals(List.of("2001:db8::10", "fe80::1%eth0", "bücher.example"),
                List.copyOf(loader.load(file).hosts().keySet()));
    }

    @Test
    void IN03_dotDotIsNotAHostName() {
        assertEquals("'..' is not a host name", error("hosts", "..\n").message());
    }

    @Test
    void ansibleHostStartingWithDashIsRejected() {
        InputError error = error("hosts", "h1 ansible_host=-oProxyCommand=x\n");

        assertAt(error, 1, 17);
        assertEquals("ansible_host '-oProxyCommand=x' starts with '-'", error.message());
    }

    @Test
    void ansibleHostWithWhitespaceIsRejected() {
        InputError error = error("hosts.yml", "all:\n  hosts:\n    h1:\n      ansible_host: \"a b\"\n");

        assertEquals("ansible_host 'a b' contains whitespace", error.message());
    }

    @Test
    void ansibleUserStartingWithDashIsRejected() {
        assertEquals("ansible_user '-l' starts with '-'", error("hosts", "h1 ansible_user=-l\n").message());
    }

    @Test
    void hostAndGroupWithTheSameNameAreRejected() {
        InputError error = error("hosts", "[omero]\nomero\n");

        assertAt(error, 2, 1);
        assertTrue(error.message().startsWith("'omero' is both a host and a group"), error.message());
    }

    @Test
    void cycleInYamlChildrenIsRejected() {
        InputError error = error("hosts.yml", "a:\n  hosts: {h1: }\n  children:\n    b:\n      children:\n        a:\n");

        assertAt(error, 6, 9);
        assertEquals("group 'a' is its own ancestor: a -> b -> a", error.message());
    }

    @Test
    void cycleInIniChildrenIsRejected() {
        InputError error = error("hosts", "h1\n[a:children]\nb\n[b:children]\nc\n[c:children]\na\n");

        assertEquals("group 'a' is its own ancestor: a -> b -> c -> a", error.message());
        assertAt(error, 7, 1);
    }

    @Test
    void allAsAChildIsACycle() {
        InputError error = error("hosts.yml", "web:\n  hosts: {h1: }\n  children:\n    all:\n");

        assertTrue(error.message().contains("is its own ancestor"), error.message());
    }

    @Test
    void unknownKeyInYamlGroupSuggestsTheSection() {
        InputError error = error("hosts.yml", "all:\n  host:\n    h1:\n");

        assertAt(error, 2, 3);
        assertEquals("unknown key 'host' in group 'all'", error.message());
        assertEquals(Optional.of("did you mean 'hosts'?"), error.hint());
    }

    @Test
    void hostWrittenDirectlyUnderAYamlGroupIsRejected() {
        InputError error = error("hosts.yml", "webservers:\n  foo.example.com:\n");

        assertTrue(error.hint().orElseThrow().startsWith("a group holds only 'hosts', 'vars' and 'children'"),
                error.format());
    }

    @Test
    void unknownIniSectionTypeSuggestsTheRightOne() {
        InputError error = error("hosts", "h1\n[web:child]\n");

        assertAt(error, 2, 6);
        assertEquals(Optional.of("did you mean 'children'?"), error.hint());
    }

    @Test
    void unclosedQuoteOnAnIniHostLineNamesTheQuote() {
        InputError error = error("hosts", "h1 a=1 b=\"oops\n");

        assertAt(error, 1, 10);
        assertTrue(error.message().startsWith("no closing quotation"), error.message());
    }

    @Test
    void invalidVariableNameIsRejected() {
        InputError error = error("hosts.yml", "all:\n  hosts: {h1: }\n  vars:\n    omero version: 5\n");

        assertAt(error, 4, 5);
        assertEquals("'omero version' is not a valid variable name", error.message());
    }

    @Test
    void groupPriorityInGroupVarsIsRejected() {
        Path file = write(dir, "hosts", "[web]\nw1\n");
        write(dir, "group_vars/web.yml", "ansible_group_priority: 5\n");

        InputError error = onlyError(assertThrows(InvalidInputException.class, () -> loader.load(file)));

        assertEquals("ansible_group_priority has no effect in group_vars", error.message());
    }

    @Test
    void groupVarsFileAndDirectoryForTheSameGroupAreRejected() {
        Path file = write(dir, "hosts", "[web]\nw1\n");
        write(dir, "group_vars/web/main.yml", "a: 1\n");
        write(dir, "group_vars/web.yml", "a: 2\n");

        InputError error = onlyError(assertThrows(InvalidInputException.class, () -> loader.load(file)));

        assertEquals(dir.resolve("group_vars/web.yml"), error.where().file());
        assertTrue(error.message().endsWith("exist; Ansible would read only the first"), error.message());
    }

    @Test
    void varsFileThatIsNotAMappingIsRejected() {
        Path file = write(dir, "hosts", "w1\n");
        write(dir, "host_vars/w1.yml", "- a\n- b\n");

        InputError error = onlyError(assertThrows(InvalidInputException.class, () -> loader.load(file)));

        assertEquals("a vars file must be a mapping of variable names to values, got a list", error.message());
    }

    @Test
    void vaultEncryptedVarsFileWithoutAPasswordIsRejectedWithAReason() {
        Path file = write(dir, "hosts", "w1\n");
        write(dir, "host_vars/w1.yml", "$ANSIBLE_VAULT;1.1;AES256\n6231343439\n");

        assertEquals("encrypted with Ansible Vault, but no vault password was given",
                onlyError(assertThrows(InvalidInputException.class, () -> loader.load(file))).message());
    }

    @Test
    void yamlSyntaxErrorInTheInventoryNamesLineAndColumn() {
        InputError error = error("hosts.yml", "all:\n  hosts:\n    h1: [unclosed\n");

        assertEquals(dir.resolve("hosts.yml"), error.where().file());
        assertTrue(error.message().startsWith("YAML syntax error"), error.message());
        assertTrue(error.where().line() >= 3, error.format());
    }

    @Test
    void allErrorsOfAFileAreReportedTogetherInFileOrder() {
        InvalidInputException e = errors("hosts", "-bad\nok ansible_port=0\n[web:nope]\nw1 omero_version=5.10\n");

        assertEquals(List.of(1, 2, 3), e.errors().stream().map(x -> x.where().line()).toList());
        assertEquals(3, e.getMessage().lines().count());
    }
}
