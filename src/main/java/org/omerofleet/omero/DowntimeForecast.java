package org.omerofleet.omero;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Predict how long one host's OMERO.server will be down during an upgrade, phase by phase: stop, dump,
 * verify, database upgrade, switch (everything else between the stop and the start: config, scripts, the
 * server path, profiles) and start. Each figure comes from the first source that has it:
 * <ol>
 *   <li>{@code rehearsal}: the phase as {@code plan --rehearse} measured it on this host (dump, verify, upgrade);</li>
 *   <li>{@code history}: this host's earlier runs, as the median throughput (bytes/s, times the database size now)
 *       for dump, verify and database upgrade, or the median time for stop, switch and start;</li>
 *   <li>{@code fleet history}: the same medians over every host in the history;</li>
 *   <li>{@code default}: a stated constant ({@link #DEFAULT_BYTES_PER_SECOND}, {@link #DEFAULT_MS}).</li>
 * </ol>
 * A phase the host will not run (no database upgrade needed) is 0 ms from {@code not needed}. The time the
 * upgrade spends on the host outside the downtime (facts, precheck, pushing and unpacking the zip, the web
 * client after the start) is predicted the same way as {@code outside} and is not part of the downtime.
 */
public final class DowntimeForecast {

    /** The phases inside the downtime window, in the order the upgrade runs them. */
    public static final List<String> PHASES = List.of("stop", "dump", "verify", "db_upgrade", "switch", "start");
    /** The phases predicted from the database size and a throughput. */
    public static final List<String> SIZED = List.of("dump", "verify", "db_upgrade");
    /** The time outside the downtime window. */
    public static final String OUTSIDE = "outside";
    /** Throughputs used when no run ever measured one: conservative figures for a database on local disk. */
    public static final Map<String, Double> DEFAULT_BYTES_PER_SECOND = Map.of("dump", 20e6, "verify", 50e6, "db_upgrade", 10e6);
    /** Times used for the fixed phases when no run ever measured one. */
    public static final Map<String, Long> DEFAULT_MS = Map.of("stop", 15_000L, "switch", 5_000L, "start", 60_000L, OUTSIDE, 30_000L);

    public static final String REHEARSAL = "rehearsal";
    public static final String HISTORY = "history";
    public static final String FLEET_HISTORY = "fleet history";
    public static final String DEFAULT = "default";
    public static final String NOT_NEEDED = "not needed";

    /** The rehearsal's name for the database upgrade phase. */
    private static final Map<String, String> REHEARSAL_NAMES = Map.of("dump", "dump", "verify", "verify", "db_upgrade", "upgrade");

    private DowntimeForecast() {
    }

    /**
     * What earlier runs measured, for one host or for the fleet: median bytes/s of the sized phases, median
     * milliseconds of the others ({@code stop}, {@code switch}, {@code start}, {@code outside}).
     */
    public record Observed(Map<String, Double> bytesPerSecond, Map<String, Long> millis, Map<String, Double> rehearsalFactors) {

        public static final Observed NONE = new Observed(Map.of(), Map.of());

        public Observed {
            bytesPerSecond = Map.copyOf(bytesPerSecond);
            millis = Map.copyOf(millis);
            rehearsalFactors = Map.copyOf(rehearsalFactors);
        }

        /** Measurements without rehearsal factors. */
        public Observed(Map<String, Double> bytesPerSecond, Map<String, Long> millis) {
            this(bytesPerSecond, millis, Map.of());
        }

        /** {@return what a history model's {@code {"dump_bps": .., "stop_ms": ..}} map says; anything else is ignored} */
        public static Observed fromMap(Object value) {
            if (!(value instanceof Map<?, ?> map)) {
                return NONE;
            }
            Map<String, Double> bps = new LinkedHashMap<>();
            Map<String, Long> ms = new LinkedHashMap<>();
            Map<String, Double> factors = new LinkedHashMap<>();
            for (String phase : SIZED) {
                number(map.get(phase + "_bps")).filter(v -> v > 0).ifPresent(v -> bps.put(phase, v));
                number(map.get(phase + "_rehearsal_factor")).filter(v -> v > 0).ifPresent(v -> factors.put(phase, v));
            }
            for (String phase : List.of("stop", "switch", "start", OUTSIDE)) {
                number(map.get(phase + "_ms")).filter(v -> v >= 0).ifPresent(v -> ms.put(phase, Math.round(v)));
            }
            return new Observed(bps, ms, factors);
        }
    }

    /**
     * What the forecast of one host is made from.
     *
     * @param dbSizeBytes {@code pg_database_size} now; negative when unknown (the sized phases then fall to a measured time or the default)
     * @param dbUpgrade   whether the upgrade runs database scripts on this host
     * @param rehearsal   the rehearsal's phase times ({@code dump}, {@code verify}, {@code upgrade}), empty without one
     * @param host        this host's history
     * @param fleet       the fleet's history
     */
    public record Inputs(long dbSizeBytes, boolean dbUpgrade, Map<String, Long> rehearsal, Observed host, Observed fleet) {

        public Inputs {
            rehearsal = Map.copyOf(rehearsal);
        }
    }

    /**
     * One phase's predicted time and where it came from.
     *
     * @param rehearsedMillis what the rehearsal measured, before any correction; -1 when the figure is not from a rehearsal
     */
    public record Estimate(String phase, long millis, String source, long rehearsedMillis) {

        public Estimate(String phase, long millis, String source) {
            this(phase, millis, source, -1);
        }
    }

    /** The phases of one host, in order, and the time outside the window. */
    public record Forecast(List<Estimate> phases, Estimate outside, long dbSizeBytes) {

        public Forecast {
            phases = List.copyOf(phases);
        }

        /** {@return the predicted downtime: the sum of the phases} */
        public long downtimeMillis() {
            return phases.stream().mapToLong(Estimate::millis).sum();
        }

        /**
         * {@return the forecast as report data: {@code {"downtime_ms", "outside_ms", "db_size", "phases": {"stop": {"ms", "source"}, ...},
         * "outside": {"ms", "source"}}}}
         */
        public Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("downtime_ms", downtimeMillis());
            map.put("outside_ms", outside.millis());
            map.put("db_size", dbSizeBytes);
            Map<String, Object> phaseMap = new LinkedHashMap<>();
            for (Estimate e : phases) {
                phaseMap.put(e.phase(), entry(e));
            }
            map.put("phases", phaseMap);
            map.put(OUTSIDE, entry(outside));
            return map;
        }

        private static Map<String, Object> entry(Estimate e) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ms", e.millis());
            m.put("source", e.source());
            if (e.rehearsedMillis() >= 0) {
                m.put("rehearsed_ms", e.rehearsedMillis()); // what the history's rehearsal factor is learnt from
            }
            return m;
        }
    }

    /** {@return the forecast of one host} */
    public static Forecast predict(Inputs in) {
        List<Estimate> phases = new ArrayList<>();
        for (String phase : PHASES) {
            phases.add(SIZED.contains(phase) ? sized(phase, in) : fixed(phase, in));
        }
        return new Forecast(phases, fixed(OUTSIDE, in), in.dbSizeBytes());
    }

    private static Estimate sized(String phase, Inputs in) {
        if (phase.equals("db_upgrade") && !in.dbUpgrade()) {
            return new Estimate(phase, 0, NOT_NEEDED);
        }
        Long rehearsed = in.rehearsal().get(REHEARSAL_NAMES.get(phase));
        if (rehearsed != null && rehearsed >= 0) {
            return rehearsed(phase, rehearsed, in);
        }
        long size = Math.max(0, in.dbSizeBytes());
        if (in.host().bytesPerSecond().containsKey(phase)) {
            return new Estimate(phase, millis(size, in.host().bytesPerSecond().get(phase)), HISTORY);
        }
        if (in.fleet().bytesPerSecond().containsKey(phase)) {
            return new Estimate(phase, millis(size, in.fleet().bytesPerSecond().get(phase)), FLEET_HISTORY);
        }
        return new Estimate(phase, millis(size, DEFAULT_BYTES_PER_SECOND.get(phase)), DEFAULT);
    }

    /**
     * A rehearsal runs beside a live server, at low priority, on a freshly restored copy: the real phase differs from it
     * by a factor the history learns (actual over rehearsed, median over earlier upgrades), the host's, else the fleet's.
     */
    private static Estimate rehearsed(String phase, long rehearsed, Inputs in) {
        Double hostFactor = in.host().rehearsalFactors().get(phase);
        Double factor = hostFactor != null ? hostFactor : in.fleet().rehearsalFactors().get(phase);
        if (factor == null) {
            return new Estimate(phase, rehearsed, REHEARSAL, rehearsed);
        }
        String source = String.format(java.util.Locale.ROOT, "%s x%.2f from %s", REHEARSAL, factor, hostFactor != null ? HISTORY : FLEET_HISTORY);
        return new Estimate(phase, Math.round(rehearsed * factor), source, rehearsed);
    }

    private static Estimate fixed(String phase, Inputs in) {
        if (in.host().millis().containsKey(phase)) {
            return new Estimate(phase, in.host().millis().get(phase), HISTORY);
        }
        if (in.fleet().millis().containsKey(phase)) {
            return new Estimate(phase, in.fleet().millis().get(phase), FLEET_HISTORY);
        }
        return new Estimate(phase, DEFAULT_MS.get(phase), DEFAULT);
    }

    /** {@return the milliseconds {@code bytes} take at {@code bytesPerSecond}, rounded up, at least 1 for a non-empty database} */
    static long millis(long bytes, double bytesPerSecond) {
        return bytes <= 0 ? 0 : Math.max(1, (long) Math.ceil(bytes * 1000.0 / bytesPerSecond));
    }

    private static Optional<Double> number(Object value) {
        return value instanceof Number n ? Optional.of(n.doubleValue()) : Optional.empty();
    }
}
