package org.omerofleet.journal;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Read a journal back: every record up to the first one that is torn (no newline: the writer died in
 * the middle of it) or damaged (its checksum or JSON does not hold). What follows a damaged record is
 * not trusted either; {@link Contents#dropped()} says how many lines were left out.
 */
public final class JournalReader {

    private static final TypeReference<Map<String, Object>> RECORD = new TypeReference<>() { };

    private JournalReader() {
    }

    /**
     * What a journal holds.
     *
     * @param records     the valid records, in order
     * @param validLength the byte length of the valid prefix (where appending resumes)
     * @param dropped     lines after the valid prefix that were left out (0 for an intact journal)
     */
    public record Contents(List<Map<String, Object>> records, long validLength, int dropped) {
        public Contents {
            records = List.copyOf(records);
        }
    }

    public static Contents read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal " + file, e);
        }
        List<Map<String, Object>> records = new ArrayList<>();
        int start = 0;
        while (start < bytes.length) {
            int nl = indexOf(bytes, (byte) '\n', start);
            Map<String, Object> record = nl < 0 ? null : decode(Arrays.copyOfRange(bytes, start, nl));
            if (record == null) {
                int lines = 0;
                for (int i = start; i < bytes.length; i++) {
                    lines += bytes[i] == '\n' ? 1 : 0;
                }
                boolean tornTail = bytes[bytes.length - 1] != '\n';
                return new Contents(records, start, lines + (tornTail ? 1 : 0));
            }
            records.add(record);
            start = nl + 1;
        }
        return new Contents(records, start, 0);
    }

    private static Map<String, Object> decode(byte[] line) {
        if (line.length < 10 || line[8] != ' ') {
            return null;
        }
        byte[] body = Arrays.copyOfRange(line, 9, line.length);
        String crc = new String(line, 0, 8, StandardCharsets.US_ASCII);
        if (!crc.equals(String.format("%08x", Journal.crc(body)))) {
            return null;
        }
        try {
            return Journal.JSON.readValue(body, RECORD);
        } catch (IOException e) {
            return null;
        }
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
