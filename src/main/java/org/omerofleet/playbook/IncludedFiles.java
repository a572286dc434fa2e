package org.omerofleet.playbook;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.omerofleet.input.InputError;
import org.omerofleet.input.InvalidInputException;
import org.omerofleet.input.SourcePosition;

/**
 * The files an {@code include_tasks} with a templated file name may read: its name is rendered on each host
 * when the include runs, as Ansible does, and the file is then looked up in the directories Ansible uses
 * (beside the including file, the role's {@code tasks/} and the role, beside the playbook), read and checked
 * by the same loader code as any task file. Each file is read once: hosts that include the same file run the
 * same tasks.
 */
public final class IncludedFiles {

    /** Reads and checks one task file as the include's position in the playbook gives it. */
    @FunctionalInterface
    interface Reader {
        List<Step> read(Path file) throws InvalidInputException;
    }

    private final String keyword;
    private final String template;
    private final SourcePosition where;
    private final List<Path> dirs;
    private final Reader reader;
    private final Map<Path, List<Step>> read = new ConcurrentHashMap<>();

    IncludedFiles(String keyword, String template, SourcePosition where, List<Path> dirs, Reader reader) {
        this.keyword = Objects.requireNonNull(keyword, "keyword");
        this.template = Objects.requireNonNull(template, "template");
        this.where = Objects.requireNonNull(where, "where");
        this.dirs = List.copyOf(dirs);
        this.reader = Objects.requireNonNull(reader, "reader");
    }

    /** {@return the file name as written, a template} */
    public String template() {
        return template;
    }

    /** {@return the file {@code name} (the rendered template) is, the first of the directories that holds it} */
    public Path resolve(String name) throws InvalidInputException {
        List<Path> tried = new ArrayList<>();
        for (Path dir : dirs) {
            Path candidate = dir.resolve(name).toAbsolutePath().normalize();
            if (!tried.contains(candidate)) {
                tried.add(candidate);
            }
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new InvalidInputException(new InputError(where, "'" + keyword + "': file '" + name + "' (from '" + template + "') not found;"
                + " looked for " + tried.stream().map(Path::toString).collect(Collectors.joining(", "))));
    }

    /**
     * {@return the tasks of {@code file}, read and checked the first time it is asked for, the same objects every
     * time after} A file that does not load throws every time.
     */
    public List<Step> read(Path file) throws InvalidInputException {
        List<Step> steps = read.get(file);
        if (steps != null) {
            return steps;
        }
        synchronized (this) {
            steps = read.get(file);
            if (steps == null) {
                steps = List.copyOf(reader.read(file));
                read.put(file, steps);
            }
            return steps;
        }
    }
}
