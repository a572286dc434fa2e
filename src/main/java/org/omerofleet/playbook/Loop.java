package org.omerofleet.playbook;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A task's loop: {@code loop}, {@code with_items}, {@code with_list} or {@code with_dict}, with its
 * {@code loop_control}.
 *
 * @param keyword  the keyword the task used: {@code loop}, {@code with_items}, {@code with_list} or {@code with_dict}
 * @param items    the raw (untemplated) value: a list, a mapping for {@code with_dict}, or a template string
 * @param loopVar  the variable each item is bound to ({@code item} unless {@code loop_control.loop_var})
 * @param indexVar {@code loop_control.index_var}: the variable that holds the item's index from 0
 * @param label    {@code loop_control.label}: the raw template shown for each item
 * @param pause    {@code loop_control.pause}: the wait between two items
 * @param extended {@code loop_control.extended}: whether {@code ansible_loop} is set
 */
public record Loop(String keyword, Object items, String loopVar, Optional<String> indexVar, Optional<String> label, Duration pause,
                   boolean extended) {

    public Loop {
        Objects.requireNonNull(keyword, "keyword");
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(loopVar, "loopVar");
        Objects.requireNonNull(indexVar, "indexVar");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(pause, "pause");
    }
}
