package org.omerofleet.inventory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.omerofleet.input.InputError;
import org.omerofleet.input.SourcePosition;
import org.omerofleet.input.Suggestions;
import org.omerofleet.inventory.RawInventory.RawGroup;
import org.omerofleet.inventory.RawInventory.RawHost;
import org.omerofleet.yaml.YamlNode;

/**
 * Read an inventory in the format of Ansible's YAML plugin ({@code lib/ansible/plugins/inventory/yaml.py}):
 * top-level keys are groups ({@code all} or any other), each a mapping of {@code hosts}, {@code vars}
 * and {@code children}, children nesting to any depth. A group or host named in several places is one
 * group or host, its entries merged.
 *
 * <p>Where Ansible only warns (an unknown key in a group, a group that is not a mapping) this is an
 * error, since the usual cause is a host or variable in the wrong place.
 */
final class YamlInventoryParser {

    private static final List<String> SECTIONS = List.of("hosts", "vars", "children");

    private final RawInventory inventory;
    private final List<InputError> errors;

    YamlInventoryParser(RawInventory inventory, List<InputError> errors) {
        this.inventory = inventory;
        this.errors = errors;
    }

    void parse(YamlNode root) {
        if (!(root instanceof YamlNode.Mapping)) {
            errors.add(new InputError(root.position(), "a YAML inventory must be a mapping of groups, got " + root.kind(),
                    "start with 'all:' and put hosts under 'hosts:'"));
            return;
        }
        YamlNode.Mapping groups = (YamlNode.Mapping) root;
        if (groups.entries().containsKey("plugin")) {
            errors.add(new InputError(groups.keyPosition("plugin"),
                    "this is an inventory plugin configuration, not a YAML inventory"));
            return;
        }
        groups.entries().forEach((name, data) -> group(name, groups.keyPosition(name), data));
    }

    private Optional<RawGroup> group(String name, SourcePosition where, YamlNode data) {
        Optional<InputError> bad = Rules.groupName(name, where);
        if (bad.isPresent()) {
            errors.add(bad.get());
            return Optional.empty();
        }
        if (!(data instanceof YamlNode.Mapping) && !isNull(data)) {
            errors.add(new InputError(data.position(), "group '" + name + "' must be a mapping of hosts, vars and "
                    + "children, got " + data.kind(), "write '" + name + ":' and indent 'hosts:' below it"));
            return Optional.empty();
        }
        RawGroup group = inventory.group(name, where);
        if (isNull(data)) {
            return Optional.of(group);
        }
        YamlNode.Mapping sections = (YamlNode.Mapping) data;
        sections.entries().forEach((key, value) -> {
            SourcePosition keyWhere = sections.keyPosition(key);
            switch (key) {
                case "hosts":
                    entries(key, name, value).forEach((host, hostData) -> host(group, host, hostData.where, hostData.node));
                    break;
                case "vars":
                    entries(key, name, value).forEach((var, varData) -> groupVar(group, var, varData.where, varData.node));
                    break;
                case "children":
                    entries(key, name, value).forEach((child, childData) ->
                            group(child, childData.where, childData.node)
                                    .ifPresent(c -> group.children.putIfAbsent(c.name, childData.where)));
                    break;
                default:
                    errors.add(new InputError(keyWhere, "unknown key '" + key + "' in group '" + name + "'",
                            Suggestions.didYouMean(key, SECTIONS).orElse(
                                    "a group holds only 'hosts', 'vars' and 'children'; put '" + key
                                            + "' under one of them")));
            }
        });
        return Optional.of(group);
    }

    private void host(RawGroup group, String entry, SourcePosition where, YamlNode data) {
        HostEntry parsed;
        try {
            parsed = HostEntry.parse(entry);
        } catch (HostEntry.BadEntry e) {
            errors.add(new InputError(shift(where, e.offset), e.getMessage(), e.hint));
            return;
        }
        if (!(data instanceof YamlNode.Mapping) && !isNull(data)) {
            errors.add(new InputError(data.position(), "host '" + entry + "' must map to its variables or to "
                    + "nothing, got " + data.kind(), "write '" + entry + ":' alone, or indent 'name: value' pairs below it"));
            return;
        }
        Map<String, Var> vars = new LinkedHashMap<>();
        parsed.port().ifPresent(port -> vars.put(Rules.PORT, new Var(Long.parseLong(port), port,
                shift(where, parsed.portOffset()), Var.Syntax.YAML)));
        if (data instanceof YamlNode.Mapping) {
            YamlNode.Mapping mapping = (YamlNode.Mapping) data;
            mapping.entries().forEach((var, value) -> {
                Optional<InputError> bad = Rules.varName(var, mapping.keyPosition(var));
                if (bad.isPresent()) {
                    errors.add(bad.get());
                } else {
                    vars.put(var, Var.of(value));
                }
            });
        }
        for (String name : parsed.names()) {
            Optional<InputError> bad = Rules.hostName(name, where);
            if (bad.isPresent()) {
                errors.add(bad.get());
                continue;
            }
            RawHost host = inventory.host(name, where);
            inventory.addHost(group, host);
            host.vars.putAll(vars);
        }
    }

    private void groupVar(RawGroup group, String name, SourcePosition where, YamlNode value) {
        Optional<InputError> bad = Rules.varName(name, where);
        if (bad.isPresent()) {
            errors.add(bad.get());
            return;
        }
        if (name.equals(Rules.GROUP_PRIORITY)) {
            Optional<Integer> priority = IniInventoryParser.priority(value.toValue());
            if (priority.isEmpty()) {
                errors.add(new InputError(value.position(), Rules.GROUP_PRIORITY + " must be a whole number, got "
                        + value.kind()));
            } else {
                group.priority = priority.get();
            }
            return;
        }
        group.vars.put(name, Var.of(value));
    }

    /** A named child node with the position of its key. */
    private static final class Entry {
        final SourcePosition where;
        final YamlNode node;

        Entry(SourcePosition where, YamlNode node) {
            this.where = where;
            this.node = node;
        }
    }

    /**
     * {@return the entries of a hosts, vars or children section}; as in Ansible a bare string names
     * one entry with no data, and an empty section has none.
     */
    private Map<String, Entry> entries(String section, String group, YamlNode value) {
        Map<String, Entry> out = new LinkedHashMap<>();
        if (value instanceof YamlNode.Mapping) {
            YamlNode.Mapping mapping = (YamlNode.Mapping) value;
            mapping.entries().forEach((k, v) -> out.put(k, new Entry(mapping.keyPosition(k), v)));
        } else if (value instanceof YamlNode.Scalar && ((YamlNode.Scalar) value).type() == YamlNode.Scalar.Type.STRING
                && !section.equals("vars")) {
            YamlNode.Scalar scalar = (YamlNode.Scalar) value;
            out.put(scalar.text(), new Entry(scalar.position(),
                    new YamlNode.Scalar(scalar.position(), "", YamlNode.Scalar.Type.NULL)));
        } else if (!isNull(value)) {
            errors.add(new InputError(value.position(), "'" + section + "' of group '" + group
                    + "' must be a mapping, got " + value.kind(),
                    section.equals("vars") ? "write 'name: value' pairs" : "write each name followed by ':'"));
        }
        return out;
    }

    private static boolean isNull(YamlNode node) {
        return node instanceof YamlNode.Scalar && ((YamlNode.Scalar) node).type() == YamlNode.Scalar.Type.NULL;
    }

    private static SourcePosition shift(SourcePosition where, int offset) {
        return new SourcePosition(where.file(), where.line(), where.column() + offset);
    }
}
