package org.omerofleet.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.omerofleet.inventory.TestFiles.onlyError;
import static org.omerofleet.inventory.TestFiles.resource;
import static org.omerofleet.inventory.TestFiles.write;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.omerofleet.input.InputError;
import org.omerofleet.input.InvalidInputException;

/**
 * The documentation examples of intro_inventory.rst in both formats, with the groups, memberships and
 * variables {@code ansible-inventory --list} gives for them, and the format features around them.
 */
class InventoryLoaderTest {

    private final InventoryLoader loader = new InventoryLoader();

    @TempDir
    Path dir;

    /** A fleet far larger than any real one loads whole and in order (its speed is `bench inventory`'s business). */
    @Test
    void fiftyThousandHostsLoadWithTheirGroupsAndVariables() throws Exception {
        StringBuilder ini = new StringBuilder("[all:vars]\nomero_user=omero\n");
        for (int g = 0; g < 10; g++) {
            ini.append("[site").append(g).append("]\n");
            for (int i = g; i < 50_000; i += 10) {
                ini.append("omero").append(i).append(".example.org ansible_port=").append(1000 + i % 100).append('\n');
            }
        }
        Inventory inventory = loader.load(write(dir, "fleet.ini", ini.toString()));

        assertEquals(50_000, inventory.hosts().size());
        assertEquals(5_000, inventory.groups().get("site3").hosts().size());
        assertEquals("omero49999.example.org", inventory.groups().get("site9").hosts().get(4_999));
        Host last = inventory.host("omero49999.example.org").orElseThrow();
        assertEquals(List.of("all", "site9"), last.groups());
        assertEquals(Map.of("omero_user", "omero", "ansible_port", 1099), last.vars());
    }

    @ParameterizedTest
    @ValueSource(strings = {"docs/basic.ini", "docs/basic.yml"})
    void basicDocsExampleHasMailUngroupedAndTwoGroups(String fixture) throws Exception {
        Inventory inventory = loader.load(resource(fixture));

        assertEquals(List.of("mail.example.com", "foo.example.com", "bar.example.com", "one.example.com",
                "two.example.com", "three.example.com"), List.copyOf(inventory.hosts().keySet()));
        assertEquals(List.of("all", "ungrouped", "webservers", "dbservers"), List.copyOf(inventory.groups().keySet()));
        assertEquals(List.of("ungrouped", "webservers", "dbservers"), inventory.groups().get("all").children());
        assertEquals(List.of("mail.example.com"), inventory.groups().get("ungrouped").hosts());
        assertEquals(List.of("foo.example.com", "bar.example.com"), inventory.groups().get("webservers").hosts());
        assertEquals(List.of("one.example.com", "two.example.com", "three.example.com"),
                inventory.groups().get("dbservers").hosts());
        assertEquals(List.of("all", "ungrouped"), inventory.hosts().get("mail.example.com").groups());
        assertEquals(List.of("all", "dbservers"), inventory.hosts().get("two.example.com").groups());
        inventory.hosts().values().forEach(h -> assertEquals(Map.of(), h.vars(), h.name()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"docs/southeast.ini", "docs/southeast.yml"})
    void southeastDocsExampleInheritsParentGroupVars(String fixture) throws Exception {
        Inventory inventory = loader.load(resource(fixture));

        assertEquals(List.of("host1", "host2", "host3"), List.copyOf(inventory.hosts().keySet()));
        assertEquals(List.of("ungrouped", "usa"), inventory.groups().get("all").children());
        assertEquals(List.of("atlanta", "raleigh"), inventory.groups().get("southeast").children());
        assertEquals(List.of("host2", "host3"), inventory.groups().get("raleigh").hosts());
        assertEquals(List.of(), inventory.groups().get("ungrouped").hosts());
        assertEquals(List.of(), inventory.groups().get("northeast").hosts());
        assertEquals(List.of("all", "usa", "southeast", "atlanta"), inventory.hosts().get("host1").groups());
        assertEquals(List.of("all", "usa", "southeast", "atlanta", "raleigh"), inventory.hosts().get("host2").groups());
        assertEquals(List.of("all", "usa", "southeast", "raleigh"), inventory.hosts().get("host3").groups());
        Map<String, Object> southeast = Map.of("some_server", "foo.southeast.example.com",
                "halon_system_timeout", 30L, "self_destruct_countdown", 60L, "escape_pods", 2L);
        assertEquals(southeast, inventory.groups().get("southeast").vars());
        inventory.hosts().values().forEach(h -> assertEquals(southeast, h.vars(), h.name()));
    }

    @Test
    void southeastUsaChildrenInYamlKeepsWrittenOrder() throws Exception {
        Inventory inventory = loader.load(resource("docs/southeast.yml"));

        assertEquals(List.of("southeast", "northeast", "northwest", "southwest"),
                inventory.groups().get("usa").children());
    }

    @Test
    void undeclaredChildGroupInIniIsAnErrorAsInAnsible() {
        // the docs' INI example names northeast etc. under [usa:children] without declaring them
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> loader.load(resource("docs/southeast-as-documented.ini")));

        assertEquals(3, e.errors().size(), e.getMessage());
        InputError first = e.errors().get(0);
        assertEquals(21, first.where().line());
        assertEquals(1, first.where().column());
        assertEquals("section [usa:children] includes undefined group 'northeast'", first.message());
        assertEquals("did you mean 'southeast'? Otherwise declare it with a [northeast] section, which may be empty",
                first.hint().orElseThrow());
    }

    @Test
    void childGroupDeclaredAfterItsParentIsAccepted() throws Exception {
        Path file = write(dir, "hosts", "[prod:children]\nweb\n\n[web]\nweb1\n");

        Inventory inventory = loader.load(file);

        assertEquals(List.of("web"), inventory.groups().get("prod").children());
        assertEquals(List.of("all", "prod", "web"), inventory.hosts().get("web1").groups());
    }

    @Test
    void hostNamedUnderChildrenGetsAHintToListItAsAHost() {
        Path file = write(dir, "hosts", "[dmz]\n192.168.3.4\n\n[prod]\n192.168.3.3\n\n[prod:children]\ndmz\n192.168.3.3\n");

        InputError error = onlyError(assertThrows(InvalidInputException.class, () -> loader.load(file)));

        assertEquals(9, error.where().line());
        assertEquals("'192.168.3.3' is a host; list it under [prod] instead", error.hint().orElseThrow());
    }

    @Test
    void varsSectionForUndeclaredGroupIsAnError() {
        Path file = write(dir, "hosts", "web1\n\n[web:vars]\nx=1\n");

        InputError error = onlyError(assertThrows(InvalidInputException.class, () -> loader.load(file)));

        assertEquals("section [web:vars] is for group 'web', which is never declared", error.message());
        assertEquals(3, error.where().line());
    }

    @Test
    void iniHostRangeWithLeadingZerosKeepsTheWidth() throws Exception {
        Path file = write(dir, "hosts", "[web]\nweb[01:03].example.com\n");

        Inventory inventory = loader.load(file);

        assertEquals(List.of("web01.example.com", "web02.example.com", "web03.example.com"),
                inventory.groups().get("web").hosts());
    }

    @Test
    void hostRangesTakeAStrideAndLetters() throws Exception {
        Path file = write(dir, "hosts.yml", "all:\n  hosts:\n    www[01:10:4]:\n    db-[a:c]-[1:2]:\n");

        Inventory inventory = loader.load(file);

        assertEquals(List.of("www01", "www05", "www09", "db-a-1", "db-a-2", "db-b-1", "db-b-2", "db-c-1", "db-c-2"),
                List.copyOf(inventory.hosts().keySet()));
    }

    @Test
    void hostRangeWithMixedWidthsIsAnError() {
        Path file = write(dir, "hosts", "[web]\n  web[01:100]\n");

        InputError error = onlyError(assertThrows(InvalidInputException.class, () -> loader.load(file)));

        assertEquals(2, error.where().line());
        assertEquals(6, error.where().column());
        assertTrue(error.message().contains("different widths"), error.message());
    }

    @Test
    void iniHostPortBecomesAnsiblePort() throws Exception {
        Path file = write(dir, "hosts", "badwolf.example.com:5309\n");

        Host host = loader.load(file).host("badwolf.example.com").orElseThrow();

        assertEquals(Map.of("ansible_port", 5309), host.vars());
    }

    @Test
    void inlineAnsiblePortOverridesHostColonPort() throws Exception {
        Path file = write(dir, "hosts", "jumper:5555 ansible_port=2222 ansible_host=192.0.2.50\n");

        Host host = loader.load(file).host("jumper").orElseThrow();

        assertEquals(2222, host.vars().get("ansible_port"));
        assertEquals("192.0.2.50", host.vars().get("ansible_host"));
    }

    @Test
    void iniInlineValuesAreTypedAsPythonLiterals() throws Exception {
        Path file = write(dir, "hosts", "h1 a=5 b=True c=False d=\"quoted value\" f=plain g=5.5 n=None"
                + " l=\"[1, 'x']\" m=\"{'k': 2}\" bare=[1,'x'] t=80,443 s=\"'03#pa33w0rd'\" # comment k=v\n");

        Map<String, Object> vars = loader.load(file).host("h1").orElseThrow().vars();

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", 5L);
        expected.put("b", true);
        expected.put("c", false);
        expected.put("d", "quoted value");
        expected.put("f", "plain");
        expected.put("g", 5.5);
        expected.put("n", null);
        expected.put("l", List.of(1L, "x"));
        expected.put("m", Map.of("k", 2L));
        expected.put("bare", "[1,x]");
        expected.put("t", List.of(80L, 443L));
        expected.put("s", "03#pa33w0rd");
        assertEquals(expected, vars);
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(vars.keySet()));
    }

    @Test
    void quotedInlineValueStaysAString() throws Exception {
        // Ansible strips the quotes before literal_eval and would make these 5 and 5.1
        Path file = write(dir, "hosts", "h1 e='5' omero_version=\"5.10\" flag=\"True\"\n");

        Map<String, Object> vars = loader.load(file).host("h1").orElseThrow().vars();

        assertEquals(Map.of("e", "5", "omero_version", "5.10", "flag", "True"), vars);
    }

    @Test
    void iniVarsSectionValuesAreTypedLikeAnsible() throws Exception {
        Path file = write(dir, "hosts", "[web]\nweb1\n\n[web:vars]\nhttp_port=8080 # all members\nmyvar = 23\n"
                + "has_java = True\nname=FALSE\nquoted=\"5\"\nnote=foo # kept, as Ansible keeps it\n");

        Map<String, Object> vars = loader.load(file).groups().get("web").vars();

        assertEquals(Map.of("http_port", 8080L, "myvar", 23L, "has_java", true, "name", "FALSE", "quoted", "5",
                "note", "foo # kept, as Ansible keeps it"), vars);
    }

    @Test
    void iniCommentLinesWithHashOrSemicolonAreIgnored() throws Exception {
        Path file = write(dir, "hosts", "# comment\n; another\n[web]\n  # indented\nweb1 # trailing\n");

        Inventory inventory = loader.load(file);

        assertEquals(List.of("web1"), List.copyOf(inventory.hosts().keySet()));
        assertEquals(Map.of(), inventory.hosts().get("web1").vars());
    }

    @Test
    void hostInSeveralIniGroupsIsOneHostWithMergedInlineVars() throws Exception {
        Path file = write(dir, "hosts", "[g1]\nhost4 a=1 b=1\n\n[g2]\nhost4 b=2\n");

        Inventory inventory = loader.load(file);

        assertEquals(1, inventory.hosts().size());
        Host host = inventory.hosts().get("host4");
        assertEquals(List.of("all", "g1", "g2"), host.groups());
        assertEquals(Map.of("a", 1L, "b", 2L), host.vars());
    }

    @Test
    void yamlHostInSeveralGroupsIsOneHost() throws Exception {
        Path file = write(dir, "hosts.yml", "web:\n  hosts:\n    h1:\n      a: 1\ndb:\n  hosts:\n    h1:\n      b: 2\n");

        Inventory inventory = loader.load(file);

        assertEquals(List.of("h1"), List.copyOf(inventory.hosts().keySet()));
        assertEquals(List.of("all", "db", "web"), inventory.hosts().get("h1").groups());
        assertEquals(Map.of("a", 1L, "b", 2L), inventory.hosts().get("h1").vars());
    }

    @Test
    void yamlHostsDirectlyUnderAllAreUngrouped() throws Exception {
        Path file = write(dir, "hosts.yaml", "all:\n  hosts:\n    lonely:\n    busy:\n  children:\n"
                + "    web:\n      hosts:\n        busy:\n");

        Inventory inventory = loader.load(file);

        assertEquals(List.of("lonely"), inventory.groups().get("ungrouped").hosts());
        assertEquals(List.of(), inventory.groups().get("all").hosts());
        assertEquals(List.of("all", "ungrouped"), inventory.hosts().get("lonely").groups());
        assertEquals(List.of("all", "web"), inventory.hosts().get("busy").groups());
    }

    @Test
    void iniHostListedUngroupedAndInAGroupLeavesUngrouped() throws Exception {
        Path file = write(dir, "hosts", "mail\n[web]\nmail\n");

        Inventory inventory = loader.load(file);

        assertEquals(List.of(), inventory.groups().get("ungrouped").hosts());
        assertEquals(List.of("all", "web"), inventory.hosts().get("mail").groups());
    }

    @Test
    void yamlGroupWrittenInTwoPlacesIsMerged() throws Exception {
        Path file = write(dir, "hosts.yml", "all:\n  children:\n    prod:\n      children:\n        web:\n"
                + "          hosts: {w1: }\n          vars: {a: 1}\n    web:\n      hosts: {w2: }\n      vars: {b: 2}\n");

        Inventory inventory = loader.load(file);

        Group web = inventory.groups().get("web");
        assertEquals(List.of("w1", "w2"), web.hosts());
        assertEquals(Map.of("a", 1L, "b", 2L), web.vars());
        assertEquals(List.of("ungrouped", "prod", "web"), inventory.groups().get("all").children());
        assertEquals(List.of("all", "prod", "web"), inventory.hosts().get("w2").groups());
    }

    @Test
    void yamlHostsMayBeASingleBareName() throws Exception {
        Path file = write(dir, "hosts.yml", "all:\n  children:\n    last_group:\n      hosts:\n        test1\n");

        assertEquals(List.of("test1"), loader.load(file).groups().get("last_group").hosts());
    }

    @Test
    void jsonInventoryIsReadLikeYaml() throws Exception {
        Path file = write(dir, "hosts.json", "{\"all\": {\"hosts\": {\"h1\": {\"ansible_port\": 2222}}}}");

        assertEquals(Map.of("ansible_port", 2222), loader.load(file).hosts().get("h1").vars());
    }

    @Test
    void otherAnsibleVariablesAreKeptAsPlainVariables() throws Exception {
        Path file = write(dir, "hosts", "freebsd ansible_python_interpreter=/usr/local/bin/python"
                + " ansible_become=yes ansible_connection=ssh ansible_user=manager"
                + " ansible_ssh_private_key_file=/home/example/.ssh/aws.pem\n");

        Map<String, Object> vars = loader.load(file).hosts().get("freebsd").vars();

        assertEquals(Map.of("ansible_python_interpreter", "/usr/local/bin/python", "ansible_become", "yes",
                "ansible_connection", "ssh", "ansible_user", "manager",
                "ansible_ssh_private_key_file", "/home/example/.ssh/aws.pem"), vars);
    }

    @Test
    void groupVarsFileWithoutExtensionIsRead(@TempDir Path tmp) throws Exception {
        Path file = write(tmp, "inventory/hosts", "web1\n");
        write(tmp, "inventory/group_vars/all", "ntp: ntp.example.org\n");

        assertEquals(Map.of("ntp", "ntp.example.org"), loader.load(file).hosts().get("web1").vars());
    }

    @Test
    void hiddenAndBackupFilesInAVarsDirectoryAreSkipped() throws Exception {
        Path file = write(dir, "hosts", "web1\n");
        write(dir, "host_vars/web1/a.yml", "x: a\n");
        write(dir, "host_vars/web1/.b.yml", "x: hidden\n");
        write(dir, "host_vars/web1/c.yml~", "x: backup\n");
        write(dir, "host_vars/web1/d.txt", "x: not yaml\n");
        write(dir, "host_vars/web1/sub/e.json", "{\"y\": \"nested\"}");

        assertEquals(Map.of("x", "a", "y", "nested"), loader.load(file).hosts().get("web1").vars());
    }

    @Test
    void varsFileForAnUnknownHostIsIgnored() throws Exception {
        Inventory inventory = loader.load(resource("precedence/hosts.yml"));

        inventory.hosts().values().forEach(h -> assertTrue(!"ignored".equals(h.vars().get("login")), h.name()));
    }

    @Test
    void groupVarsBesideAnInventoryGivenByRelativeNameAreFound() throws Exception {
        Path file = write(dir, "hosts", "web1\n");
        write(dir, "group_vars/ungrouped.yml", "a: 1\n");

        Path relative = Path.of("").toAbsolutePath().relativize(file);

        assertEquals(Map.of("a", 1L), loader.load(relative).hosts().get("web1").vars());
    }

    @Test
    void nestedVariableValuesCannotBeChanged() throws Exception {
        Path file = write(dir, "hosts.yml", "all:\n  vars:\n    list: [1, 2]\n    map: {k: v}\n  hosts:\n    h1:\n    h2:\n");
        Host host = loader.load(file).hosts().get("h1");

        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) host.vars().get("list");
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) host.vars().get("map");

        assertThrows(UnsupportedOperationException.class, () -> list.add(3));
        assertThrows(UnsupportedOperationException.class, () -> map.put("k", "changed"));
    }

    @Test
    void missingInventoryFileIsAnInputError() {
        Path file = dir.resolve("nope.yml");

        InputError error = onlyError(assertThrows(InvalidInputException.class, () -> loader.load(file)));

        assertEquals(file + ":1:1: inventory file not found", error.format());
    }

    @Test
    void yamlContentInAnIniFileGetsAHint() {
        Path file = write(dir, "hosts", "---\nall:\n  hosts:\n");

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> loader.load(file));

        assertTrue(e.getMessage().contains("name a YAML inventory *.yml or *.yaml"), e.getMessage());
        assertEquals(Arrays.asList(1, 2, 3), e.errors().stream().map(x -> x.where().line()).distinct().toList());
    }
}
