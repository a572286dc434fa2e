package org.omerofleet.playbook;

import java.util.List;
import java.util.Set;
import org.omerofleet.yaml.SourcePosition;

/**
 * One entry of a task list: a {@link Task} or a {@link Block}.
 */
public sealed interface Step permits Task, Block {

    SourcePosition where();

    String name();

    /** {@return the {@code when:} conditions, ANDed} */
    List<String> when();

    Set<String> tags();
}
