package org.omerofleet.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.omerofleet.input.SourcePosition;

class TaskBuilderTest {

    private static final SourcePosition HERE = SourcePosition.of(Path.of("site.yml"));

    @Test
    void unnamedKeywordsKeepAnsiblesDefaults() {
        Task t = Task.builder(HERE, "say", "debug").build();
        Task positional = new Task(HERE, "say", "debug", Map.of(), Map.of(), List.of(), Optional.empty(), List.of(), List.of(), false,
                false, false, Set.of(), List.of(), List.of(), 0, List.of(), Duration.ZERO, Optional.empty(), false, false,
                Optional.empty(), 0, Optional.empty(), Map.of(), Optional.empty(), Map.of());
        assertEquals(positional, t);
    }

    @Test
    void toBuilderChangesOnlyWhatItNames() {
        Task t = Task.builder(HERE, "restart", "service").args(Map.of("name", "omero")).when(List.of("x")).register(Optional.of("r"))
                .retries(2).until(List.of("r is success")).delay(Duration.ofSeconds(3)).become(true).becomeUser(Optional.of("omero"))
                .throttle(1).delegateTo(Optional.of("localhost")).environment(Map.of("A", "1")).build();
        Task derived = t.toBuilder().ignoreErrors(true).tags(Set.of("t")).build();
        assertEquals(t.toBuilder().build(), t);
        assertEquals(true, derived.ignoreErrors());
        assertEquals(Set.of("t"), derived.tags());
        assertEquals(t, derived.toBuilder().ignoreErrors(false).tags(Set.of()).build());
    }

    @Test
    void theRecordsChecksStillApply() {
        assertThrows(IllegalArgumentException.class, () -> Task.builder(HERE, "n", "debug").retries(-1).build());
        assertThrows(IllegalArgumentException.class, () -> Task.builder(HERE, "n", "debug").throttle(-1).build());
        assertThrows(NullPointerException.class, () -> Task.builder(HERE, "n", "debug").delay(null).build());
    }
}
