package org.omerofleet.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Append records to a run's journal. Each record is one line, {@code <crc32c> <json>}, and
 * {@link #append} returns only once the line is on disk ({@code fsync}); appends from several threads
 * share one {@code fsync} when they arrive together (group commit). {@link JournalObserver}s found on the
 * class path see each record just before it is written and just after it is on disk.
 */
public final class Journal implements AutoCloseable {

    /** The journal's file name inside a run directory. */
    public static final String FILE = "journal.log";

    static final ObjectMapper JSON = new ObjectMapper();

    private final FileChannel channel;
    private final Object appendLock = new Object();
    private final Object syncLock = new Object();
    private final List<JournalObserver> observers;
    private long written;
    private long records;
    private volatile long synced;

    private Journal(FileChannel channel, long length) {
        this.channel = channel;
        this.written = length;
        this.synced = length;
        this.observers = ServiceLoader.load(JournalObserver.class).stream().map(ServiceLoader.Provider::get).toList();
    }

    /** {@return a journal for a new run} The file must not exist yet. */
    public static Journal create(Path file) {
        try {
            // results in the journal are redacted, yet still a host's business: this user's only, from creation
            return new Journal(FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the journal " + file, e);
        }
    }

    /**
     * {@return the journal {@code contents} were read from, opened to append after its last valid record}
     * A torn or damaged tail is cut off first, so that new records follow valid ones.
     */
    public static Journal reopen(Path file, JournalReader.Contents contents) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
            channel.truncate(contents.validLength());
            channel.position(contents.validLength());
            channel.force(true);
            return new Journal(channel, contents.validLength());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reopen the journal " + file, e);
        }
    }

    /** Write one record and wait until it is on disk. */
    public void append(Map<String, ?> record) {
        byte[] line = encode(record);
        long end;
        long number;
        synchronized (appendLock) {
            number = ++records;
            observers.forEach(o -> o.beforeWrite(number));
            try {
                ByteBuffer buffer = ByteBuffer.wrap(line);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the journal", e);
            }
            written += line.length;
            end = written;
        }
        sync(end);
        observers.forEach(o -> o.afterSync(number));
    }

    private void sync(long upTo) {
        if (synced >= upTo) {
            return;
        }
        synchronized (syncLock) {
            if (synced >= upTo) {
                return; // another writer's fsync covered this record
            }
            long target;
            synchronized (appendLock) {
                target = written;
            }
            try {
                channel.force(false);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot sync the journal", e);
            }
            synced = target;
        }
    }

    static byte[] encode(Map<String, ?> record) {
        String json;
        try {
            json = JSON.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("journal record is not JSON: " + e.getOriginalMessage(), e);
        }
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return (String.format("%08x ", crc(body)) + json + "\n").getBytes(StandardCharsets.UTF_8);
    }

    static long crc(byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(body);
        return crc.getValue();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the journal", e);
        }
    }
}
