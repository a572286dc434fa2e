package org.omerofleet.playbook;

import java.util.Optional;
import java.util.Set;

/**
 * Tell the playbook loader which modules exist and what arguments they take, without the playbook
 * package depending on the modules package ({@code cli} adapts the module registry to this).
 */
@FunctionalInterface
public interface ModuleCatalog {

    /** {@return the spec of the module a playbook names, accepting qualified Ansible names} */
    Optional<ModuleSpec> lookup(String name);

    /** What the loader needs to know of one module. */
    record ModuleSpec(String canonicalName, Set<String> parameters, Set<String> required, boolean freeForm) {
        public ModuleSpec {
            parameters = Set.copyOf(parameters);
            required = Set.copyOf(required);
        }
    }
}
