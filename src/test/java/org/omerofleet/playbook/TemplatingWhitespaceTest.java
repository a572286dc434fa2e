package org.omerofleet.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Whitespace around a lone expression, as Ansible's templating treats it (checked against ansible-core 2.14 by the conformance suite). */
class TemplatingWhitespaceTest {

    private final Templating templating = new Templating();
    private final Map<String, Object> vars = Map.of("msg", "Block inserted", "flag", true, "n", 3);

    @Test
    void aStringKeepsTheNewlineAfterIt() throws Exception {
        assertEquals("Block inserted\n", templating.render("{{ msg }}\n", vars));
        assertEquals("  Block inserted ", templating.render("  {{ msg }} ", vars));
    }

    @Test
    void aBooleanOrNumberFollowedByNewlinesStaysNative() throws Exception {
        assertEquals(true, templating.render("{{ flag }}\n", vars));
        assertEquals(3L, ((Number) templating.render("{{ n }}\n\n", vars)).longValue());
    }

    @Test
    void aTemplateFileKeepsItsTrailingNewlinesAndTrimsBlocks() throws Exception {
        assertEquals("a\nb\n\n", templating.renderFile("{% if flag %}\na\n{% endif %}\nb\n\n", vars, true, false));
    }
}
