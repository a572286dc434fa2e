package org.omerofleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Enforce the package dependency table of DESIGN.md by reading import lines of the main sources.
 */
class ArchitectureTest {

    /** Which project packages each package may import (besides itself and its own subpackages). */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("cli", Set.of("*")),
            Map.entry("report", Set.of("executor", "inventory", "result", "db", "playbook", "input")),
            Map.entry("executor", Set.of("playbook", "inventory", "modules", "transport", "result", "input", "journal")),
            Map.entry("journal", Set.of()),
            Map.entry("playbook", Set.of("inventory", "yaml", "input")),
            Map.entry("inventory", Set.of("yaml", "input")),
            Map.entry("yaml", Set.of("input")),
            Map.entry("input", Set.of()),
            Map.entry("modules", Set.of("transport", "result", "omero", "db")),
            Map.entry("omero", Set.of()),
            Map.entry("db", Set.of()),
            Map.entry("transport", Set.of()),
            Map.entry("result", Set.of()),
            Map.entry("sandbox", Set.of("transport", "omero")));

    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?org\\.omerofleet\\.([a-z]+)(\\.[a-z]+)*\\.", Pattern.MULTILINE);

    @Test
    void packagesDependOnlyDownTheTable() throws IOException {
        Path root = Path.of("src/main/java/org/omerofleet");
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = root.relativize(file).getName(0).toString();
                if (pkg.endsWith(".java")) {
                    continue;
                }
                Set<String> allowed = ALLOWED.get(pkg);
                if (allowed == null) {
                    violations.add(file + ": package '" + pkg + "' is not in the dependency table");
                    continue;
                }
                Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    String target = m.group(1);
                    if (!target.equals(pkg) && !allowed.contains("*") && !allowed.contains(target)) {
                        violations.add(file + " imports org.omerofleet." + target);
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void onlyCliNamesAConcreteTransport() throws IOException {
        Path root = Path.of("src/main/java/org/omerofleet");
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String rel = root.relativize(file).toString();
                if (rel.startsWith("cli/") || rel.startsWith("transport/") || rel.startsWith("sandbox/")) {
                    continue;
                }
                if (Files.readString(file).matches("(?s).*import org\\.omerofleet\\.transport\\.(mina|jsch)\\..*")) {
                    violations.add(rel);
                }
            }
        }
        assertEquals(List.of(), violations);
    }
}
