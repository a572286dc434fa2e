package org.omerofleet.modules;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Find a controller file a task names, where Ansible looks: an absolute path as it is; a relative one
 * in the role's {@code files/} or {@code templates/} ({@code role_path}), the role itself, then the
 * same directory beside the playbook, then beside the playbook.
 */
final class ControllerFiles {

    private ControllerFiles() {
    }

    /** {@return the file, or null when none of the places holds it} */
    static Path find(TaskContext context, String src, String kind) {
        Path given = Path.of(src);
        if (given.isAbsolute()) {
            return Files.isRegularFile(given) ? given : null;
        }
        List<Path> candidates = new ArrayList<>();
        Object rolePath = context.vars().get("role_path");
        if (rolePath != null) {
            candidates.add(Path.of(String.valueOf(rolePath)).resolve(kind).resolve(src));
            candidates.add(Path.of(String.valueOf(rolePath)).resolve(src));
        }
        candidates.add(context.baseDir().resolve(kind).resolve(src));
        candidates.add(context.baseDir().resolve(src));
        return candidates.stream().filter(Files::isRegularFile).findFirst().orElse(null);
    }
}
