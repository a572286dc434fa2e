package org.omerofleet.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.omerofleet.executor.PlaybookExecutor;
import org.omerofleet.input.InputError;
import org.omerofleet.input.InvalidInputException;
import org.omerofleet.inventory.Inventory;
import org.omerofleet.inventory.InventoryLoader;
import org.omerofleet.modules.Module;
import org.omerofleet.modules.ModuleRegistry;
import org.omerofleet.playbook.LoaderSettings;
import org.omerofleet.playbook.ModuleCatalog;
import org.omerofleet.playbook.Playbook;
import org.omerofleet.playbook.PlaybookLoader;
import org.omerofleet.playbook.Templating;
import org.omerofleet.playbook.VariableCheck;
import org.omerofleet.transport.ConnectionFactory;
import org.omerofleet.yaml.Vault;

/**
 * Hold the collaborators every command needs; built once by {@link Main}, the composition root.
 *
 * @param transports opens the SSH transport for a run, given its connection options
 * @param internalErrors reports a bug: one line, and the stack trace in the run directory once there is one
 */
record Services(PrintStream out, PrintStream err, Clock clock, Random random, Map<String, String> env, Path home,
                String localUser, ModuleRegistry modules, Templating templating,
                Function<ConnectionOptions, ConnectionFactory> transports, InternalErrors internalErrors) {

    /** {@return the same services printing what would go to stdout on {@code stream} instead} */
    Services withOut(PrintStream stream) {
        return new Services(stream, err, clock, random, env, home, localUser, modules, templating, transports, internalErrors);
    }

    /** {@return the module registry as the playbook loader sees it} */
    ModuleCatalog catalog() {
        return name -> modules.find(name).map(Services::spec);
    }

    private static ModuleCatalog.ModuleSpec spec(Module m) {
        return new ModuleCatalog.ModuleSpec(m.name(), m.parameters(), m.required(), m.freeForm());
    }

    /** {@return the Ansible configuration in effect: ANSIBLE_* variables, then the first ansible.cfg found} */
    AnsibleConfig config() {
        return AnsibleConfig.load(env, home, Path.of("").toAbsolutePath(), err);
    }

    /** {@return the inventory file or host list given by -i, without vault passwords} */
    Inventory inventory(Path file) throws InvalidInputException {
        return inventory(file, Vault.none());
    }

    /** {@return the playbook as {@link #playbook(Path, Inventory, Map, LoaderSettings)} with no vault, roles_path or become} */
    Playbook playbook(Path file, Inventory inventory, Map<String, Object> extraVars) throws InvalidInputException {
        return playbook(file, inventory, extraVars, LoaderSettings.defaults());
    }

    /** {@return the inventory file or host list given by -i} */
    Inventory inventory(Path file, Vault vault) throws InvalidInputException {
        if (file == null) {
            throw new UsageException("missing -i/--inventory FILE (or a host list such as -i omero.example.org,)");
        }
        return new InventoryLoader(vault).load(file.toString());
    }

    /** {@return what the loader takes from the command line and ansible.cfg} */
    LoaderSettings loaderSettings(Vault vault, ConnectionOptions connection) {
        return new LoaderSettings(vault, config().rolesPath(home), connection.become, Optional.ofNullable(connection.becomeUser));
    }

    /** {@return the playbook, checked for undefined variables against the inventory and extra vars} */
    Playbook playbook(Path file, Inventory inventory, Map<String, Object> extraVars, LoaderSettings settings)
            throws InvalidInputException {
        Playbook playbook = new PlaybookLoader(catalog(), settings).load(file);
        Set<String> known = new LinkedHashSet<>(extraVars.keySet());
        inventory.hosts().values().forEach(h -> known.addAll(h.vars().keySet()));
        known.add("fleet_run_dir");
        java.util.List<InputError> errors = new VariableCheck().check(playbook, known);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return playbook;
    }

    PlaybookExecutor executor(ConnectionFactory factory, ConnectionOptions connection) {
        return new PlaybookExecutor(modules, templating, new PlaybookExecutor.Reach(factory, new Targets(connection, home, localUser)), clock, random);
    }
}
