package org.omerofleet.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One case of the conformance corpus: a directory named after the behaviour it pins down, holding
 * {@code playbook.yml} and optionally:
 * <ul>
 *   <li>{@code args}: more command-line arguments for both tools, one per line ({@code --check},
 *       {@code -e}, {@code x=1});</li>
 *   <li>{@code inventory.yml}: variables to add to the generated inventory, by group or host name
 *       ({@code all}, {@code fleet}, {@code web}, {@code db}, {@code h1}...);</li>
 *   <li>{@code group_vars/}, {@code host_vars/}: copied beside the generated inventory;</li>
 *   <li>{@code refused}: the case is a construct omero-fleet does not support; the file holds the
 *       {@code playbook.yml:LINE} omero-fleet must name when it refuses it with exit 5 (Ansible is not
 *       asked).</li>
 * </ul>
 * Any other file (a vars file) is copied beside the playbook.
 */
record ConformanceCase(String id, Path dir, List<String> args, Optional<String> refusedAt) {

    static final String PLAYBOOK = "playbook.yml";

    static List<ConformanceCase> all(Path corpus) throws IOException {
        List<ConformanceCase> cases = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(corpus)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                cases.add(read(dir));
            }
        }
        return cases;
    }

    static ConformanceCase read(Path dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve(PLAYBOOK))) {
            throw new IOException("conformance case " + dir + " has no " + PLAYBOOK);
        }
        List<String> args = new ArrayList<>();
        Path argsFile = dir.resolve("args");
        if (Files.exists(argsFile)) {
            for (String line : Files.readAllLines(argsFile, StandardCharsets.UTF_8)) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    args.add(line.strip());
                }
            }
        }
        Path refused = dir.resolve("refused");
        Optional<String> at = Files.exists(refused) ? Optional.of(Files.readString(refused, StandardCharsets.UTF_8).strip()) : Optional.empty();
        return new ConformanceCase(dir.getFileName().toString(), dir, List.copyOf(args), at);
    }

    /**
     * Copy the case into {@code work}: the playbook and its files under {@code play/}, the case's
     * group_vars and host_vars under {@code inventory/}, where the caller writes the inventory.
     *
     * @return the copied playbook
     */
    Path copyTo(Path work) throws IOException {
        Path play = Files.createDirectories(work.resolve("play"));
        Path inventory = Files.createDirectories(work.resolve("inventory"));
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path from : files.toList()) {
                Path rel = dir.relativize(from);
                if (rel.toString().isEmpty() || List.of("args", "inventory.yml", "refused").contains(rel.toString())) {
                    continue;
                }
                String top = rel.getName(0).toString();
                Path to = (top.equals("group_vars") || top.equals("host_vars") ? inventory : play).resolve(rel.toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.createDirectories(to.getParent());
                    Files.copy(from, to);
                }
            }
        }
        return play.resolve(PLAYBOOK);
    }

    Optional<Path> inventoryVars() {
        Path file = dir.resolve("inventory.yml");
        return Files.exists(file) ? Optional.of(file) : Optional.empty();
    }
}
