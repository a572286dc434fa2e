package org.omerofleet.transport;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Keep the head and the tail of a stream, each up to half the limit, dropping the middle, so that a
 * command printing gigabytes costs bounded memory while its first and last lines survive.
 */
public final class BoundedCapture extends OutputStream {

    private final int half;
    private final ByteArrayOutputStream head = new ByteArrayOutputStream();
    /** Allocated only once the head is full: most commands print little, and a run executes thousands. */
    private byte[] tail;
    private int tailStart;
    private int tailLength;
    private long total;

    public BoundedCapture(int limit) {
        this.half = Math.max(1, limit / 2);
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        total += len;
        int toHead = Math.min(len, half - head.size());
        if (toHead > 0) {
            head.write(b, off, toHead);
            off += toHead;
            len -= toHead;
        }
        if (len > 0 && tail == null) {
            tail = new byte[half];
        }
        for (int i = 0; i < len; i++) {
            int pos = (tailStart + tailLength) % half;
            tail[pos] = b[off + i];
            if (tailLength < half) {
                tailLength++;
            } else {
                tailStart = (tailStart + 1) % half;
            }
        }
    }

    /** {@return whether bytes were dropped from the middle} */
    public synchronized boolean truncated() {
        return total > (long) head.size() + tailLength;
    }

    /** {@return the kept text: head, a marker if the middle was dropped, then tail} */
    public synchronized String text() {
        StringBuilder b = new StringBuilder(head.toString(StandardCharsets.UTF_8));
        if (tailLength > 0) {
            byte[] t = new byte[tailLength];
            for (int i = 0; i < tailLength; i++) {
                t[i] = tail[(tailStart + i) % half];
            }
            if (truncated()) {
                b.append("\n[... ").append(total - head.size() - tailLength).append(" bytes omitted ...]\n");
            }
            b.append(new String(t, StandardCharsets.UTF_8));
        }
        return b.toString();
    }
}
