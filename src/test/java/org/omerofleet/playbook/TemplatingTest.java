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

    @Property(tries = 200)
    void IN04_quoteFilterSurvivesTheShell(@ForAll @StringLength(max = 40) @CharRange(from = 1, to = 0x2FF) String value)
            throws Exception {
        String quoted = (String) templating.render("{{ v | quote }}", Map.of("v", value));
        Process p = new ProcessBuilder("/bin/sh", "-c", "printf %s " + quoted).start();
        String echoed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        assertEquals(value, echoed);
    }
}
