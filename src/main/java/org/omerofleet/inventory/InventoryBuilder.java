package org.omerofleet.inventory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.omerofleet.input.InputError;
import org.omerofleet.input.SourcePosition;
import org.omerofleet.inventory.RawInventory.RawGroup;
import org.omerofleet.inventory.RawInventory.RawHost;

/**
 * Turn a {@link RawInventory} into an {@link Inventory}: check the group graph, work out memberships
 * and merge each host's variables in Ansible's order.
 *
 * <p>The merge follows Ansible's {@code VariableManager} with the default
 * {@code VARIABLE_PRECEDENCE}: group variables from the inventory file ({@code all} first, then the
 * host's other groups sorted by depth, then {@code ansible_group_priority}, then name), then
 * {@code group_vars/} files in the same group order, then the host's inline variables, then
 * {@code host_vars/}. So a {@code group_vars/} file of a parent group beats an inline variable of a
 * child group, as documented in "Understanding variable precedence" (items 3-9). Merging is shallow
 * ({@code hash_behaviour=replace}).
 */
final class InventoryBuilder {

    private final RawInventory raw;
    private final List<InputError> errors;
    private final Map<String, List<String>> parents = new HashMap<>();
    private final Map<String, Integer> depths = new HashMap<>();

    InventoryBuilder(RawInventory raw, List<InputError> errors) {
        this.raw = raw;
        this.errors = errors;
    }

    /** {@return the inventory, or empty when the group graph is too broken to merge variables} */
    Optional<Inventory> build() {
        checkNames();
        checkVars();
        List<String> allChildren = attachTopLevelGroups();
        if (!acyclic()) {
            return Optional.empty();
        }
        if (raw.hosts.isEmpty() && errors.isEmpty()) {
            errors.add(new InputError(SourcePosition.of(raw.source), "the inventory has no hosts",
                    "list at least one host, e.g. under all: hosts:"));
        }
        settleUngrouped();
        Map<String, Host> hosts = new LinkedHashMap<>();
        for (RawHost host : raw.hosts.values()) {
            hosts.put(host.name, host(host));
        }
        Map<String, Group> groups = new LinkedHashMap<>();
        for (RawGroup group : raw.groups.values()) {
            Map<String, Object> vars = new LinkedHashMap<>();
            group.vars.forEach((k, v) -> vars.put(k, v.value()));
            group.fileVars.forEach((k, v) -> vars.put(k, v.value()));
            boolean isAll = group.name.equals(RawInventory.ALL);
            groups.put(group.name, new Group(group.name, vars, isAll ? List.of() : new ArrayList<>(group.hosts),
                    isAll ? allChildren : new ArrayList<>(group.children.keySet())));
        }
        return Optional.of(new Inventory(raw.source, hosts, groups));
    }

    private void checkNames() {
        for (RawHost host : raw.hosts.values()) {
            RawGroup group = raw.groups.get(host.name);
            if (group != null) {
                errors.add(new InputError(host.where, "'" + host.name + "' is both a host and a group (group at "
                        + group.where + ")", "rename one of them: a host pattern could not tell them apart"));
            }
        }
    }

    private void checkVars() {
        for (RawGroup group : raw.groups.values()) {
            group.vars.forEach((name, var) -> Rules.checkVar(name, var, errors));
            group.fileVars.forEach((name, var) -> Rules.checkVar(name, var, errors));
        }
        for (RawHost host : raw.hosts.values()) {
            host.vars.forEach((name, var) -> Rules.checkVar(name, var, errors));
            host.fileVars.forEach((name, var) -> Rules.checkVar(name, var, errors));
        }
    }

    /** Make every group without a parent a child of {@code all}, as Ansible's reconcile step does. */
    private List<String> attachTopLevelGroups() {
        for (RawGroup group : raw.groups.values()) {
            for (String child : group.children.keySet()) {
                parents.computeIfAbsent(child, c -> new ArrayList<>()).add(group.name);
            }
        }
        List<String> allChildren = new ArrayList<>(List.of(RawInventory.UNGROUPED));
        for (RawGroup group : raw.groups.values()) {
            String name = group.name;
            if (name.equals(RawInventory.ALL) || name.equals(RawInventory.UNGROUPED)) {
                continue;
            }
            List<String> mine = parents.computeIfAbsent(name, n -> new ArrayList<>());
            if (mine.isEmpty()) {
                mine.add(RawInventory.ALL);
            }
            if (mine.contains(RawInventory.ALL)) {
                allChildren.add(name);
            }
        }
        List<String> ungroupedParents = parents.computeIfAbsent(RawInventory.UNGROUPED, n -> new ArrayList<>());
        if (!ungroupedParents.contains(RawInventory.ALL)) {
            ungroupedParents.add(RawInventory.ALL);
        }
        return allChildren;
    }

    private boolean acyclic() {
        Map<String, List<String>> children = new HashMap<>();
        parents.forEach((child, ps) -> ps.forEach(p -> children.computeIfAbsent(p, x -> new ArrayList<>()).add(child)));
        Set<String> done = new LinkedHashSet<>();
        boolean ok = true;
        for (String start : raw.groups.keySet()) {
            ok &= visit(start, children, new ArrayDeque<>(), done);
        }
        return ok;
    }

    private boolean visit(String group, Map<String, List<String>> children, Deque<String> path, Set<String> done) {
        if (done.contains(group)) {
            return true;
        }
        path.addLast(group);
        boolean ok = true;
        for (String child : children.getOrDefault(group, List.of())) {
            if (path.contains(child)) {
                List<String> cycle = new ArrayList<>(path);
                cycle = cycle.subList(cycle.indexOf(child), cycle.size());
                SourcePosition where = raw.groups.get(group).children.getOrDefault(child, raw.groups.get(group).where);
                errors.add(new InputError(where, "group '" + child + "' is its own ancestor: "
                        + String.join(" -> ", cycle) + " -> " + child, "children must not form a loop"));
                ok = false;
            } else {
                ok &= visit(child, children, path, done);
            }
        }
        path.removeLast();
        done.add(group);
        return ok;
    }

    /** Ansible's depth: the longest path of children from {@code all}. */
    private int depth(String group) {
        Integer known = depths.get(group);
        if (known != null) {
            return known;
        }
        int depth = 0;
        for (String parent : parents.getOrDefault(group, List.of())) {
            depth = Math.max(depth, depth(parent) + 1);
        }
        depths.put(group, depth);
        return depth;
    }

    /** Put hosts with no group but {@code all} into {@code ungrouped}, and take the others out of it. */
    private void settleUngrouped() {
        RawGroup ungrouped = raw.groups.get(RawInventory.UNGROUPED);
        for (RawHost host : raw.hosts.values()) {
            boolean elsewhere = host.groups.stream()
                    .anyMatch(g -> !g.equals(RawInventory.ALL) && !g.equals(RawInventory.UNGROUPED));
            if (elsewhere) {
                host.groups.remove(RawInventory.UNGROUPED);
                ungrouped.hosts.remove(host.name);
            } else {
                host.groups.add(RawInventory.UNGROUPED);
                ungrouped.hosts.add(host.name);
            }
        }
    }

    private Host host(RawHost host) {
        Set<String> member = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(host.groups);
        while (!todo.isEmpty()) {
            String group = todo.removeFirst();
            if (member.add(group)) {
                todo.addAll(parents.getOrDefault(group, List.of()));
            }
        }
        member.add(RawInventory.ALL);
        List<RawGroup> ordered = new ArrayList<>();
        member.forEach(name -> ordered.add(raw.groups.get(name)));
        ordered.sort(Comparator.<RawGroup>comparingInt(g -> depth(g.name)).thenComparingInt(g -> g.priority)
                .thenComparing(g -> g.name));

        Map<String, Object> vars = new LinkedHashMap<>();
        ordered.forEach(g -> g.vars.forEach((k, v) -> vars.put(k, v.value())));
        ordered.forEach(g -> g.fileVars.forEach((k, v) -> vars.put(k, v.value())));
        host.vars.forEach((k, v) -> vars.put(k, v.value()));
        host.fileVars.forEach((k, v) -> vars.put(k, v.value()));
        if (vars.containsKey(Rules.PORT)) {
            Rules.port(vars.get(Rules.PORT)).ifPresent(port -> vars.put(Rules.PORT, port));
        }
        List<String> groups = new ArrayList<>();
        ordered.forEach(g -> groups.add(g.name));
        return new Host(host.name, vars, groups);
    }
}
