package org.omerofleet.inventory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One inventory host with its variables already merged by Ansible's precedence (host_vars and inline
 * host vars over the nearest group over its parents over {@code all}); extra vars ({@code -e}) are
 * applied later by the executor, on top.
 *
 * @param name   the inventory name ({@code inventory_hostname})
 * @param vars   merged variables, in a stable order
 * @param groups every group the host belongs to, directly or through children, {@code all} first
 */
public record Host(String name, Map<String, Object> vars, List<String> groups) {

    public Host {
        Objects.requireNonNull(name, "name");
        vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
        groups = List.copyOf(groups);
    }
}
