package org.omerofleet.inventory;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A loaded inventory: hosts in inventory order and groups by name ({@code all} and
 * {@code ungrouped} always present).
 */
public record Inventory(Path source, Map<String, Host> hosts, Map<String, Group> groups) {

    public Inventory {
        Objects.requireNonNull(source, "source");
        hosts = Collections.unmodifiableMap(new LinkedHashMap<>(hosts));
        groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
    }

    public Optional<Host> host(String name) {
        return Optional.ofNullable(hosts.get(name));
    }
}
