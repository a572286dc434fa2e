package org.omerofleet.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omerofleet.yaml.YamlReader;

/** The one reader of input files: regular files only, with a size cap (reliability.md IN-01). */
class InputFilesTest {

    private static final Path ZERO = Path.of("/dev/zero");

    @Test
    void IN01_aDeviceIsRefusedNamingItInsteadOfBeingReadForever() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> InputFiles.read(ZERO));

        assertEquals("/dev/zero:1:1: not a regular file (a device, FIFO or socket?) (pass a regular file)", e.getMessage());
    }

    @Test
    void IN01_aLinkToADeviceIsRefusedNamingTheLink(@TempDir Path dir) throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("site.yml"), ZERO);

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> YamlReader.read(link));

        assertEquals(link + ":1:1: not a regular file (a device, FIFO or socket?) (pass a regular file)", e.getMessage());
    }

    @Test
    void IN01_theCapAppliesToWhatIsReadNotOnlyToTheSizeReported(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("vars.yml"), "a: 1\nb: 2\n");

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> InputFiles.read(file, 4));

        assertEquals(file + ":1:1: file is 10 bytes, over the limit of 4", e.getMessage());
        assertEquals("a: 1\nb: 2\n", InputFiles.read(file, 10));
    }

    @Test
    void IN01_invalidUtf8IsRefused(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("inv.ini"), "h1 x=\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> InputFiles.read(file));

        assertEquals(file + ":1:1: file is not valid UTF-8", e.getMessage());
    }

    @Test
    void theLimitIsGenerous() {
        assertEquals(64 * 1024 * 1024, InputFiles.MAX_BYTES);
    }
}
