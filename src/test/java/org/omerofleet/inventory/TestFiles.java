package org.omerofleet.inventory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.omerofleet.input.InputError;
import org.omerofleet.input.InvalidInputException;

/** Fixture files for the inventory tests. */
final class TestFiles {

    private TestFiles() {
    }

    /** {@return a test resource under {@code org/omerofleet/inventory/}} */
    static Path resource(String name) {
        URL url = TestFiles.class.getResource(name);
        if (url == null) {
            throw new IllegalArgumentException("no test resource " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@return {@code dir/name}, created with its parent directories and {@code content}} */
    static Path write(Path dir, String name, String content) {
        Path file = dir.resolve(name);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** {@return the one error of {@code e}, failing if there are more} */
    static InputError onlyError(InvalidInputException e) {
        if (e.errors().size() != 1) {
            throw new AssertionError("expected one error, got:\n" + e.getMessage());
        }
        return e.errors().get(0);
    }
}
