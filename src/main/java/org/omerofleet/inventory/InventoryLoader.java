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
import org.omerofleet.yaml.Vault;
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

    private final Vault vault;

    /** Create a loader without vault passwords; it keeps no state between calls. */
    public InventoryLoader() {
        this(Vault.none());
    }

    /** Create a loader decrypting vault-encrypted files and {@code !vault} values with {@code vault}. */
    public InventoryLoader(Vault vault) {
        this.vault = vault;
    }

    /** {@return whether {@code source} is a host list such as {@code a.example.org,b.example.org} rather than a file} */
    public static boolean isHostList(String source) {
        return source.contains(",") && !Files.exists(Path.of(source));
    }

    /**
     * {@return the inventory named by {@code -i}}: a host list when {@code source} holds a comma and is no
     * existing file (as Ansible's {@code host_list} plugin reads it), else the file.
     */
    public Inventory load(String source) throws InvalidInputException {
        return isHostList(source) ? hostList(source) : load(Path.of(source));
    }

    /**
     * {@return the hosts of a comma-separated list}, each {@code name}, {@code name:port} or
     * {@code [ipv6]:port}, all in {@code ungrouped}; empty items are ignored, so {@code host,} is one host.
     * No variable files are read for a host list.
     */
    public Inventory hostList(String source) throws InvalidInputException {
        Path name = Path.of(source.replace('/', '_'));
        List<InputError> errors = new ArrayList<>();
        StringBuilder ini = new StringBuilder();
        int column = 1;
        for (String item : source.split(",", -1)) {
            String host = item.strip();
            if (host.matches(".*[\\s=#;'\"].*")) {
                errors.add(new InputError(new SourcePosition(name, 1, column), "'" + host + "' in the host list is not a host name",
                        "list host names or addresses separated by commas, e.g. -i omero1.example.org,omero2.example.org,"));
            } else if (!host.isEmpty()) {
                ini.append(host).append('\n');
            }
            column += item.length() + 1;
        }
        RawInventory raw = new RawInventory(name);
        if (errors.isEmpty()) {
            new IniInventoryParser(name, raw, errors).parse(ini.toString());
        }
        return built(raw, errors);
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
        List<InputError> errors = new ArrayList<>();
        RawInventory raw = new RawInventory(file);
        if (isYaml(file)) {
            try {
                new YamlInventoryParser(raw, errors).parse(YamlReader.read(file, vault));
            } catch (InvalidInputException e) {
                errors.addAll(e.errors());
            }
        } else {
            String text = InputFiles.read(file);
            boolean encrypted = Vault.isEncrypted(text);
            new IniInventoryParser(file, raw, errors).parse(YamlReader.readText(file, vault));
            if (encrypted) {
                revealValues(raw);
            }
        }
        Path dir = file.getParent() != null ? file.getParent() : Path.of("");
        new VarsFiles(dir, errors, vault).load(raw);
        return built(raw, errors);
    }

    /** The variable values of an encrypted INI inventory are secrets, as those of an encrypted YAML file are. */
    private void revealValues(RawInventory raw) {
        raw.hosts.values().forEach(h -> h.vars.values().forEach(v -> vault.reveal(v.text())));
        raw.groups.values().forEach(g -> g.vars.values().forEach(v -> vault.reveal(v.text())));
    }

    private static Inventory built(RawInventory raw, List<InputError> errors) throws InvalidInputException {
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
