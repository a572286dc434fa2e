package org.omerofleet.playbook;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.omerofleet.input.SourcePosition;

/**
 * A {@code block} with its {@code rescue} and {@code always} sections. Keywords given on the block
 * ({@code when}, {@code tags}, {@code become}...) are already folded into the tasks inside by the loader;
 * {@link #when()} is kept here for display only.
 */
public record Block(SourcePosition where, String name, List<Step> block, List<Step> rescue, List<Step> always,
                    List<String> when, Set<String> tags) implements Step {

    public Block {
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(name, "name");
        block = List.copyOf(block);
        rescue = List.copyOf(rescue);
        always = List.copyOf(always);
        when = List.copyOf(when);
        tags = Set.copyOf(tags);
    }
}
