package org.omerofleet.inventory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.omerofleet.input.InputError;
import org.omerofleet.input.InputFiles;
import org.omerofleet.input.InvalidInputException;
import org.omerofleet.input.SourcePosition;
import org.omerofleet.yaml.YamlReader;

/**
 * Load an Ansible inventory file with its {@code group_vars/} and {@code host_vars/}.
 *
 * <p>Files ending in {@code .yml}, {@code .yaml} or {@code .json} are read as Ansible's YAML
 * inventory; anything else as Ansible's INI inventory. Variable files are looked up beside the
 * inventory file. Groups {@code all} and {@code ungrouped} always exist; {@code all} lists no hosts
 * directly (every host is in it) and has every top-level group as a child.
 *
 * <p>Each {@link Host} carries its variables merged in Ansible's order: inventory-file group vars
 * ({@code all}, then shallower before deeper groups, equal depths by {@code ansible_group_priority}
 * then name), then {@code group_vars/} files in the same order, then the host's inline vars, then
 * {@code host_vars/}. A valid {@code ansible_port} is normalised to an {@link Integer}; other values
 * keep the types their format gives them (YAML: String, Long, Double, Boolean, null, List, Map; INI:
 * Python literals, else String). {@code ansible_group_priority} is used for ordering and not kept as a
 * variable, as in Ansible.
 *
 * <p>Everything is checked before anything is returned (reliability.md IN-01 to IN-03), and all
 * problems found are reported together in one {@link InvalidInputException}, each with
 * file:line:column.
 */
public final class InventoryLoader {

    /** Create a loader; it keeps no state between calls. */
    public InventoryLoader() {
    }

    /** {@return the inventory in {@code file}, merged with the variable files beside it} */
    public Inventory load(Path file) throws InvalidInputException {
        if (!Files.exists(file)) {
            throw new InvalidInputException(new InputError(SourcePosition.of(file), "inventory file not found"));
        }
        if (Files.isDirectory(file)) {
            throw new InvalidInputException(new InputError(SourcePosition.of(file),
                    "inventory is a directory", "pass the inventory file itself"));
        }
        String text = InputFiles.read(file);
        List<InputError> errors = new ArrayList<>();
        RawInventory raw = new RawInventory(file);
        if (isYaml(file)) {
            try {
                new YamlInventoryParser(raw, errors).parse(YamlReader.parse(file, text));
            } catch (InvalidInputException e) {
                errors.addAll(e.errors());
            }
        } else {
            new IniInventoryParser(file, raw, errors).parse(text);
        }
        Path dir = file.getParent() != null ? file.getParent() : Path.of("");
        new VarsFiles(dir, errors).load(raw);
        Optional<Inventory> inventory = new InventoryBuilder(raw, errors).build();
        if (!errors.isEmpty() || inventory.isEmpty()) {
            List<InputError> sorted = new ArrayList<>(errors);
            sorted.sort(Comparator.comparing((InputError e) -> e.where().file().toString())
                    .thenComparingInt(e -> e.where().line()).thenComparingInt(e -> e.where().column()));
            throw new InvalidInputException(sorted);
        }
        return inventory.get();
    }

    private static boolean isYaml(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yml") || name.endsWith(".yaml") || name.endsWith(".json");
    }
}
