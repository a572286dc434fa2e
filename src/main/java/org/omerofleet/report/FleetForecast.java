package org.omerofleet.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.omerofleet.executor.SerialBatches;

/**
 * The fleet's predicted upgrade wall time from each host's {@code plan_downtime}: the hosts cut into batches as
 * {@code --serial} cuts them ({@link SerialBatches}), each batch run as the linear strategy runs it (every phase
 * finishes on all of the batch's hosts before the next starts, at most {@code forks} hosts at a time, each host
 * to the first free fork), the batches one after another. A host without a prediction (up to date, blocked,
 * unreachable) adds nothing.
 *
 * @param totalMs        the whole upgrade, phases outside the downtime included
 * @param longestBatch   the number (from 1) of the longest batch
 * @param longestBatchMs its predicted time
 * @param batches        how many batches
 */
public record FleetForecast(long totalMs, int longestBatch, long longestBatchMs, int batches) {

    /** The phases in the order the upgrade runs them: the part before the stop is counted first. */
    private static final List<String> ORDER = List.of("outside", "stop", "dump", "verify", "db_upgrade", "switch", "start");

    /**
     * {@return the forecast} {@code hosts} maps each host, in inventory order, to its {@code plan_downtime} (or to
     * nothing for a host the upgrade would not touch)
     */
    public static FleetForecast of(Map<String, Map<?, ?>> hosts, List<Object> serial, int forks) {
        List<List<String>> batches = SerialBatches.split(new ArrayList<>(hosts.keySet()), serial);
        long total = 0;
        int longest = 0;
        long longestMs = -1;
        for (int b = 0; b < batches.size(); b++) {
            long ms = 0;
            for (String phase : ORDER) {
                List<Long> times = new ArrayList<>();
                for (String host : batches.get(b)) {
                    times.add(phaseMs(hosts.get(host), phase));
                }
                ms += makespan(times, forks);
            }
            total += ms;
            if (ms > longestMs) {
                longestMs = ms;
                longest = b + 1;
            }
        }
        return new FleetForecast(total, longest, Math.max(0, longestMs), batches.size());
    }

    /** {@return when the last of {@code times} ends, each started in order on the first of {@code forks} workers to be free} */
    static long makespan(List<Long> times, int forks) {
        PriorityQueue<Long> free = new PriorityQueue<>();
        for (int i = 0; i < Math.max(1, forks); i++) {
            free.add(0L);
        }
        long end = 0;
        for (long t : times) {
            long at = free.poll() + t;
            end = Math.max(end, at);
            free.add(at);
        }
        return end;
    }

    private static long phaseMs(Map<?, ?> forecast, String phase) {
        if (forecast == null) {
            return 0;
        }
        Object entry = phase.equals("outside") ? forecast.get("outside") : forecast.get("phases") instanceof Map<?, ?> p ? p.get(phase) : null;
        return entry instanceof Map<?, ?> e ? DowntimeActual.number(e.get("ms")) : 0;
    }

    /** {@return the forecast as JSON data} */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("total_ms", totalMs);
        m.put("batches", batches);
        m.put("longest_batch", longestBatch);
        m.put("longest_batch_ms", longestBatchMs);
        return m;
    }
}
