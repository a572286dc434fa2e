package org.omerofleet.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** Host text escaped for a terminal: control characters visible, newline and tab kept (reliability.md SEC-10, CMD-05). */
class PrintableTest {

    @Test
    void CMD05_controlCharactersBecomeVisibleHexAndLineStructureStays() {
        assertEquals("\\x1b[2J\\x1b]0;title\\x07 done", Printable.of("\u001b[2J\u001b]0;title\u0007 done"));
        assertEquals("a\tb\nc\r\nd", Printable.of("a\tb\nc\r\nd"), "tab, newline and CRLF line ends are kept");
        assertEquals("progress 10%\\x0dprogress 20%", Printable.of("progress 10%\rprogress 20%"), "a lone CR would hide the line");
        assertEquals("nul\\x00 del\\x7f csi\\x9b1m", Printable.of("nul\u0000 del\u007f csi\u009b1m"));
        assertEquals("trailing\\x0d", Printable.of("trailing\r"));
    }

    @Test
    void CMD05_plainTextIsReturnedAsItIs() {
        String text = "OMERO.server 5.6.0 – Grüße, 日本";
        assertSame(text, Printable.of(text));
    }
}
