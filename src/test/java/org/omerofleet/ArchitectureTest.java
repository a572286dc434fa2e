package org.omerofleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Enforce the package dependency table of CONTRIBUTING.md on the main sources.
 *
 * <p>Every package is its own node, sub-packages included ({@code modules.omero} is not {@code modules}),
 * and a reference is any {@code org.omerofleet.x.Y} in the code, in an import line or written out in
 * full, so neither a sub-package nor a fully qualified name can hide an edge. Comments and string
 * literals are not code and are left out.
 */
class ArchitectureTest {

    private static final Path ROOT = Path.of("src/main/java/org/omerofleet");

    /** Which project packages each package may use besides itself. A sub-package is a package of its own. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("cli", Set.of("*")),
            Map.entry("report", Set.of("executor", "inventory", "result", "db", "playbook", "input")),
            Map.entry("executor", Set.of("playbook", "inventory", "modules", "transport", "result", "input", "journal")),
            Map.entry("journal", Set.of()),
            Map.entry("playbook", Set.of("inventory", "yaml", "input")),
            Map.entry("inventory", Set.of("yaml", "input")),
            Map.entry("yaml", Set.of("input")),
            Map.entry("input", Set.of()),
            Map.entry("modules", Set.of("transport", "result", "input")),
            Map.entry("modules.omero", Set.of("modules", "transport", "result", "omero", "db")),
            Map.entry("omero", Set.of()),
            Map.entry("db", Set.of()),
            Map.entry("transport", Set.of()),
            Map.entry("transport.mina", Set.of("transport")),
            Map.entry("transport.jsch", Set.of("transport")),
            Map.entry("result", Set.of()),
            Map.entry("sandbox", Set.of("transport", "omero")),
            Map.entry("bench", Set.of("sandbox", "inventory")));

    /** A project type named in code: its package is the lower-case segments before the first capitalised one. */
    private static final Pattern REFERENCE = Pattern.compile("\\borg\\.omerofleet\\.((?:[a-z][a-z0-9_]*\\.)*[a-z][a-z0-9_]*)\\.(?:[A-Z]|\\*)");

    @Test
    void packagesDependOnlyDownTheTable() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Map.Entry<Path, Set<String>> file : references().entrySet()) {
            String pkg = packageOf(file.getKey());
            Set<String> allowed = ALLOWED.get(pkg);
            if (allowed == null) {
                violations.add(file.getKey() + ": package '" + pkg + "' is not in the dependency table");
                continue;
            }
            for (String target : file.getValue()) {
                if (!target.equals(pkg) && !allowed.contains("*") && !allowed.contains(target)) {
                    violations.add(file.getKey() + " uses org.omerofleet." + target);
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void packagesFormNoCycle() throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Map.Entry<Path, Set<String>> file : references().entrySet()) {
            String pkg = packageOf(file.getKey());
            for (String target : file.getValue()) {
                if (!target.equals(pkg)) {
                    graph.computeIfAbsent(pkg, k -> new TreeSet<>()).add(target);
                }
            }
        }
        assertEquals(List.of(), cycles(graph));
    }

    @Test
    void theTableItselfIsAcyclic() {
        Map<String, Set<String>> graph = new TreeMap<>();
        ALLOWED.forEach((pkg, allowed) -> graph.put(pkg, allowed.contains("*") ? Set.of() : new TreeSet<>(allowed)));
        assertEquals(List.of(), cycles(graph));
    }

    @Test
    void onlyCliNamesAConcreteTransport() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Map.Entry<Path, Set<String>> file : references().entrySet()) {
            String pkg = packageOf(file.getKey());
            if (pkg.equals("cli") || pkg.startsWith("transport")) {
                continue;
            }
            for (String target : file.getValue()) {
                if (target.equals("transport.mina") || target.equals("transport.jsch")) {
                    violations.add(file.getKey() + " uses org.omerofleet." + target);
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void fullyQualifiedNamesAndSubPackagesAreSeen() {
        String code = """
                package org.omerofleet.modules;
                // org.omerofleet.cli.Main in a comment is no dependency
                /* nor org.omerofleet.report.ConsoleReporter here */
                class X {
                    String s = "org.omerofleet.executor.RunListener";
                    Object o = new org.omerofleet.modules.omero.OmeroModules();
                    org.omerofleet.result.TaskResult.Status status;
                }
                """;
        assertEquals(Set.of("modules.omero", "result"), referencedPackages(code));
    }

    private static Map<Path, Set<String>> references() throws IOException {
        Map<Path, Set<String>> references = new TreeMap<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                references.put(file, referencedPackages(Files.readString(file)));
            }
        }
        return references;
    }

    /** {@return the dotted package of {@code file} below org.omerofleet, or "" for the root} */
    private static String packageOf(Path file) {
        Path dir = ROOT.relativize(file).getParent();
        return dir == null ? "" : dir.toString().replace(file.getFileSystem().getSeparator(), ".");
    }

    static Set<String> referencedPackages(String source) {
        Set<String> packages = new TreeSet<>();
        Matcher m = REFERENCE.matcher(codeOnly(source).replaceFirst("(?m)^package [^;]*;", ""));
        while (m.find()) {
            packages.add(m.group(1));
        }
        return packages;
    }

    /** {@return {@code source} with comments removed and string, text-block and char literals emptied} */
    static String codeOnly(String source) {
        StringBuilder code = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            if (source.startsWith("//", i)) {
                i = end(source, "\n", i + 2) - 1;
            } else if (source.startsWith("/*", i)) {
                i = end(source, "*/", i + 2);
                code.append(' ');
            } else if (source.startsWith("\"\"\"", i)) {
                i = endOfLiteral(source, "\"\"\"", i + 3);
                code.append("\"\"");
            } else if (source.charAt(i) == '"' || source.charAt(i) == '\'') {
                String quote = String.valueOf(source.charAt(i));
                i = endOfLiteral(source, quote, i + 1);
                code.append(quote).append(quote);
            } else {
                code.append(source.charAt(i++));
            }
        }
        return code.toString();
    }

    private static int end(String source, String terminator, int from) {
        int at = source.indexOf(terminator, from);
        return at < 0 ? source.length() : at + terminator.length();
    }

    private static int endOfLiteral(String source, String quote, int from) {
        int i = from;
        while (i < source.length() && !source.startsWith(quote, i)) {
            i += source.charAt(i) == '\\' ? 2 : 1;
        }
        return Math.min(source.length(), i + quote.length());
    }

    /** {@return every cycle's packages, one string per strongly connected group of two or more} */
    private static List<String> cycles(Map<String, Set<String>> graph) {
        List<String> cycles = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String start : graph.keySet()) {
            if (seen.contains(start)) {
                continue;
            }
            Set<String> forward = reachable(graph, start);
            Set<String> group = new TreeSet<>();
            for (String other : forward) {
                if (reachable(graph, other).contains(start)) {
                    group.add(other);
                }
            }
            if (!group.isEmpty()) {
                group.add(start);
                seen.addAll(group);
                cycles.add(String.join(" <-> ", group));
            }
        }
        return cycles;
    }

    private static Set<String> reachable(Map<String, Set<String>> graph, String from) {
        Set<String> reached = new HashSet<>();
        List<String> todo = new ArrayList<>(graph.getOrDefault(from, Set.of()));
        while (!todo.isEmpty()) {
            String next = todo.remove(todo.size() - 1);
            if (reached.add(next)) {
                todo.addAll(graph.getOrDefault(next, Set.of()));
            }
        }
        return reached;
    }
}
