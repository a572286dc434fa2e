package org.omerofleet.modules;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.CommandResult;

/**
 * Shape command results as Ansible's command and shell modules register them.
 */
final class Results {

    private Results() {
    }

    static Map<String, Object> commandData(String cmd, CommandResult r) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("cmd", cmd);
        data.put("rc", r.rc());
        data.put("stdout", strip(r.stdout()));
        data.put("stderr", strip(r.stderr()));
        data.put("stdout_lines", lines(r.stdout()));
        data.put("stderr_lines", lines(r.stderr()));
        data.put("delta", r.elapsed().toString());
        r.exitSignal().ifPresent(s -> data.put("signal", s));
        if (r.truncated()) {
            data.put("truncated", true);
        }
        return data;
    }

    static TaskResult fromCommand(String cmd, CommandResult r, boolean changed) {
        Map<String, Object> data = commandData(cmd, r);
        if (r.succeeded()) {
            return new TaskResult.Ok(changed, "", data);
        }
        String why = r.exitStatus().isPresent() ? "non-zero return code" : "no exit status" + r.exitSignal().map(s -> " (signal " + s + ")").orElse("");
        return new TaskResult.Failed(changed, why, data, Map.of());
    }

    private static String strip(String s) {
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    private static List<String> lines(String s) {
        String t = strip(s);
        return t.isEmpty() ? List.of() : Arrays.asList(t.split("\n", -1));
    }
}
