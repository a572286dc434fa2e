package org.omerofleet.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.omerofleet.inventory.TestFiles.resource;
import static org.omerofleet.inventory.TestFiles.write;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Variable precedence as Ansible documents it (intro_inventory.rst "How variables are merged" and
 * playbooks_variables.rst "Understanding variable precedence", items 3 to 9), on
 * {@code precedence/hosts.yml} with its {@code group_vars/} and {@code host_vars/}.
 *
 * <p>Groups: {@code all} &gt; {@code omero} (host omero4) &gt; {@code omero_prod} (omero1, omero2) and
 * {@code omero_eu} (omero2); top level also {@code zeta} (omero2), {@code a_group} with priority 10
 * and {@code b_group} (both omero3).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VariablePrecedenceTest {

    private Inventory inventory;

    @BeforeAll
    void load() throws Exception {
        inventory = new InventoryLoader().load(resource("precedence/hosts.yml"));
    }

    private Object var(String host, String name) {
        return inventory.hosts().get(host).vars().get(name);
    }

    @Test
    void hostVarBeatsChildGroupVar() {
        assertEquals("host", var("omero1", "level"));
    }

    @Test
    void childGroupVarBeatsParentGroupVar() {
        assertEquals("child", var("omero2", "level"));
    }

    @Test
    void parentGroupVarBeatsAll() {
        assertEquals("parent", var("omero4", "level"));
    }

    @Test
    void allVarAppliesWhenNoGroupSetsIt() {
        assertEquals("all", var("omero3", "level"));
    }

    @Test
    void groupsAtEqualDepthMergeInNameOrderLaterWins() {
        // omero_eu and omero_prod are both at depth 2: omero_prod sorts last
        assertEquals("prod", var("omero2", "region"));
    }

    @Test
    void deeperGroupBeatsShallowerGroupWhateverTheNames() {
        // zeta (depth 1) sorts after omero_prod (depth 2) by name, but depth decides first
        assertEquals("prod", var("omero2", "depth_wins"));
    }

    @Test
    void groupPriorityBeatsNameOrder() {
        // the docs' example: a_group with ansible_group_priority 10 beats b_group
        assertEquals("a", var("omero3", "testvar"));
    }

    @Test
    void groupPriorityIsNotKeptAsAVariable() {
        assertFalse(inventory.groups().get("a_group").vars().containsKey("ansible_group_priority"));
        assertFalse(inventory.hosts().get("omero3").vars().containsKey("ansible_group_priority"));
    }

    @Test
    void groupVarsFileBeatsInlineVarOfTheSameGroup() {
        assertEquals("file", var("omero2", "release_channel"));
        assertEquals("file", inventory.groups().get("omero_prod").vars().get("release_channel"));
    }

    @Test
    void groupVarsFileOfAllBeatsInlineVarOfAChildGroup() {
        // Ansible loads every group_vars/ file after every inventory-file group var (precedence 3 < 4)
        assertEquals("file-all", var("omero2", "tier"));
    }

    @Test
    void childGroupVarsFileBeatsParentGroupVarsFile() {
        assertEquals("child-file", var("omero1", "ntp"));
        assertEquals("parent-file", var("omero4", "ntp"));
    }

    @Test
    void filesOfAGroupVarsDirectoryApplyInSortedOrder() {
        assertEquals("child-file", inventory.groups().get("omero_prod").vars().get("ntp"));
    }

    @Test
    void hostVarsFileBeatsInlineHostVar() {
        assertEquals("file", var("omero1", "login"));
    }

    @Test
    void dictionariesAreReplacedNotMerged() {
        assertEquals(Map.of("b", 3L), var("omero4", "settings"));
        assertEquals(Map.of("a", 1L, "b", 2L), var("omero3", "settings"));
    }

    @Test
    void hostGroupsListAllFirstThenTheMergeOrder() {
        assertEquals(List.of("all", "omero", "zeta", "omero_eu", "omero_prod"), inventory.hosts().get("omero2").groups());
        assertEquals(List.of("all", "b_group", "a_group"), inventory.hosts().get("omero3").groups());
    }

    @Test
    void iniGroupVarsFileBeatsIniVarsSection(@TempDir Path dir) throws Exception {
        Path file = write(dir, "hosts", "[web]\nweb1\n[web:vars]\nx=inline\ny=inline\n");
        write(dir, "group_vars/web.yml", "x: file\n");

        Map<String, Object> vars = new InventoryLoader().load(file).hosts().get("web1").vars();

        assertEquals(Map.of("x", "file", "y", "inline"), vars);
    }

    @Test
    void iniGroupPriorityReordersGroupsOfEqualDepth(@TempDir Path dir) throws Exception {
        Path file = write(dir, "hosts", "[a]\nh\n[b]\nh\n[a:vars]\nv=a\nansible_group_priority=2\n[b:vars]\nv=b\n");

        assertEquals("a", new InventoryLoader().load(file).hosts().get("h").vars().get("v"));
    }
}
