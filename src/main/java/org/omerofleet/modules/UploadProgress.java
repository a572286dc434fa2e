package org.omerofleet.modules;

import java.time.Duration;
import java.util.function.LongConsumer;
import org.omerofleet.result.Progress;

/**
 * Turn an upload's running byte count into progress reports: one after 1 s, then twice as far apart up
 * to every 10 s (as a remote job is polled), and one when the upload ends, so the host log always holds
 * the figures of every upload.
 */
final class UploadProgress implements LongConsumer {

    private static final long FIRST = Duration.ofSeconds(1).toNanos();
    private static final long MAX = Duration.ofSeconds(10).toNanos();

    private final TaskContext context;
    private final long total;
    private final long started = System.nanoTime();
    private long gap = FIRST;
    private long next = started + FIRST;
    private long sent;

    UploadProgress(TaskContext context, long total) {
        this.context = context;
        this.total = total;
    }

    @Override
    public void accept(long bytes) {
        sent = bytes;
        long now = System.nanoTime();
        if (now >= next) {
            report(now);
            gap = Math.min(gap * 2, MAX);
            next = now + gap;
        }
    }

    /** Report the final figures. */
    void finished() {
        report(System.nanoTime());
    }

    private void report(long now) {
        Progress p = new Progress("upload", "file", sent, total, Duration.ofNanos(now - started));
        context.progress(p);
        context.log("progress: " + p.describe());
    }
}
