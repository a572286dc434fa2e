package org.omerofleet.modules;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Find modules by name, accepting Ansible's qualified names ({@code ansible.builtin.command}) for the
 * modules we have, so plain Ansible playbooks that use only those run unchanged.
 */
public final class ModuleRegistry {

    private static final List<String> PREFIXES = List.of("ansible.builtin.", "ansible.legacy.", "omero.fleet.");

    private final Map<String, Module> modules;

    public ModuleRegistry(Collection<? extends Module> modules) {
        Map<String, Module> byName = new LinkedHashMap<>();
        for (Module module : modules) {
            if (byName.put(module.name(), module) != null) {
                throw new IllegalArgumentException("two modules are named " + module.name());
            }
        }
        this.modules = Map.copyOf(byName);
    }

    /** {@return the module a playbook name refers to} */
    public Optional<Module> find(String name) {
        return Optional.ofNullable(modules.get(canonical(name)));
    }

    /** {@return the short name for a possibly qualified one} */
    public static String canonical(String name) {
        for (String prefix : PREFIXES) {
            if (name.startsWith(prefix)) {
                return name.substring(prefix.length());
            }
        }
        return name;
    }

    public Collection<Module> all() {
        return modules.values();
    }
}
