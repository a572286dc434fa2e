package org.omerofleet.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class TemplatingTest {

    private final Templating templating = new Templating();
    private final Map<String, Object> vars = Map.of("name", "omero1", "port", 4064, "hosts", List.of("a", "b"),
            "result", Map.of("rc", 0, "failed", false, "changed", true, "stdout", "OMERO.server-4.4.1-ice34-b3035"));

    @Test
    void wholeExpressionKeepsItsNativeType() throws Exception {
        assertEquals(List.of("a", "b"), templating.render("{{ hosts }}", vars));
        assertEquals(4065L, ((Number) templating.render("{{ port + 1 }}", vars)).longValue());
    }

    @Test
    void mixedTextRendersToAString() throws Exception {
        assertEquals("host omero1:4064", templating.render("host {{ name }}:{{ port }}", vars));
    }

    @Test
    void undefinedVariableIsAnErrorNamingIt() {
        TemplateException e = assertThrows(TemplateException.class, () -> templating.render("x {{ missing }}", vars));
        assertTrue(e.getMessage().contains("'missing' is undefined"), e.getMessage());
    }

    @Test
    void defaultAndIsDefinedGuardUndefinedVariables() throws Exception {
        assertEquals("fallback", templating.render("{{ missing | default('fallback') }}", vars));
        assertFalse(templating.test("missing is defined", vars));
    }

    @Test
    void registeredResultTestsWork() throws Exception {
        assertTrue(templating.test("result is succeeded", vars));
        assertTrue(templating.test("result is changed", vars));
        assertFalse(templating.test("result is failed", vars));
        assertTrue(templating.test("result.rc == 0", vars));
    }

    @Test
    void versionTestComparesLikeAnsible() throws Exception {
        assertTrue(templating.test("'4.3.2' is version('4.4.0', '<')", vars));
        assertTrue(templating.test("'5.10.0' is version('5.9.1', '>')", vars));
        assertFalse(templating.test("'4.4.1' is version('4.4.1', '!=')", vars));
    }

    @Test
    void basenameAndRegexReplaceWork() throws Exception {
        assertEquals("4.4.1", templating.render("{{ result.stdout | regex_replace('OMERO.server-(.+)-ice3.+', '$1') }}", vars));
        assertEquals("b.zip", templating.render("{{ '/tmp/a/b.zip' | basename }}", vars));
    }

    /** A host that prints template syntax: the text reaches the next command as it was printed. */
    private static Map<String, Object> hostileHost() {
        Map<String, Object> vars = new java.util.LinkedHashMap<>(Templating.lazyVars(Map.of(
                "hostvars", Map.of("other", Map.of("ansible_become_password", "S3CRET-of-other")))));
        vars.put("r", Map.of("stdout", "{{ hostvars.other.ansible_become_password }} {% if true %}yes{% endif %}",
                "stderr", "{%- for h in hostvars %}{{ h }}{% endfor %}", "lines", List.of("{{ 7 * 7 }}")));
        vars.put("ansible_hostname", "{{ hostvars.other.ansible_become_password }}");
        return vars;
    }

    @Test
    void SEC10_hostOutputInAMixedStringIsNotRenderedAgain() throws Exception {
        Map<String, Object> vars = hostileHost();
        assertEquals("echo 'got: {{ hostvars.other.ansible_become_password }} {% if true %}yes{% endif %}'",
                templating.render("echo 'got: {{ r.stdout }}'", vars));
        assertEquals("{%- for h in hostvars %}{{ h }}{% endfor %}!", templating.render("{{ r.stderr }}!", vars));
        assertEquals("[{{ 7 * 7 }}] on {{ hostvars.other.ansible_become_password }}",
                templating.render("[{{ r.lines | join(',') }}] on {{ ansible_hostname }}", vars));
        assertEquals("{{ hostvars.other.ansible_become_password }}", templating.render("{{ ansible_hostname }}", vars));
        assertTrue(templating.test("'become_password' in r.stdout", vars));
    }

    @Test
    void IN10_hostOutputInsideArgsOfAModuleStaysLiteral() throws Exception {
        Map<String, Object> args = Map.of("cmd", "printf %s {{ r.stdout | quote }}", "dest", "{{ r.lines[0] }}/x");
        assertEquals(Map.of("cmd", "printf %s '{{ hostvars.other.ansible_become_password }} {% if true %}yes{% endif %}'",
                "dest", "{{ 7 * 7 }}/x"), templating.render(args, hostileHost()));
    }

    @Test
    void templatesFromTheInventoryAndPlaybookStillRenderWhereTheyAreUsed() throws Exception {
        Map<String, Object> vars = new java.util.LinkedHashMap<>(Templating.lazyVars(Map.of(
                "base", "/opt/{{ name }}",
                "server", "{{ base }}/OMERO.server",
                "ports", "{{ [4063, 4064] }}",
                "db", Map.of("host", "{{ name }}.db", "list", List.of("{{ name }}-a")),
                "hostvars", Map.of("omero2", Map.of("dir", "{{ base }}/two")))));
        vars.put("name", "omero1");
        assertEquals("cd /opt/omero1/OMERO.server && ls", templating.render("cd {{ server }} && ls", vars));
        assertEquals("/opt/omero1/OMERO.server", templating.render("{{ server }}", vars));
        assertEquals(List.of(4063L, 4064L), ((List<?>) templating.render("{{ ports }}", vars)).stream()
                .map(p -> ((Number) p).longValue()).toList());
        assertEquals("omero1.db:5432 omero1-a", templating.render("{{ db.host }}:5432 {{ db.list | first }}", vars));
        assertEquals(Map.of("host", "omero1.db", "list", List.of("omero1-a")), templating.render("{{ db }}", vars));
        assertEquals("/opt/omero1/two", templating.render("{{ hostvars['omero2'].dir }}", vars));
        assertTrue(templating.test("'omero1' in server", vars));
    }

    @Test
    void aTemplateFromTheInventoryRendersInTheScopeOfItsUse() throws Exception {
        Map<String, Object> vars = new java.util.LinkedHashMap<>(Templating.lazyVars(Map.of("greeting", "got {{ r.stdout }}")));
        vars.put("r", Map.of("stdout", "{{ secret }}"));
        vars.put("secret", "S3CRET");
        assertEquals("echo got {{ secret }}", templating.render("echo {{ greeting }}", vars), "rendered once, its host part kept as data");
    }

    @Test
    void anUndefinedOrSelfReferringTemplateVariableIsAnError() {
        Map<String, Object> vars = Templating.lazyVars(Map.of("a", "x {{ missing }}", "loop", "{{ loop }}"));
        TemplateException undefined = assertThrows(TemplateException.class, () -> templating.render("{{ a }} y", vars));
        assertTrue(undefined.getMessage().contains("'missing' is undefined"), undefined.getMessage());
        assertThrows(TemplateException.class, () -> templating.render("{{ loop }}", vars));
        Map<String, Object> mixed = Templating.lazyVars(Map.of("a", "x {{ b }}", "b", "y {{ a }}"));
        assertThrows(TemplateException.class, () -> templating.render("{{ a }} z", mixed));
    }

    @Property(tries = 200)
    void IN04_quoteFilterSurvivesTheShell(@ForAll @StringLength(max = 40) @CharRange(from = 1, to = 0x2FF) String value)
            throws Exception {
        String quoted = (String) templating.render("{{ v | quote }}", Map.of("v", value));
        Process p = new ProcessBuilder("/bin/sh", "-c", "printf %s " + quoted).start();
        String echoed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        assertEquals(value, echoed);
    }

    @Test
    void aBooleanInsideTextIsWrittenAsPythonWritesIt() throws Exception {
        assertEquals("True False on", new Templating().render("{{ 1 == 1 }} {{ flag }} on", Map.of("flag", false)));
        assertEquals("True,True,", new Templating().render("{% for x in [1, 2] %}{{ x > 0 }},{% endfor %}", Map.of()));
    }
}
