package org.omerofleet.input;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Read a user-supplied input file (inventory, playbook, vars file, {@code -e @file}, {@code --limit @file}):
 * the one place such files are read, so that every one gets the same limits.
 *
 * <p>Only regular files are read (a symbolic link is followed, and must lead to one): {@code /dev/zero},
 * a FIFO or a terminal would never end, or block. The size is checked before reading and the read itself
 * stops one byte past the limit, so a file that grows, or reports a wrong size, cannot exhaust memory.
 */
public final class InputFiles {

    /** Input files larger than this are refused: 64 MiB, eight times a 200,000-host inventory. */
    public static final int MAX_BYTES = 64 * 1024 * 1024;

    private InputFiles() {
    }

    /** {@return the UTF-8 text of {@code file}, at most {@link #MAX_BYTES} long} */
    public static String read(Path file) throws InvalidInputException {
        return read(file, MAX_BYTES);
    }

    /** {@return the UTF-8 text of {@code file}, at most {@code maxBytes} long} */
    public static String read(Path file, int maxBytes) throws InvalidInputException {
        if (!Files.exists(file)) {
            throw refused(file, "file not found", null);
        }
        if (Files.isDirectory(file)) {
            throw refused(file, "is a directory, not a file", "pass the file itself");
        }
        if (!Files.isRegularFile(file)) {
            throw refused(file, "not a regular file (a device, FIFO or socket?)", "pass a regular file");
        }
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > maxBytes) {
                throw refused(file, "file is " + size + " bytes, over the limit of " + maxBytes, null);
            }
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(maxBytes + 1);
            }
        } catch (NoSuchFileException e) {
            throw refused(file, "file not found", null);
        } catch (IOException e) {
            throw refused(file, "cannot read file: " + e.getMessage(), null);
        }
        if (bytes.length > maxBytes) {
            throw refused(file, "file is over the limit of " + maxBytes + " bytes", null);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw refused(file, "file is not valid UTF-8", null);
        }
    }

    private static InvalidInputException refused(Path file, String message, String hint) {
        return new InvalidInputException(new InputError(SourcePosition.of(file), message, hint));
    }
}
