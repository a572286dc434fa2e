package org.omerofleet.executor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.omerofleet.playbook.Loop;
import org.omerofleet.result.Declaration;
import org.omerofleet.result.TaskResult;

/**
 * Collect the per-item results of a loop into the task's one result, as Ansible does: {@code results}
 * holds each item's registered view with its item; the task changed when any item did, failed ("One or
 * more items failed") when any item did, and was skipped when every item was.
 */
final class LoopResults {

    private final Loop loop;
    private final List<Map<String, Object>> views = new ArrayList<>();
    private final Map<String, Object> report = new LinkedHashMap<>();
    private Declaration declared = Declaration.NONE;
    private TaskResult unreachable;
    private boolean changed;
    private boolean failed;
    private boolean allSkipped = true;

    LoopResults(Loop loop) {
        this.loop = loop;
    }

    void add(TaskResult result, Map<String, Object> itemVars) {
        Map<String, Object> view = TaskRunner.registered(result);
        if (result.status() == TaskResult.Status.SKIPPED) {
            // Ansible's skipped item holds no failed flag and no message
            view.remove("failed");
            view.remove("msg");
        }
        view.putAll(itemVars);
        views.add(view);
        report.putAll(result.report());
        if (result.declared() != Declaration.NONE) {
            declared = result.declared();
        }
        changed |= result.changed();
        failed |= result.status() == TaskResult.Status.FAILED;
        allSkipped &= result.status() == TaskResult.Status.SKIPPED;
        if (result.status() == TaskResult.Status.UNREACHABLE && unreachable == null) {
            unreachable = result;
        }
    }

    TaskResult aggregate() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("results", List.copyOf(views));
        if (views.isEmpty()) {
            return new TaskResult.Skipped("No items in the list", data);
        }
        if (unreachable != null) {
            return unreachable;
        }
        if (failed) {
            data.put("msg", "One or more items failed");
            return new TaskResult.Failed(changed, "One or more items failed", data, report, declared);
        }
        if (allSkipped) {
            return new TaskResult.Skipped("All items skipped", data);
        }
        data.put("msg", "All items completed");
        return new TaskResult.Ok(changed, "All items completed", data, report, declared);
    }

    /** {@return the loop these results are for} */
    Loop loop() {
        return loop;
    }
}
