package org.omerofleet.modules;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.TransportException;

/**
 * Gather a few facts about a host in one round trip ({@code gather_facts: true}): system, kernel,
 * architecture, host name and remote user, as {@code ansible_*} variables and under {@code ansible_facts}.
 */
public final class Setup implements Module {

    private static final String SCRIPT = "uname -s; uname -r; uname -m; hostname; id -un";

    @Override
    public String name() {
        return "setup";
    }

    @Override
    public Set<String> parameters() {
        return Set.of();
    }

    @Override
    public boolean supportsCheckMode() {
        return true;
    }

    @Override
    public boolean safeToRepeat() {
        return true;
    }

    @Override
    public TaskResult run(TaskContext context, Args args) throws TransportException {
        CommandResult result = context.connection().exec(ExecRequest.shell(SCRIPT));
        if (!result.succeeded()) {
            return new TaskResult.Failed("could not gather facts: " + result.stderr().strip(),
                    Map.of("rc", result.rc(), "stderr", result.stderr()));
        }
        String[] lines = result.stdout().split("\n");
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("ansible_system", line(lines, 0));
        facts.put("ansible_kernel", line(lines, 1));
        facts.put("ansible_architecture", line(lines, 2));
        facts.put("ansible_hostname", line(lines, 3));
        facts.put("ansible_user_id", line(lines, 4));
        Map<String, Object> all = new LinkedHashMap<>(facts);
        Map<String, Object> nested = new LinkedHashMap<>();
        facts.forEach((k, v) -> nested.put(k.substring("ansible_".length()), v));
        all.put("ansible_facts", nested);
        return new TaskResult.Ok(false, "", Map.of("ansible_facts", all));
    }

    private static String line(String[] lines, int i) {
        return i < lines.length ? lines[i].strip() : "";
    }
}
