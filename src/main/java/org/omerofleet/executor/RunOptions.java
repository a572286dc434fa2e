package org.omerofleet.executor;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Hold the options of one run, as given on the command line.
 *
 * @param forks          how many hosts run a task at once (Ansible's {@code -f}, default 5)
 * @param check          {@code --check}: change nothing, report what would change
 * @param diff           {@code --diff}: show file and config differences
 * @param extraVars      {@code -e} variables; they win over every other source
 * @param limit          {@code --limit} pattern further restricting every play's hosts
 * @param tags           run only tasks with one of these tags (empty: all)
 * @param skipTags       skip tasks with one of these tags
 * @param forceHandlers  run notified handlers even on hosts that failed later
 * @param serialOverride a {@code --serial} given on the command line replaces every play's {@code serial}
 * @param runsDir        where run directories are created
 * @param startAtTask    {@code --start-at-task}: skip every task before the first one with this name
 * @param resume         go on with the unfinished run in this directory instead of starting a new one
 * @param commandLine    the arguments the run was started with, secrets left out, kept in the journal for a resume
 * @param becomePassword the sudo password of {@code -K} or {@code --become-password-file}, for hosts without
 *                       {@code ansible_become_password}; never printed
 */
public record RunOptions(int forks, boolean check, boolean diff, Map<String, Object> extraVars, Optional<String> limit,
                         Set<String> tags, Set<String> skipTags, boolean forceHandlers,
                         Optional<java.util.List<Object>> serialOverride, Path runsDir,
                         Optional<String> startAtTask, Optional<Path> resume, java.util.List<String> commandLine,
                         Optional<String> becomePassword) {

    public static final int DEFAULT_FORKS = 5;

    public RunOptions {
        if (forks < 1 || forks > 5000) {
            throw new IllegalArgumentException("--forks must be between 1 and 5000, got " + forks);
        }
        extraVars = Collections.unmodifiableMap(new LinkedHashMap<>(extraVars));
        Objects.requireNonNull(limit, "limit");
        tags = Set.copyOf(tags);
        skipTags = Set.copyOf(skipTags);
        Objects.requireNonNull(serialOverride, "serialOverride");
        Objects.requireNonNull(runsDir, "runsDir");
        Objects.requireNonNull(startAtTask, "startAtTask");
        Objects.requireNonNull(resume, "resume");
        commandLine = java.util.List.copyOf(commandLine);
        Objects.requireNonNull(becomePassword, "becomePassword");
    }

    /** The become password stays out of every printed form of the options. */
    @Override
    public String toString() {
        return "RunOptions[forks=" + forks + ", check=" + check + ", diff=" + diff + ", extraVars=" + extraVars.keySet() + ", limit=" + limit
                + ", tags=" + tags + ", skipTags=" + skipTags + ", forceHandlers=" + forceHandlers + ", serialOverride=" + serialOverride
                + ", runsDir=" + runsDir + ", startAtTask=" + startAtTask + ", resume=" + resume
                + ", becomePassword=" + (becomePassword.isPresent() ? "********" : "none") + "]";
    }

    public RunOptions withBecomePassword(Optional<String> password) {
        return new RunOptions(forks, check, diff, extraVars, limit, tags, skipTags, forceHandlers, serialOverride, runsDir, startAtTask, resume,
                commandLine, password);
    }

    /** {@return options with defaults: 5 forks, no check, no extra vars, runs under ./runs} */
    public static RunOptions defaults() {
        return new RunOptions(DEFAULT_FORKS, false, false, Map.of(), Optional.empty(), Set.of(), Set.of(), false,
                Optional.empty(), Path.of("runs"), Optional.empty(), Optional.empty(), java.util.List.of(), Optional.empty());
    }

    public RunOptions withForks(int newForks) {
        return new RunOptions(newForks, check, diff, extraVars, limit, tags, skipTags, forceHandlers, serialOverride, runsDir, startAtTask, resume, commandLine, becomePassword);
    }

    public RunOptions withRunsDir(Path dir) {
        return new RunOptions(forks, check, diff, extraVars, limit, tags, skipTags, forceHandlers, serialOverride, dir, startAtTask, resume, commandLine, becomePassword);
    }

    public RunOptions withStartAtTask(Optional<String> name) {
        return new RunOptions(forks, check, diff, extraVars, limit, tags, skipTags, forceHandlers, serialOverride, runsDir, name, resume, commandLine, becomePassword);
    }
}
