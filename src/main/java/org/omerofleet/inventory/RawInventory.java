package org.omerofleet.inventory;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.omerofleet.input.SourcePosition;

/**
 * Collect hosts, groups and variables while one inventory is being read; {@link InventoryBuilder}
 * turns it into the immutable {@link Inventory}. Lives only for one {@link InventoryLoader#load} call.
 */
final class RawInventory {

    static final String ALL = "all";
    static final String UNGROUPED = "ungrouped";

    final Path source;
    /** Groups in the order they were first seen; {@code all} and {@code ungrouped} come first. */
    final Map<String, RawGroup> groups = new LinkedHashMap<>();
    /** Hosts in the order they were first seen: the inventory order. */
    final Map<String, RawHost> hosts = new LinkedHashMap<>();

    RawInventory(Path source) {
        this.source = Objects.requireNonNull(source, "source");
        group(ALL, SourcePosition.of(source));
        group(UNGROUPED, SourcePosition.of(source));
    }

    RawGroup group(String name, SourcePosition where) {
        return groups.computeIfAbsent(name, n -> new RawGroup(n, where));
    }

    RawHost host(String name, SourcePosition where) {
        return hosts.computeIfAbsent(name, n -> new RawHost(n, where));
    }

    void addHost(RawGroup group, RawHost host) {
        group.hosts.add(host.name);
        host.groups.add(group.name);
    }

    /** One group as written: its own variables, direct hosts and children (with where each is named). */
    static final class RawGroup {
        final String name;
        final SourcePosition where;
        final Map<String, Var> vars = new LinkedHashMap<>();
        final Map<String, Var> fileVars = new LinkedHashMap<>();
        final Set<String> hosts = new LinkedHashSet<>();
        final Map<String, SourcePosition> children = new LinkedHashMap<>();
        /** Ansible's {@code ansible_group_priority}: breaks ties between groups of equal depth. */
        int priority = 1;

        RawGroup(String name, SourcePosition where) {
            this.name = name;
            this.where = where;
        }
    }

    /** One host: where it was first named, its own variables and the groups that list it directly. */
    static final class RawHost {
        final String name;
        final SourcePosition where;
        final Map<String, Var> vars = new LinkedHashMap<>();
        final Map<String, Var> fileVars = new LinkedHashMap<>();
        final Set<String> groups = new LinkedHashSet<>();

        RawHost(String name, SourcePosition where) {
            this.name = name;
            this.where = where;
        }
    }
}
