package org.omerofleet.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The history of runs kept in a runs directory (one {@code report.json} per run, no server needed):
 * one line per run, or one line per run of one host, newest first.
 */
public final class RunHistory {

    private final List<JsonNode> runs = new ArrayList<>();

    /** Read every {@code <runsDir>/<id>/report.json} started at or after {@code since}. */
    public RunHistory(Path runsDir, Optional<Instant> since) {
        if (!Files.isDirectory(runsDir)) {
            return;
        }
        ObjectMapper mapper = new ObjectMapper();
        try (Stream<Path> dirs = Files.list(runsDir)) {
            for (Path dir : dirs.filter(d -> Files.isRegularFile(d.resolve("report.json"))).toList()) {
                JsonNode run = mapper.readTree(dir.resolve("report.json").toFile());
                if (since.isEmpty() || started(run).map(s -> !s.isBefore(since.get())).orElse(false)) {
                    runs.add(run);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the run history in " + runsDir, e);
        }
        runs.sort(Comparator.comparing((JsonNode r) -> r.path("started").asText()).reversed());
    }

    private static Optional<Instant> started(JsonNode run) {
        try {
            return Optional.of(Instant.parse(run.path("started").asText()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Read runs from their report.json documents (as the PostgreSQL run history returns them). */
    public RunHistory(List<String> reports) {
        ObjectMapper mapper = new ObjectMapper();
        try {
            for (String report : reports) {
                runs.add(mapper.readTree(report));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a stored report is not JSON", e);
        }
        runs.sort(Comparator.comparing((JsonNode r) -> r.path("started").asText()).reversed());
    }

    /** {@return one row per run: id, playbook, start, exit code and how many hosts ended in each state} */
    public String runsTable() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"RUN", "PLAYBOOK", "STARTED", "EXIT", "HOSTS"});
        for (JsonNode run : runs) {
            List<String> counts = new ArrayList<>();
            run.path("totals").fields().forEachRemaining(e -> {
                if (e.getValue().asInt() > 0) {
                    counts.add(e.getValue().asInt() + " " + e.getKey());
                }
            });
            rows.add(new String[] {run.path("run_id").asText(), Path.of(run.path("playbook").asText()).getFileName().toString(),
                run.path("started").asText(), run.path("exit_code").asText() + (run.path("interrupted").asBoolean() ? " (interrupted)" : ""),
                String.join(", ", counts)});
        }
        return PlanTable.align(rows);
    }

    /** {@return one row per run that touched {@code host}: its state, release and schema change, backup and message} */
    public String hostTable(String host) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"RUN", "PLAYBOOK", "STATE", "RELEASE", "SCHEMA", "BACKUP", "MESSAGE"});
        for (JsonNode run : runs) {
            for (JsonNode h : run.path("hosts")) {
                if (h.path("host").asText().equals(host)) {
                    JsonNode r = h.path("report");
                    rows.add(new String[] {run.path("run_id").asText(), Path.of(run.path("playbook").asText()).getFileName().toString(),
                        h.path("state").asText(), change(r, "release"), change(r, "schema"), r.path("backup_path").asText("-"),
                        h.path("message").asText("")});
                }
            }
        }
        return PlanTable.align(rows);
    }

    /** {@return the runs as JSON: {@code {"runs": [report.json, ...]}}, newest first} */
    public String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("runs", runs);
        try {
            return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@return host to the time of its newest successful rehearsal ({@code plan --rehearse}) up to {@code targetSchema}
     * at or after {@code since}} A rehearsal counts only from a run that was not a check run.
     */
    public Map<String, Instant> rehearsals(String targetSchema, Instant since) {
        Map<String, Instant> newest = new LinkedHashMap<>();
        for (JsonNode run : runs) {
            for (JsonNode h : run.path("hosts")) {
                JsonNode r = h.path("report");
                if (!r.path("rehearsal_ok").asBoolean(false) || !r.path("rehearsal_target").asText("").equals(targetSchema)) {
                    continue;
                }
                try {
                    Instant at = Instant.parse(r.path("rehearsal_at").asText(""));
                    if (!at.isBefore(since)) {
                        newest.merge(h.path("host").asText(), at, (a, b) -> a.isAfter(b) ? a : b);
                    }
                } catch (DateTimeParseException e) {
                    // not a rehearsal this version wrote: it does not count
                }
            }
        }
        return newest;
    }

    /**
     * {@return what the history says about upgrade times, for the downtime prediction of an upgrade to {@code targetSchema}}
     * (the shape {@link DowntimeHistory} documents), from the runs started before {@code before} when given (a resumed run
     * predicts from what its first attempt saw, so that its variables, and the plan's fingerprint, stay the same)
     */
    public Map<String, Object> downtimeModel(String targetSchema, Optional<Instant> before) {
        List<JsonNode> earlier = runs.stream().filter(r -> before.isEmpty() || started(r).map(s -> s.isBefore(before.get())).orElse(false)).toList();
        return new DowntimeHistory(earlier, targetSchema).model();
    }

    public int size() {
        return runs.size();
    }

    private static String change(JsonNode report, String what) {
        String before = report.path(what + "_before").asText("");
        String after = report.path(what + "_after").asText(before);
        if (before.isEmpty() && after.isEmpty()) {
            return "-";
        }
        return before.equals(after) ? before : String.format(Locale.ROOT, "%s -> %s", before.isEmpty() ? "?" : before, after);
    }
}
