package org.omerofleet.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omerofleet.input.InvalidInputException;

class PlaybookLoaderTest {

    /** The modules these tests know, as the module registry would describe them. */
    private static final ModuleCatalog CATALOG = name -> {
        String n = name.startsWith("ansible.builtin.") ? name.substring("ansible.builtin.".length()) : name;
        switch (n) {
            case "command":
            case "shell":
                return Optional.of(new ModuleCatalog.ModuleSpec(n, Set.of("cmd", "chdir", "creates", "removes"), Set.of("cmd"), true));
            case "copy":
                return Optional.of(new ModuleCatalog.ModuleSpec(n, Set.of("src", "dest", "mode", "content"), Set.of("dest"), false));
            case "debug":
                return Optional.of(new ModuleCatalog.ModuleSpec(n, Set.of("msg", "var"), Set.of(), false));
            case "set_fact":
                return Optional.of(new ModuleCatalog.ModuleSpec(n, Set.of("*"), Set.of(), false));
            default:
                return Optional.empty();
        }
    };

    @TempDir
    Path dir;

    private Playbook load(String yaml) throws Exception {
        Path file = dir.resolve("site.yml");
        Files.writeString(file, yaml);
        return new PlaybookLoader(CATALOG).load(file);
    }

    private InvalidInputException invalid(String yaml) {
        return assertThrows(InvalidInputException.class, () -> load(yaml));
    }

    @Test
    void aTemplateSyntaxErrorInAnArgumentIsRefusedAtLoadWithItsPosition() {
        InvalidInputException e = invalid("- hosts: all\n  tasks:\n    - command: /bin/true\n    - debug:\n        msg: \"{{ foo( }}\"\n");

        assertEquals(1, e.errors().size(), e.getMessage());
        assertEquals(dir.resolve("site.yml") + ":5:14: 'debug': syntax error: the expression ends early, expected ')' in '{{ foo( }}'",
                e.getMessage());
    }

    @Test
    void aConditionSyntaxErrorIsRefusedAtLoadWithItsPosition() {
        InvalidInputException e = invalid("- hosts: all\n  tasks:\n    - debug: {msg: hi}\n      when:\n        - true\n        - \"1 +\"\n");

        assertEquals(1, e.errors().size(), e.getMessage());
        assertTrue(e.getMessage().startsWith(dir.resolve("site.yml") + ":6:11: 'when': syntax error: the expression ends early, expected "), e.getMessage());
    }

    @Test
    void syntaxErrorsInPlayVarsBlocksAndFailedWhenAreAllReported() {
        InvalidInputException e = invalid(String.join("\n",
                "- hosts: all",
                "  vars: {x: \"{% if a %}unclosed\"}",
                "  tasks:",
                "    - block:",
                "        - command: echo {{ a | default( }}",
                "          failed_when: \"{{ rc != }}\"",
                "      when: \"a and\"",
                ""));

        assertEquals(4, e.errors().size(), e.getMessage());
        assertTrue(e.getMessage().contains(":2:13: 'vars': syntax error: Missing end tag: endif"), e.getMessage());
        assertTrue(e.getMessage().contains(":5:20: 'command': syntax error: the expression ends early"), e.getMessage());
        assertTrue(e.getMessage().contains(":6:24: 'failed_when': syntax error"), e.getMessage());
        assertTrue(e.getMessage().contains(":7:13: 'when': syntax error"), e.getMessage());
    }

    @Test
    void undefinedNamesUnknownFiltersAndFunctionsAreNotSyntaxErrors() throws Exception {
        Playbook p = load(String.join("\n",
                "- hosts: all",
                "  tasks:",
                "    - debug: {msg: \"{{ nothere | nosuchfilter }} {% for i in items | sort %}{{ i }}{% endfor %}\"}",
                "      when: [\"nothere is defined and nofunction(1)\", \"{{ x == 'a' ~ y }}\"]",
                ""));

        assertEquals(1, p.plays().get(0).tasks().size());
    }

    @Test
    void anAnsiblePlaybookLoadsWithBlocksHandlersAndSerial() throws Exception {
        Playbook p = load(String.join("\n",
                "- name: upgrade",
                "  hosts: omero",
                "  serial: [1, \"25%\"]",
                "  max_fail_percentage: 10",
                "  vars: {target: \"4.4.1\"}",
                "  tasks:",
                "    - name: run",
                "      ansible.builtin.command: /bin/true chdir=/tmp",
                "      register: r",
                "      notify: restart",
                "    - block:",
                "        - shell: echo hi",
                "      rescue:",
                "        - debug: {msg: rescued}",
                "      always:",
                "        - debug: msg=done",
                "      when: r is succeeded",
                "      tags: [upgrade]",
                "  handlers:",
                "    - name: restart",
                "      command: /bin/true",
                ""));
        Play play = p.plays().get(0);
        assertEquals(List.of(1, "25%"), play.serial());
        assertEquals(Optional.of(10), play.maxFailPercentage());
        Task run = (Task) play.tasks().get(0);
        assertEquals("command", run.module());
        assertEquals(Map.of("_raw_params", "/bin/true", "chdir", "/tmp"), run.args());
        Block block = (Block) play.tasks().get(1);
        Task inner = (Task) block.block().get(0);
        assertEquals(List.of("r is succeeded"), inner.when());
        assertEquals(Set.of("upgrade"), inner.tags());
        assertEquals(Map.of("msg", "done"), ((Task) block.always().get(0)).args());
        assertEquals("restart", play.handlers().get(0).name());
    }

    @Test
    void unknownPlayKeyNamesPositionAndSuggestion() {
        InvalidInputException e = invalid("- hosts: all\n  serail: 2\n  tasks: []\n");
        assertEquals("site.yml:2:3", e.errors().get(0).where().toString().replace(dir.toString() + "/", ""));
        assertTrue(e.getMessage().contains("unknown key 'serail'"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'serial'?"), e.getMessage());
    }

    @Test
    void unknownModuleArgumentIsAnError() {
        InvalidInputException e = invalid("- hosts: all\n  tasks:\n    - copy: {src: a, dets: /b}\n");
        assertTrue(e.getMessage().contains("has no argument 'dets'"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'dest'?"), e.getMessage());
    }

    private Map<String, Object> argsOfOnlyTask(String task) throws Exception {
        Play play = load("- hosts: all\n  tasks:\n    - " + task + "\n").plays().get(0);
        return ((Task) play.tasks().get(0)).args();
    }

    @Test
    void aTemplateWithSpacesStaysOneKeyValueArgument() throws Exception {
        assertEquals(Map.of("dest", "{{ fleet_dir }}/cnt", "content", "two words"),
                argsOfOnlyTask("copy: dest={{ fleet_dir }}/cnt content='two words'"));
    }

    @Test
    void setFactTakesAnyKeyInKeyValueForm() throws Exception {
        assertEquals(Map.of("w", "fact", "greeting", "hello {{ name | default('you all') }}"),
                argsOfOnlyTask("set_fact: w=fact greeting=\"hello {{ name | default('you all') }}\""));
    }

    @Test
    void aFreeFormCommandKeepsItsWordsQuotesAndTemplatesAndGivesUpOnlyItsOwnOptions() throws Exception {
        assertEquals(Map.of("_raw_params", "echo \"a  b\" x=1 {{ msg | default('c d') }}", "chdir", "/tmp"),
                argsOfOnlyTask("shell: echo \"a  b\" x=1 {{ msg | default('c d') }} chdir=/tmp"));
    }

    @Test
    void anEscapedEqualsSignIsNoSeparator() throws Exception {
        assertEquals(Map.of("msg", "a=b"), argsOfOnlyTask("debug: msg=a=b"));
        InvalidInputException e = invalid("- hosts: all\n  tasks:\n    - debug: a\\=b\n");
        assertTrue(e.getMessage().contains("takes key=value arguments, got 'a=b'"), e.getMessage());
    }

    @Test
    void anUnknownKeyInKeyValueFormIsNamedAsAnUnknownArgument() {
        InvalidInputException e = invalid("- hosts: all\n  tasks:\n    - copy: dest=/b dets={{ x }}/y\n");
        assertTrue(e.getMessage().contains("has no argument 'dets'"), e.getMessage());
    }

    @Test
    void anUnclosedTemplateOrQuoteIsAnErrorAtTheArguments() {
        InvalidInputException e = invalid("- hosts: all\n  tasks:\n    - copy: dest={{ fleet_dir /cnt\n");
        assertTrue(e.getMessage().contains("site.yml:3:13"), e.getMessage());
        assertTrue(e.getMessage().contains("is not closed"), e.getMessage());
        InvalidInputException quote = invalid("- hosts: all\n  tasks:\n    - copy: dest='/b c\n");
        assertTrue(quote.getMessage().contains("the quote ' is not closed"), quote.getMessage());
    }

    @Test
    void wrongTypeIsReported() {
        InvalidInputException e = invalid("- hosts: all\n  gather_facts: maybe\n  tasks: []\n");
        assertTrue(e.getMessage().contains("site.yml:2:17"), e.getMessage());
        assertTrue(e.getMessage().contains("'gather_facts' must be true or false"), e.getMessage());
    }

    @Test
    void IN02_floatVersionVariableIsRejectedWithAHint() {
        InvalidInputException e = invalid("- hosts: all\n  vars:\n    omero_release: 5.10\n  tasks: []\n");
        assertTrue(e.getMessage().contains("write '5.10' in quotes"), e.getMessage());
    }

    @Test
    void IN01_javaTagInAPlaybookIsRejected() {
        InvalidInputException e = invalid("- hosts: all\n  vars: {x: !!java.net.URL [\"http://x\"]}\n  tasks: []\n");
        assertTrue(e.getMessage().contains("tag"), e.getMessage());
    }

    @Test
    void serialOfZeroIsRejected() {
        InvalidInputException e = invalid("- hosts: all\n  serial: 0\n  tasks: []\n");
        assertTrue(e.getMessage().contains("serial"), e.getMessage());
    }

    @Test
    void undefinedVariableIsFoundUnlessGuarded() throws Exception {
        Playbook p = load(String.join("\n",
                "- hosts: all",
                "  tasks:",
                "    - debug: {msg: \"{{ targte }} {{ maybe | default('x') }} {{ r.stdout | basename }}\"}",
                "      when: other is defined",
                "    - command: echo hi",
                "      register: r",
                ""));
        var errors = new VariableCheck().check(p, Set.of("target"));
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).format().contains("site.yml:3:7: undefined variable 'targte'"), errors.get(0).format());
        assertTrue(errors.get(0).format().contains("did you mean 'target'?"), errors.get(0).format());
    }
}
