package org.omerofleet.inventory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One inventory group as written: its own variables, direct hosts and child groups.
 */
public record Group(String name, Map<String, Object> vars, List<String> hosts, List<String> children) {

    public Group {
        Objects.requireNonNull(name, "name");
        vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
        hosts = List.copyOf(hosts);
        children = List.copyOf(children);
    }
}
