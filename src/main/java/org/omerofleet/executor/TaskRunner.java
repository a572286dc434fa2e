package org.omerofleet.executor;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.omerofleet.modules.Args;
import org.omerofleet.modules.Module;
import org.omerofleet.modules.ModuleRegistry;
import org.omerofleet.playbook.Loop;
import org.omerofleet.playbook.Task;
import org.omerofleet.playbook.TemplateException;
import org.omerofleet.playbook.Templating;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.Become;
import org.omerofleet.transport.TransportException;

/**
 * Run one task on one host: conditions, check mode, templating, retries, {@code failed_when} and
 * {@code changed_when}, {@code register}. This is the only place where exceptions become
 * {@link TaskResult}s.
 */
final class TaskRunner {

    private final ModuleRegistry modules;
    private final Templating templating;
    private final ConnectionPool connections;
    private final RunOptions options;
    private final Clock clock;
    private final Path baseDir;
    private final Path runDir;
    private final RunListener listener;
    private final Redactor redactor;

    private final RunScope run;

    TaskRunner(RunScope run) {
        this.run = run;
        this.modules = run.modules();
        this.templating = run.templating();
        this.connections = run.connections();
        this.options = run.options();
        this.clock = run.clock();
        this.baseDir = run.baseDir();
        this.runDir = run.runDir();
        this.listener = run.listener();
        this.redactor = run.redactor();
    }

    /** {@return where this runner reports steps and log lines} */
    RunListener listener() {
        return listener;
    }

    /** {@return the redactor that masks secrets in what this runner reports} */
    Redactor redactor() {
        return redactor;
    }

    /** What running a task did, as the executor needs it. */
    record Outcome(TaskResult result, boolean ignored, Instant started, Duration elapsed) {
    }

    /**
     * Run the task on the host.
     *
     * @param stepKey names this step on this host the same way in a resumed run (see {@link org.omerofleet.modules.TaskContext#stepKey()})
     */
    Outcome run(HostRun host, Task task, Map<String, Object> baseVars, String stepKey) {
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        TaskResult result = attempt(host, task, baseVars, stepKey);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
        boolean ignored = false;
        if (result.status() == TaskResult.Status.FAILED && task.ignoreErrors()) {
            ignored = true;
        }
        if (result.status() == TaskResult.Status.UNREACHABLE && task.ignoreUnreachable()) {
            ignored = true;
        }
        record(host, task, result);
        return new Outcome(result, ignored, started, elapsed);
    }

    /** Apply a result the task returned elsewhere (the journal before a resume, or a run_once on another host) as if it had just returned it here. */
    void replay(HostRun host, Task task, Outcome outcome) {
        record(host, task, outcome.result());
    }

    /** The host variables holding a sudo password, in the order Ansible prefers them when several are set. */
    private static final List<String> BECOME_PASSWORD_VARS = List.of("ansible_sudo_pass", "ansible_become_pass", "ansible_become_password");

    private TaskResult attempt(HostRun host, Task task, Map<String, Object> baseVars, String stepKey) {
        if (task.loop().isEmpty()) {
            return once(host, task, baseVars, Map.of(), stepKey);
        }
        Loop loop = task.loop().get();
        List<Object> items;
        try {
            items = LoopItems.of(loop, templating.render(loop.items(), scope(host, task, baseVars, Map.of())));
        } catch (TemplateException e) {
            return new TaskResult.Failed("template error in '" + loop.keyword() + "': " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return new TaskResult.Failed(e.getMessage());
        }
        LoopResults results = new LoopResults(loop);
        for (int i = 0; i < items.size(); i++) {
            if (i > 0 && !pause(loop.pause())) {
                return new TaskResult.Failed("interrupted while pausing between loop items");
            }
            Map<String, Object> itemVars = LoopItems.itemVars(loop, items, i);
            TaskResult result = once(host, task, baseVars, itemVars, stepKey + "-item" + (i + 1));
            results.add(result, itemVars);
            if (result.status() != TaskResult.Status.FAILED && result.data().get("ansible_facts") instanceof Map<?, ?> facts) {
                // as in Ansible, the next item sees the facts this one set
                facts.forEach((k, v) -> host.runtimeVars().put(String.valueOf(k), v));
            }
            listener.hostLog(host.name(), redactor.redact("item " + label(host, task, baseVars, itemVars) + ": "
                    + result.status().name().toLowerCase(java.util.Locale.ROOT)));
            if (result.status() == TaskResult.Status.UNREACHABLE) {
                break; // the host is gone: the items left cannot reach it either
            }
        }
        return results.aggregate();
    }

    private String label(HostRun host, Task task, Map<String, Object> baseVars, Map<String, Object> itemVars) {
        Loop loop = task.loop().orElseThrow();
        try {
            Object shown = loop.label().isPresent() ? templating.render(loop.label().get(), scope(host, task, baseVars, itemVars))
                    : itemVars.get(loop.loopVar());
            return task.noLog() ? "(output hidden by no_log)" : String.valueOf(shown);
        } catch (TemplateException e) {
            return "(label: " + e.getMessage() + ")";
        }
    }

    private static boolean pause(java.time.Duration pause) {
        if (pause.isZero()) {
            return true;
        }
        try {
            Thread.sleep(pause.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@return the variables a task sees on a host: its vars, what hosts registered, extra vars, then the loop's} */
    private Map<String, Object> scope(HostRun host, Task task, Map<String, Object> baseVars, Map<String, Object> itemVars)
            throws TemplateException {
        Map<String, Object> vars = new LinkedHashMap<>(baseVars);
        vars.putAll(itemVars); // task vars may name the item
        vars.putAll(renderMap(task.vars(), vars));
        vars.putAll(host.runtimeVars()); // what hosts sent: data, never rendered again
        vars.putAll(Templating.lazyVars(options.extraVars()));
        vars.putAll(itemVars); // as in Ansible, the loop variable wins over every other
        // the run's mode, as Ansible shows it: a task's own check_mode does not change what it sees
        vars.put("ansible_check_mode", options.check());
        return vars;
    }

    /** Run the task once (for one loop item when {@code itemVars} is not empty): its conditions, then its module. */
    @SuppressWarnings("unchecked")
    private TaskResult once(HostRun host, Task task, Map<String, Object> baseVars, Map<String, Object> itemVars, String stepKey) {
        try {
            Map<String, Object> vars = scope(host, task, baseVars, itemVars);
            for (String condition : task.when()) {
                if (!templating.test(condition, vars)) {
                    return new TaskResult.Skipped("Conditional result was False");
                }
            }
            if (task.module().equals("include_vars")) {
                // read when the playbook loaded; its values render where they are used, as other variables do
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("ansible_facts", Templating.lazyVars((Map<String, ?>) task.args().get("_values")));
                data.put("ansible_included_var_files", task.args().get("_files") instanceof List<?> files ? files : List.of(task.args().get("file")));
                return new TaskResult.Ok(false, "", data);
            }
            if (PlaybookExecutor.INCLUDES.contains(task.module())) {
                Object file = task.args().get("file");
                if (file instanceof String name && Templating.isTemplate(name)) {
                    // as in Ansible, the host's variables name the file: the executor reads it once the include has run
                    String rendered = String.valueOf(templating.render(name, vars));
                    return new TaskResult.Ok(false, "included: " + rendered, Map.of("include", rendered));
                }
                return new TaskResult.Ok(false, "included: " + task.args().getOrDefault("file", task.args().get("name")));
            }
            Optional<Module> found = modules.find(task.module());
            if (found.isEmpty()) {
                return new TaskResult.Failed("no module named '" + task.module() + "'");
            }
            Module module = found.get();
            boolean check = task.checkMode().orElse(options.check());
            if (check && !module.supportsCheckMode()) {
                return new TaskResult.Skipped("check mode: module " + module.name() + " does not support it");
            }
            Optional<Become> become = task.become() ? Optional.of(become(task, vars, becomePassword(vars))) : Optional.empty();
            HostContext context = new HostContext(run, new HostContext.Step(host.name(), become, vars, check, stepKey), events(host.name()))
                    .withEnvironment(environment(task, vars))
                    .withSudoPassword(() -> becomePassword(vars))
                    .delegatedTo(task.delegateTo().isPresent() ? String.valueOf(templating.render(task.delegateTo().get(), vars)).strip() : null);
            TaskResult result = withRetries(module, context, task, vars);
            return applyOverrides(task, result, vars);
        } catch (TransportException e) {
            return fromTransport(e);
        } catch (TemplateException e) {
            return new TaskResult.Failed("template error: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return new TaskResult.Failed(e.getMessage() == null ? e.toString() : e.getMessage());
        } catch (RuntimeException e) {
            return new TaskResult.Failed("internal error in module " + task.module() + ": " + e);
        }
    }

    /** {@return how the task becomes its user, with the host's become {@code password}} */
    private Become become(Task task, Map<String, Object> vars, Optional<String> password) throws TemplateException {
        String user = String.valueOf(templating.render(task.becomeUser().orElse("root"), vars));
        return new Become(user, password);
    }

    /**
     * {@return the host's become password, for a become task and for the sudo a module runs itself} It is the
     * host's {@code ansible_sudo_pass}, {@code ansible_become_pass} or {@code ansible_become_password} (the first
     * of these defined, as Ansible reads them), else the command line's or ansible.cfg's; empty: none. The
     * redactor masks it from now on.
     */
    private Optional<String> becomePassword(Map<String, Object> vars) throws TemplateException {
        Optional<String> password = options.becomePassword();
        for (String name : BECOME_PASSWORD_VARS) {
            if (vars.get(name) != null) {
                password = Optional.of(String.valueOf(templating.evaluate(name, vars)));
                break;
            }
        }
        password.ifPresent(redactor::add);
        return password.filter(p -> !p.isEmpty());
    }

    /** {@return the task's {@code environment:} rendered, each value a string as Ansible makes it} */
    private Map<String, String> environment(Task task, Map<String, Object> vars) throws TemplateException {
        Map<String, String> env = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : renderMap(task.environment(), vars).entrySet()) {
            Object v = e.getValue();
            env.put(e.getKey(), v instanceof Boolean b ? (b ? "True" : "False") : v == null ? "None" : String.valueOf(v));
        }
        return env;
    }

    private HostContext.Events events(String host) {
        return new HostContext.Events() {
            @Override
            public void log(String line) {
                listener.hostLog(host, redactor.redact(line));
            }

            @Override
            public void progress(org.omerofleet.result.Progress progress) {
                listener.hostProgress(host, progress);
            }
        };
    }

    private TaskResult withRetries(Module module, HostContext context, Task task, Map<String, Object> vars)
            throws TransportException, TemplateException {
        int attempts = 0;
        while (true) {
            attempts++;
            @SuppressWarnings("unchecked")
            Map<String, Object> args = RoleFiles.resolve(module.name(), (Map<String, Object>) templating.render(task.args(), vars),
                    task.vars().get("role_path"));
            // each attempt is its own step on the host: a retry starts a new remote job instead of attaching to the last one
            TaskResult result = module.run(attempts == 1 ? context : context.attempt(attempts), new Args(module.name(), args));
            if (task.until().isEmpty()) {
                return result;
            }
            Map<String, Object> withResult = new LinkedHashMap<>(vars);
            task.register().ifPresent(name -> withResult.put(name, registered(result)));
            boolean done = result.status() != TaskResult.Status.UNREACHABLE;
            for (String condition : task.until()) {
                done = done && templating.test(condition, withResult);
            }
            if (done) {
                return withAttempts(result, attempts);
            }
            if (attempts > task.retries()) {
                // ansible-core reports an exhausted until with attempts = retries, one fewer than it made
                Map<String, Object> data = withAttempts(result, Math.max(1, task.retries())).data();
                return new TaskResult.Failed(result.status() == TaskResult.Status.CHANGED, "retries exhausted after "
                        + attempts + " attempts: " + result.message(), data, result.report(), result.declared());
            }
            try {
                Thread.sleep(task.delay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new TaskResult.Failed("interrupted while waiting to retry");
            }
        }
    }

    private static TaskResult withAttempts(TaskResult result, int attempts) {
        Map<String, Object> data = new LinkedHashMap<>(result.data());
        data.put("attempts", attempts);
        switch (result.status()) {
            case OK:
            case CHANGED:
                return new TaskResult.Ok(result.status() == TaskResult.Status.CHANGED, result.message(), data, result.report(),
                        result.declared());
            case FAILED:
                return new TaskResult.Failed(result.changed(), result.message(), data, result.report(), result.declared());
            default:
                return result;
        }
    }

    /** Apply {@code changed_when} and {@code failed_when}; each list is ANDed, as Ansible does. */
    private TaskResult applyOverrides(Task task, TaskResult result, Map<String, Object> vars) throws TemplateException {
        if (result.status() == TaskResult.Status.SKIPPED || result.status() == TaskResult.Status.UNREACHABLE) {
            return result;
        }
        if (task.changedWhen().isEmpty() && task.failedWhen().isEmpty()) {
            return result;
        }
        Map<String, Object> scope = new LinkedHashMap<>(vars);
        Map<String, Object> view = registered(result);
        scope.putAll(view);
        task.register().ifPresent(name -> scope.put(name, view));
        boolean changed = result.changed();
        if (!task.changedWhen().isEmpty()) {
            changed = allTrue(task.changedWhen(), scope);
        }
        boolean failed = result.status() == TaskResult.Status.FAILED;
        if (!task.failedWhen().isEmpty()) {
            failed = allTrue(task.failedWhen(), scope);
        }
        String message = result.message();
        if (failed) {
            if (result.status() != TaskResult.Status.FAILED) {
                message = "failed_when condition met" + (message.isEmpty() ? "" : ": " + message);
            }
            return new TaskResult.Failed(changed, message, result.data(), result.report(), result.declared());
        }
        return new TaskResult.Ok(changed, message, result.data(), result.report(), result.declared());
    }

    private boolean allTrue(List<String> conditions, Map<String, Object> scope) throws TemplateException {
        for (String condition : conditions) {
            if (!templating.test(condition, scope)) {
                return false;
            }
        }
        return true;
    }

    private static TaskResult fromTransport(TransportException e) {
        if (e instanceof TransportException.AuthenticationException || e instanceof TransportException.HostKeyRejectedException) {
            // the host answered but cannot be trusted or would not let us in: a human must act
            return new TaskResult.Failed(e.getMessage(), Map.of("unreachable", false));
        }
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        if (e.outcomeUnknown()) {
            message = "connection lost, outcome unknown: " + message;
        }
        return new TaskResult.Unreachable(message);
    }

    /** Keep what a task left behind: registered variable, facts, report fields (its declaration is the executor's, see HostRun#apply). */
    private void record(HostRun host, Task task, TaskResult result) {
        task.register().ifPresent(name -> host.runtimeVars().put(name, registered(result)));
        if (result.status() != TaskResult.Status.FAILED) {
            // a loop's items each bring their facts, in order: as in Ansible, an item does not see the facts of the items before it
            List<?> items = task.loop().isPresent() && result.data().get("results") instanceof List<?> l ? l : List.of(result.data());
            for (Object item : items) {
                if (item instanceof Map<?, ?> view && view.get("ansible_facts") instanceof Map<?, ?> facts) {
                    facts.forEach((k, v) -> host.runtimeVars().put(String.valueOf(k), v));
                }
            }
        }
        if (!task.noLog()) {
            host.report().putAll(redactor.redactMap(result.report())); // report.json is a log too
        }
    }

    /** {@return the registered view of a result: its data plus Ansible's status keys} */
    static Map<String, Object> registered(TaskResult result) {
        Map<String, Object> view = new LinkedHashMap<>(result.data());
        TaskResult.Status status = result.status();
        view.put("changed", result.changed());
        view.put("failed", status == TaskResult.Status.FAILED);
        view.put("skipped", status == TaskResult.Status.SKIPPED);
        if (status == TaskResult.Status.UNREACHABLE) {
            view.put("unreachable", true);
        }
        view.putIfAbsent("msg", result.message());
        return view;
    }

    private Map<String, Object> renderMap(Map<String, Object> raw, Map<String, Object> scope) throws TemplateException {
        if (raw.isEmpty()) {
            return raw;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> rendered = (Map<String, Object>) templating.render(raw, scope);
        return rendered;
    }
}
