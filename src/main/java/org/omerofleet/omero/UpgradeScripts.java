package org.omerofleet.omero;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Chain a release's {@code sql/psql} upgrade scripts from a database's schema to the release's, the
 * way omego's {@code db upgrade} does.
 *
 * <p>A script {@code sql/psql/<to>/<from>.sql} is a step from {@code <from>} to {@code <to>} when
 * both names start with {@code OMERO} and match omego's schema pattern; that leaves out
 * {@code *-precheck.sql}, {@code schema.sql}, {@code psql-footer.sql} and the other helpers. The
 * target is the highest schema named by any step. The path is a depth-first search that tries the
 * highest next schema first, so {@code OMERO5.0__0} goes to {@code OMERO5.1__1} rather than
 * {@code OMERO5.1__0} when both scripts exist.
 *
 * <p>Two deliberate differences from omego, neither of which changes the result for a real release:
 * a script that does not go upward ({@code to <= from}) is ignored, so the search always ends; and
 * dead ends are remembered, so it never repeats work.
 */
public final class UpgradeScripts {

    private static final String ROOT = "sql/psql/";
    private static final String SQL = ".sql";
    private static final String PRECHECK = "-precheck.sql";

    private final List<Step> steps;
    private final List<SchemaVersion> versions;
    /** The matrix of omego as adjacency: for each schema, the steps leaving it, highest target first. */
    private final Map<SchemaVersion, List<Step>> outgoing;

    private UpgradeScripts(List<Step> steps, List<SchemaVersion> versions) {
        this.steps = steps;
        this.versions = versions;
        Map<SchemaVersion, List<Step>> out = new LinkedHashMap<>();
        for (Step step : steps) {
            out.computeIfAbsent(step.from(), v -> new ArrayList<>()).add(step);
        }
        out.replaceAll((from, list) -> {
            List<Step> sorted = new ArrayList<>(list);
            sorted.sort((a, b) -> b.to().compareTo(a.to()));
            return List.copyOf(sorted);
        });
        this.outgoing = Collections.unmodifiableMap(out);
    }

    /**
     * {@return the chain steps among {@code paths}} Each path is relative to, or ends in, the server
     * directory's {@code sql/psql/<dir>/<file>.sql}, as printed by {@code find sql/psql -name '*.sql'};
     * blank entries and surrounding whitespace are ignored.
     */
    public static UpgradeScripts fromPaths(Collection<String> paths) {
        Set<String> all = new HashSet<>();
        for (String p : paths) {
            String path = Objects.requireNonNull(p, "script path").strip();
            if (!path.isEmpty()) {
                all.add(path);
            }
        }
        Map<List<SchemaVersion>, Step> byPair = new LinkedHashMap<>();
        TreeSet<SchemaVersion> versions = new TreeSet<>();
        for (String path : new TreeSet<>(all)) {
            Optional<Step> step = stepOf(path, all);
            if (step.isPresent()) {
                Step s = step.get();
                versions.add(s.from());
                versions.add(s.to());
                if (s.to().isNewerThan(s.from())) {
                    byPair.putIfAbsent(List.of(s.from(), s.to()), s);
                }
            }
        }
        List<Step> steps = new ArrayList<>(byPair.values());
        steps.sort((a, b) -> a.from().equals(b.from()) ? a.to().compareTo(b.to()) : a.from().compareTo(b.from()));
        return new UpgradeScripts(List.copyOf(steps), List.copyOf(versions));
    }

    /** {@return the chain steps, ordered by source then target schema} */
    public List<Step> steps() {
        return steps;
    }

    /** {@return every schema a step starts or ends at, lowest first} */
    public List<SchemaVersion> versions() {
        return versions;
    }

    /** {@return the highest schema named by a step: omego's target}, or empty if there is no step */
    public Optional<SchemaVersion> highest() {
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
    }

    /**
     * {@return how to bring a database at {@code current} to the highest schema found}, as omego does.
     * Without any step there is no target, which is reported as {@link Resolution.NoPath}.
     */
    public Resolution resolve(SchemaVersion current) {
        Objects.requireNonNull(current, "current");
        Optional<SchemaVersion> target = highest();
        if (target.isEmpty()) {
            return new Resolution.NoPath(current, Optional.empty(),
                    "No upgrade scripts found under " + ROOT + "; cannot upgrade from " + current);
        }
        return resolveTo(current, target.get());
    }

    /**
     * {@return how to bring a database at {@code current} to {@code expected}, the schema the release is
     * known to run on} The scripts must agree: if they lead somewhere else the result is
     * {@link Resolution.TargetMismatch}. A release without scripts is fine when the database is
     * already at {@code expected}.
     */
    public Resolution resolve(SchemaVersion current, SchemaVersion expected) {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(expected, "expected");
        Optional<SchemaVersion> found = highest();
        if (found.isPresent() && !found.get().equals(expected)) {
            return new Resolution.TargetMismatch(expected, found.get());
        }
        return resolveTo(current, expected);
    }

    private Resolution resolveTo(SchemaVersion current, SchemaVersion target) {
        if (current.equals(target)) {
            return new Resolution.UpToDate(current);
        }
        if (current.isNewerThan(target)) {
            return new Resolution.Downgrade(current, target);
        }
        Optional<List<Step>> path = search(current, target, new HashSet<>());
        if (path.isEmpty()) {
            return new Resolution.NoPath(current, Optional.of(target),
                    "No upgrade path found from " + current + " to " + target);
        }
        return new Resolution.Path(path.get());
    }

    /** Depth-first, highest next schema first; {@code deadEnds} holds schemas already known not to reach the target. */
    private Optional<List<Step>> search(SchemaVersion from, SchemaVersion target, Set<SchemaVersion> deadEnds) {
        for (Step step : outgoing.getOrDefault(from, List.of())) {
            if (step.to().isNewerThan(target)) {
                continue;
            }
            if (step.to().equals(target)) {
                return Optional.of(List.of(step));
            }
            if (deadEnds.contains(step.to())) {
                continue;
            }
            Optional<List<Step>> rest = search(step.to(), target, deadEnds);
            if (rest.isPresent()) {
                List<Step> path = new ArrayList<>();
                path.add(step);
                path.addAll(rest.get());
                return Optional.of(List.copyOf(path));
            }
            deadEnds.add(step.to());
        }
        return Optional.empty();
    }

    private static Optional<Step> stepOf(String path, Set<String> all) {
        if (!path.endsWith(SQL)) {
            return Optional.empty();
        }
        String[] parts = path.split("/");
        int n = parts.length;
        if (n < 4 || !parts[n - 4].equals("sql") || !parts[n - 3].equals("psql")) {
            return Optional.empty();
        }
        String dir = parts[n - 2];
        String base = parts[n - 1].substring(0, parts[n - 1].length() - SQL.length());
        // omego globs OMERO*/OMERO*.sql before applying the pattern, which alone would allow a prefix
        if (!dir.startsWith("OMERO") || !base.startsWith("OMERO")) {
            return Optional.empty();
        }
        Optional<SchemaVersion> to = SchemaVersion.parse(dir);
        Optional<SchemaVersion> from = SchemaVersion.parse(base);
        if (to.isEmpty() || from.isEmpty()) {
            return Optional.empty();
        }
        String precheck = path.substring(0, path.length() - SQL.length()) + PRECHECK;
        return Optional.of(new Step(from.get(), to.get(), path,
                all.contains(precheck) ? Optional.of(precheck) : Optional.empty()));
    }

    /**
     * Run one upgrade script: {@code psql -f script} takes the database from {@code from} to {@code to}.
     *
     * @param from     the schema the script asserts before it changes anything
     * @param to       the schema it leaves behind (its directory name)
     * @param script   the script's path, as it was given
     * @param precheck {@code sql/psql/<to>/<from>-precheck.sql} if the release ships it: a read-only
     *                 check that ends in ROLLBACK and can run while the server is up
     */
    public record Step(SchemaVersion from, SchemaVersion to, String script, Optional<String> precheck) {

        public Step {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(script, "script");
            Objects.requireNonNull(precheck, "precheck");
            if (script.isBlank()) {
                throw new IllegalArgumentException("script path must not be blank");
            }
        }

        @Override
        public String toString() {
            return from + "->" + to + " (" + script + ")";
        }
    }

    /**
     * Tell what {@link #resolve} found. Branch on {@link #kind()}; Java 17 has no pattern switch.
     */
    public sealed interface Resolution permits Resolution.UpToDate, Resolution.Path, Resolution.NoPath,
            Resolution.Downgrade, Resolution.TargetMismatch {

        /** The possible outcomes, one per record. */
        enum Kind { UP_TO_DATE, PATH, NO_PATH, DOWNGRADE, TARGET_MISMATCH }

        /** {@return which outcome this is} */
        Kind kind();

        /** {@return one line for a report} */
        String message();

        /** {@return the scripts to run in order; empty unless this is a {@link Path}} */
        default List<Step> steps() {
            return List.of();
        }

        /** The database is already at the target schema: no script to run. */
        record UpToDate(SchemaVersion schema) implements Resolution {
            public UpToDate {
                Objects.requireNonNull(schema, "schema");
            }

            @Override
            public Kind kind() {
                return Kind.UP_TO_DATE;
            }

            @Override
            public String message() {
                return "Database is already at " + schema;
            }
        }

        /** Run these scripts in order; each starts where the previous one ended. */
        record Path(List<Step> steps) implements Resolution {
            public Path {
                steps = List.copyOf(steps);
                if (steps.isEmpty()) {
                    throw new IllegalArgumentException("an upgrade path needs at least one step");
                }
                for (int i = 1; i < steps.size(); i++) {
                    if (!steps.get(i).from().equals(steps.get(i - 1).to())) {
                        throw new IllegalArgumentException("upgrade steps do not chain: " + steps.get(i - 1)
                                + " then " + steps.get(i));
                    }
                }
            }

            /** {@return the schema before the first script} */
            public SchemaVersion from() {
                return steps.get(0).from();
            }

            /** {@return the schema after the last script} */
            public SchemaVersion to() {
                return steps.get(steps.size() - 1).to();
            }

            @Override
            public Kind kind() {
                return Kind.PATH;
            }

            @Override
            public String message() {
                return "Database upgrade required " + from() + "->" + to();
            }
        }

        /**
         * No chain of scripts leads to the target.
         *
         * @param target  empty when no script was found at all, so there is no target
         * @param message {@code No upgrade path found from X to Y} when the target is known
         */
        record NoPath(SchemaVersion current, Optional<SchemaVersion> target, String message) implements Resolution {
            public NoPath {
                Objects.requireNonNull(current, "current");
                Objects.requireNonNull(target, "target");
                Objects.requireNonNull(message, "message");
            }

            @Override
            public Kind kind() {
                return Kind.NO_PATH;
            }
        }

        /** The database is newer than the target; no script goes down, and none is attempted. */
        record Downgrade(SchemaVersion current, SchemaVersion target) implements Resolution {
            public Downgrade {
                Objects.requireNonNull(current, "current");
                Objects.requireNonNull(target, "target");
            }

            @Override
            public Kind kind() {
                return Kind.DOWNGRADE;
            }

            @Override
            public String message() {
                return "Database schema " + current + " is newer than the target " + target + "; downgrade refused";
            }
        }

        /** The release's scripts lead to a different schema from the one it is known to run on. */
        record TargetMismatch(SchemaVersion expected, SchemaVersion highestFound) implements Resolution {
            public TargetMismatch {
                Objects.requireNonNull(expected, "expected");
                Objects.requireNonNull(highestFound, "highestFound");
            }

            @Override
            public Kind kind() {
                return Kind.TARGET_MISMATCH;
            }

            @Override
            public String message() {
                return "The release's upgrade scripts lead to " + highestFound + " but the release runs on "
                        + expected + "; refusing to guess";
            }
        }
    }
}
