package org.omerofleet.inventory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.omerofleet.input.InputError;
import org.omerofleet.input.InvalidInputException;
import org.omerofleet.input.SourcePosition;
import org.omerofleet.yaml.Vault;
import org.omerofleet.yaml.YamlNode;
import org.omerofleet.yaml.YamlReader;

/**
 * Load {@code group_vars/} and {@code host_vars/} beside the inventory file, as Ansible's
 * {@code host_group_vars} plugin finds them: {@code <name>}, {@code <name>.yml}, {@code <name>.yaml}
 * or {@code <name>.json}, either a file or a directory whose files are read in sorted order
 * (recursing into subdirectories, skipping hidden files and {@code ~} backups).
 *
 * <p>Ansible silently reads only the first of {@code web} and {@code web.yml} when both exist; here
 * that is an error, because the other file's variables would be lost without a word.
 */
final class VarsFiles {

    private static final List<String> EXTENSIONS = List.of("", ".yml", ".yaml", ".json");

    private final Path base;
    private final List<InputError> errors;
    private final Vault vault;

    VarsFiles(Path base, List<InputError> errors, Vault vault) {
        this.base = base;
        this.errors = errors;
        this.vault = vault;
    }

    void load(RawInventory inventory) {
        Path groupVars = base.resolve("group_vars");
        Path hostVars = base.resolve("host_vars");
        inventory.groups.values().forEach(group -> read(groupVars, group.name, group.fileVars, true));
        inventory.hosts.values().forEach(host -> read(hostVars, host.name, host.fileVars, false));
    }

    private void read(Path dir, String name, Map<String, Var> into, boolean forGroup) {
        for (Path file : find(dir, name)) {
            YamlNode root;
            try {
                root = YamlReader.read(file, vault);
            } catch (InvalidInputException e) {
                errors.addAll(e.errors());
                continue;
            }
            if (root instanceof YamlNode.Scalar && ((YamlNode.Scalar) root).type() == YamlNode.Scalar.Type.NULL) {
                continue;
            }
            if (!(root instanceof YamlNode.Mapping)) {
                errors.add(new InputError(root.position(), "a vars file must be a mapping of variable names to values, got "
                        + root.kind(), "write 'name: value' pairs"));
                continue;
            }
            YamlNode.Mapping vars = (YamlNode.Mapping) root;
            vars.entries().forEach((var, value) -> {
                SourcePosition where = vars.keyPosition(var);
                Optional<InputError> bad = Rules.varName(var, where);
                if (bad.isPresent()) {
                    errors.add(bad.get());
                } else if (forGroup && var.equals(Rules.GROUP_PRIORITY)) {
                    errors.add(new InputError(where, Rules.GROUP_PRIORITY + " has no effect in group_vars",
                            "set it in the inventory file: Ansible reads it before it loads group_vars"));
                } else {
                    into.put(var, Var.of(value));
                }
            });
        }
    }

    private List<Path> find(Path dir, String name) {
        // names were validated, but a path must never climb out of group_vars/ or host_vars/
        if (name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..") || !Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> candidates = EXTENSIONS.stream().map(ext -> dir.resolve(name + ext)).filter(Files::exists)
                .collect(Collectors.toList());
        if (candidates.isEmpty()) {
            return List.of();
        }
        if (candidates.size() > 1) {
            errors.add(new InputError(SourcePosition.of(candidates.get(1)), "both " + candidates.get(0) + " and "
                    + candidates.get(1) + " exist; Ansible would read only the first",
                    "merge them into one file or one directory"));
        }
        Path first = candidates.get(0);
        if (!Files.isDirectory(first)) {
            return List.of(first);
        }
        List<Path> files = new ArrayList<>();
        walk(first, files, new HashSet<>());
        return files;
    }

    private void walk(Path dir, List<Path> out, Set<Path> seen) {
        try {
            if (!seen.add(dir.toRealPath())) {
                return;
            }
            List<Path> entries;
            try (Stream<Path> list = Files.list(dir)) {
                entries = list.sorted(Comparator.comparing(p -> p.getFileName().toString())).collect(Collectors.toList());
            }
            for (Path entry : entries) {
                String fileName = entry.getFileName().toString();
                if (fileName.startsWith(".") || fileName.endsWith("~")) {
                    continue;
                }
                int dot = fileName.lastIndexOf('.');
                String ext = dot > 0 ? fileName.substring(dot) : "";
                if (Files.isDirectory(entry) && ext.isEmpty()) {
                    walk(entry, out, seen);
                } else if (Files.isRegularFile(entry) && EXTENSIONS.contains(ext)) {
                    out.add(entry);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            errors.add(new InputError(SourcePosition.of(dir), "cannot list directory: " + e.getMessage()));
        }
    }
}
