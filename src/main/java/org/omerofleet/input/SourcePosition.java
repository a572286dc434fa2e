package org.omerofleet.input;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Point at a place in an input file; line and column count from 1.
 */
public record SourcePosition(Path file, int line, int column) {

    public SourcePosition {
        Objects.requireNonNull(file, "file");
    }

    /** {@return the whole file, for errors that have no better place} */
    public static SourcePosition of(Path file) {
        return new SourcePosition(file, 1, 1);
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
