package org.omerofleet.playbook;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where roles and their files are found, as Ansible finds them: {@code roles/} beside the playbook, then
 * the roles path in order, then beside the playbook itself; a name with a slash is a path from the playbook.
 */
final class Roles {

    /** Which files of a role to read: {@code tasks_from}, {@code vars_from}, {@code defaults_from}, {@code handlers_from}. */
    record Parts(String tasksFrom, String varsFrom, String defaultsFrom, String handlersFrom) {
        static final Parts MAIN = new Parts("main", "main", "main", "main");
    }

    private Roles() {
    }

    static List<Path> candidates(String name, Path playbookDir, List<Path> rolesPath) {
        List<Path> out = new ArrayList<>();
        if (name.contains("/")) {
            out.add(playbookDir.resolve(name));
            return out;
        }
        out.add(playbookDir.resolve("roles").resolve(name));
        rolesPath.forEach(dir -> out.add(playbookDir.resolve(dir).resolve(name)));
        out.add(playbookDir.resolve(name));
        return out;
    }

    static Optional<Path> find(String name, Path playbookDir, List<Path> rolesPath) {
        return candidates(name, playbookDir, rolesPath).stream().map(p -> p.toAbsolutePath().normalize()).filter(Files::isDirectory)
                .findFirst();
    }

    static String searched(String name, Path playbookDir, List<Path> rolesPath) {
        return candidates(name, playbookDir, rolesPath).stream().map(Path::toString).collect(Collectors.joining(", "));
    }

    /** {@return the file {@code name} of a role's directory: {@code name.yml}, {@code name.yaml} or {@code name} itself} */
    static Optional<Path> file(Path dir, String name) {
        for (String candidate : List.of(name + ".yml", name + ".yaml", name)) {
            Path p = dir.resolve(candidate).toAbsolutePath().normalize();
            if (Files.isRegularFile(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
