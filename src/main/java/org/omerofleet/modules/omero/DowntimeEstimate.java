package org.omerofleet.modules.omero;

import java.util.LinkedHashMap;
import java.util.Map;
import org.omerofleet.modules.TaskContext;
import org.omerofleet.omero.DowntimeForecast;

/**
 * The one way {@code omero_plan} (in {@code plan} and in {@code upgrade}) and {@code omero_rehearse} predict a
 * host's downtime: {@link DowntimeForecast} over the database size, the rehearsal's phases (measured now, or
 * this host's newest one to the target schema in the run history) and the history the command read before the
 * run, passed in the variable {@code downtime_history} (absent: every figure is a default).
 */
final class DowntimeEstimate {

    /** The variable the commands pass the run history's model in. */
    static final String HISTORY_VAR = "downtime_history";

    private DowntimeEstimate() {
    }

    /** {@return the forecast as report data ({@link DowntimeForecast.Forecast#toMap()})} */
    static Map<String, Object> of(TaskContext context, long dbSize, boolean dbUpgrade, Map<?, ?> rehearsal) {
        Map<?, ?> history = context.vars().get(HISTORY_VAR) instanceof Map<?, ?> m ? m : Map.of();
        Map<?, ?> hosts = history.get("hosts") instanceof Map<?, ?> h ? h : Map.of();
        Object host = hosts.get(context.host());
        Map<?, ?> measured = rehearsal;
        // in an upgrade: the host's newest rehearsal to this target in the history (its verify already the whole backup step)
        if (measured.isEmpty() && host instanceof Map<?, ?> hostModel && hostModel.get("rehearsal_ms") instanceof Map<?, ?> past) {
            measured = past;
        }
        Map<String, Long> phases = new LinkedHashMap<>();
        measured.forEach((k, v) -> {
            if (v instanceof Number n) {
                phases.put(String.valueOf(k), n.longValue());
            }
        });
        return DowntimeForecast.predict(new DowntimeForecast.Inputs(dbSize, dbUpgrade, phases, DowntimeForecast.Observed.fromMap(host),
                DowntimeForecast.Observed.fromMap(history.get("fleet")))).toMap();
    }
}
