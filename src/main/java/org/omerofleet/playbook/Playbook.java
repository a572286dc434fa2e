package org.omerofleet.playbook;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A loaded, validated playbook: its plays in order.
 */
public record Playbook(Path file, List<Play> plays) {

    public Playbook {
        Objects.requireNonNull(file, "file");
        plays = List.copyOf(plays);
    }
}
