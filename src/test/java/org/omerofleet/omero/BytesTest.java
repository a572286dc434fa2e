package org.omerofleet.omero;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BytesTest {

    @Test
    void smallCountsAreExactBytes() {
        assertEquals("0 B", Bytes.human(0));
        assertEquals("1023 B", Bytes.human(1023));
    }

    @Test
    void largerCountsUseOneDecimalInBinaryUnits() {
        assertEquals("1.0 KiB", Bytes.human(1024));
        assertEquals("1.5 KiB", Bytes.human(1536));
        assertEquals("1.5 GiB", Bytes.human(3L << 29));
        assertEquals("10.0 TiB", Bytes.human(10L << 40));
    }

    @Test
    void roundingUpToTheNextUnitSaysSo() {
        assertEquals("1.0 MiB", Bytes.human((1L << 20) - 1));
    }

    @Test
    void extremesDoNotOverflow() {
        assertEquals("8.0 EiB", Bytes.human(Long.MAX_VALUE));
        assertEquals("-8.0 EiB", Bytes.human(Long.MIN_VALUE));
        assertEquals("-1.5 KiB", Bytes.human(-1536));
    }
}
