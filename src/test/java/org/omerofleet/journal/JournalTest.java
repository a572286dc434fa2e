package org.omerofleet.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CTL-02: the journal reads back up to its last valid record, and a resumed run appends after it. */
class JournalTest {

    @TempDir
    Path dir;

    private Path write(int records) {
        Path file = dir.resolve(Journal.FILE);
        try (Journal journal = Journal.create(file)) {
            for (int i = 0; i < records; i++) {
                journal.append(Map.of("t", "end", "n", i, "msg", "line\nwith a newline and ünïcode"));
            }
        }
        return file;
    }

    @Test
    void recordsReadBackInOrderWithTheirValues() {
        JournalReader.Contents contents = JournalReader.read(write(3));
        assertEquals(3, contents.records().size());
        assertEquals(2, contents.records().get(2).get("n"));
        assertEquals("line\nwith a newline and ünïcode", contents.records().get(0).get("msg"));
        assertEquals(0, contents.dropped());
    }

    @Test
    void CTL02_aTornLastRecordIsDroppedAndTheNextAppendFollowsTheLastValidOne() throws Exception {
        Path file = write(3);
        long valid = Files.size(file);
        Files.write(file, "0badc0de {\"t\":\"st".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);

        JournalReader.Contents torn = JournalReader.read(file);
        assertEquals(3, torn.records().size());
        assertEquals(valid, torn.validLength());
        assertEquals(1, torn.dropped());

        try (Journal journal = Journal.reopen(file, torn)) {
            journal.append(Map.of("t", "resume"));
        }
        JournalReader.Contents after = JournalReader.read(file);
        assertEquals(4, after.records().size());
        assertEquals("resume", after.records().get(3).get("t"));
        assertEquals(0, after.dropped());
    }

    @Test
    void CTL02_aDamagedRecordEndsTheTrustedPrefixEvenWithValidRecordsAfterIt() throws Exception {
        Path file = write(4);
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        lines.set(1, lines.get(1).replace("\"n\":1", "\"n\":7")); // a flipped digit: the checksum no longer holds
        Files.write(file, lines, StandardCharsets.UTF_8);

        JournalReader.Contents contents = JournalReader.read(file);
        assertEquals(1, contents.records().size());
        assertEquals(3, contents.dropped());
    }

    @Test
    void concurrentAppendsAreEachWholeLines() throws Exception {
        Path file = dir.resolve(Journal.FILE);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (Journal journal = Journal.create(file)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        journal.append(Map.of("thread", thread, "i", i));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        JournalReader.Contents contents = JournalReader.read(file);
        assertEquals(1600, contents.records().size());
        assertEquals(0, contents.dropped());
    }
}
