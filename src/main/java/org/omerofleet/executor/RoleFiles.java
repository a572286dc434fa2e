package org.omerofleet.executor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Find a role task's controller file as Ansible does: a relative {@code src} of a task from a role is
 * looked for in the role's {@code templates/} (for {@code template}) or {@code files/} (for the others),
 * then in the role itself and its {@code tasks/}; found, it becomes absolute. Otherwise it stays relative to
 * the playbook.
 */
final class RoleFiles {

    private RoleFiles() {
    }

    static Map<String, Object> resolve(String module, Map<String, Object> args, Object rolePath) {
        if (!(rolePath instanceof String role) || !(args.get("src") instanceof String src) || src.isEmpty() || Path.of(src).isAbsolute()
                || Boolean.TRUE.equals(args.get("remote_src")) || "true".equalsIgnoreCase(String.valueOf(args.get("remote_src")))
                || "yes".equalsIgnoreCase(String.valueOf(args.get("remote_src")))) {
            return args;
        }
        Path dir = Path.of(role);
        String kind = module.equals("template") ? "templates" : "files";
        for (Path candidate : List.of(dir.resolve(kind).resolve(src), dir.resolve(src), dir.resolve("tasks").resolve(src))) {
            if (Files.exists(candidate)) {
                Map<String, Object> out = new LinkedHashMap<>(args);
                out.put("src", candidate.toAbsolutePath().normalize().toString());
                return out;
            }
        }
        return args;
    }
}
