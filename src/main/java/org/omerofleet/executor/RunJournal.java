package org.omerofleet.executor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.omerofleet.input.InputError;
import org.omerofleet.input.InvalidInputException;
import org.omerofleet.input.SourcePosition;
import org.omerofleet.journal.Journal;
import org.omerofleet.journal.JournalReader;
import org.omerofleet.result.Declaration;
import org.omerofleet.result.HostOutcome;
import org.omerofleet.result.HostState;
import org.omerofleet.result.TaskResult;

/**
 * Keep a run's journal in the executor's terms. Records, in order: {@code run} (id, start, fingerprint,
 * the hosts of every play in the order they run, the command line), then for each task on each host
 * {@code start} just before it runs and {@code end} with its result just after, then {@code host} with
 * each host's terminal state, then {@code finish}. Each is on disk before the executor goes on.
 *
 * <p>Read back by {@link #resume}, the records of an unfinished run tell which tasks finished on which
 * host (their results are replayed, not run again) and which were cut off (started, never finished).
 * Results are written redacted; a {@code no_log} task keeps only its status.
 */
final class RunJournal implements AutoCloseable {

    private static final String SEP = "\u0000";

    private final Journal journal;
    private final Map<String, Map<String, Object>> finished;
    private final Set<String> cutOff;

    private RunJournal(Journal journal, Map<String, Map<String, Object>> finished, Set<String> cutOff) {
        this.journal = journal;
        this.finished = finished;
        this.cutOff = cutOff;
    }

    /** What the journal of an unfinished run says about how it began. */
    record Resumed(RunJournal journal, Instant started, List<List<String>> playHosts) {
    }

    static RunJournal begin(Path runDir, Instant started, Map<String, String> fingerprint, List<List<String>> playHosts,
                            List<String> commandLine) {
        Journal journal = Journal.create(runDir.resolve(Journal.FILE));
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("t", "run");
        run.put("run_id", runDir.getFileName().toString());
        run.put("started", started.toString());
        run.put("cwd", Path.of("").toAbsolutePath().toString());
        run.put("fingerprint", fingerprint);
        run.put("plays", playHosts);
        run.put("command_line", commandLine);
        journal.append(run);
        return new RunJournal(journal, Map.of(), Set.of());
    }

    /** {@return the first record of the run in {@code runDir}, for a caller that needs its command line} */
    static Map<String, Object> runRecord(Path runDir) throws InvalidInputException {
        Path file = runDir.resolve(Journal.FILE);
        if (!Files.isRegularFile(file)) {
            throw refused(file, "no journal here: " + runDir + " is not the directory of a run (runs/<id>)");
        }
        List<Map<String, Object>> records = JournalReader.read(file).records();
        if (records.isEmpty() || !"run".equals(records.get(0).get("t"))) {
            throw refused(file, "the journal does not start with the run's record");
        }
        return records.get(0);
    }

    /**
     * Open the journal of an unfinished run to go on with it. Refused when the run finished, or when
     * {@code fingerprint} (what the resume was asked to do) differs from what the run began with.
     */
    static Resumed resume(Path runDir, Map<String, String> fingerprint) throws InvalidInputException {
        Path file = runDir.resolve(Journal.FILE);
        Map<String, Object> run = runRecord(runDir);
        JournalReader.Contents contents = JournalReader.read(file);
        Map<String, Map<String, Object>> finished = new LinkedHashMap<>();
        Set<String> started = new HashSet<>();
        for (Map<String, Object> record : contents.records()) {
            String key = record.get("host") + SEP + record.get("task");
            switch (String.valueOf(record.get("t"))) {
                case "start" -> started.add(key);
                case "end" -> finished.put(key, record);
                case "finish" -> throw refused(file, "run " + run.get("run_id") + " finished; nothing to resume"
                        + " (rerun its failed hosts with --limit @" + runDir.resolve("retry") + ")");
                default -> { }
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, String> then = (Map<String, String>) run.get("fingerprint");
        List<String> changed = new ArrayList<>();
        for (String part : then.keySet()) {
            if (!then.get(part).equals(fingerprint.get(part))) {
                changed.add(part);
            }
        }
        fingerprint.keySet().stream().filter(p -> !then.containsKey(p)).forEach(changed::add);
        if (!changed.isEmpty()) {
            throw refused(file, "resume refused: " + String.join(", ", changed) + " changed since run " + run.get("run_id")
                    + " began (reliability.md CTL-06); start a new run instead");
        }
        String cwd = String.valueOf(run.get("cwd"));
        if (!cwd.equals(Path.of("").toAbsolutePath().toString())) {
            throw refused(file, "resume refused: run it from " + cwd + ", the directory run " + run.get("run_id")
                    + " was started in (its paths are relative to it)");
        }
        started.removeAll(finished.keySet());
        @SuppressWarnings("unchecked")
        List<List<String>> plays = (List<List<String>>) run.get("plays");
        RunJournal journal = new RunJournal(Journal.reopen(file, contents), finished, started);
        journal.journal.append(Map.of("t", "resume", "dropped_lines", contents.dropped()));
        return new Resumed(journal, Instant.parse(String.valueOf(run.get("started"))), plays);
    }

    private static InvalidInputException refused(Path file, String message) {
        return new InvalidInputException(new InputError(SourcePosition.of(file), message));
    }

    /** {@return what the task did on the host before the controller stopped, if it finished then} */
    Optional<TaskRunner.Outcome> recorded(String host, String task) {
        Map<String, Object> end = finished.get(host + SEP + task);
        if (end == null) {
            return Optional.empty();
        }
        TaskResult.Status status = TaskResult.Status.valueOf(String.valueOf(end.get("status")));
        String message = String.valueOf(end.get("msg"));
        boolean changed = Boolean.TRUE.equals(end.get("changed"));
        Map<String, Object> data = map(end.get("data"));
        Map<String, Object> report = map(end.get("report"));
        Declaration declared = new Declaration(
                Optional.ofNullable(end.get("declared_outcome")).map(String::valueOf).map(HostState::valueOf),
                Declaration.Window.valueOf(String.valueOf(end.getOrDefault("window", Declaration.Window.KEPT.name()))));
        TaskResult result = switch (status) {
            case OK, CHANGED -> new TaskResult.Ok(changed, message, data, report, declared);
            case SKIPPED -> new TaskResult.Skipped(message);
            case FAILED -> new TaskResult.Failed(changed, message, data, report, declared);
            case UNREACHABLE -> new TaskResult.Unreachable(message);
        };
        return Optional.of(new TaskRunner.Outcome(result, Boolean.TRUE.equals(end.get("ignored")),
                Instant.parse(String.valueOf(end.get("started"))), Duration.ofMillis(((Number) end.get("elapsed_ms")).longValue())));
    }

    /** {@return whether the task had started on the host, and not finished, when the controller stopped} */
    boolean cutOff(String host, String task) {
        return cutOff.contains(host + SEP + task);
    }

    void started(String host, String task) {
        journal.append(Map.of("t", "start", "host", host, "task", task));
    }

    void finished(String host, String task, TaskRunner.Outcome outcome, boolean hidden, Redactor redactor) {
        TaskResult result = outcome.result();
        Map<String, Object> end = new LinkedHashMap<>();
        end.put("t", "end");
        end.put("host", host);
        end.put("task", task);
        end.put("status", result.status().name());
        end.put("changed", result.changed());
        end.put("msg", hidden ? Redactor.HIDDEN : redactor.redact(result.message()));
        end.put("data", hidden ? Map.of() : redactor.redactMap(result.data()));
        end.put("report", hidden ? Map.of() : redactor.redactMap(result.report()));
        result.declared().outcome().ifPresent(state -> end.put("declared_outcome", state.name()));
        end.put("window", result.declared().window().name());
        end.put("ignored", outcome.ignored());
        end.put("started", outcome.started().toString());
        end.put("elapsed_ms", outcome.elapsed().toMillis());
        journal.append(end);
    }

    /** Write each host's terminal state, then the end of the run: after this the run cannot be resumed. */
    void ended(List<HostOutcome> hosts, boolean interrupted) {
        for (HostOutcome h : hosts) {
            journal.append(Map.of("t", "host", "host", h.host(), "state", h.state().name(), "msg", h.message()));
        }
        journal.append(Map.of("t", "finish", "interrupted", interrupted));
    }

    @Override
    public void close() {
        journal.close();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map ? (Map<String, Object>) value : Map.of();
    }
}
