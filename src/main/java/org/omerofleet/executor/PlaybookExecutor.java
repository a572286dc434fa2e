package org.omerofleet.executor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import org.omerofleet.input.InputError;
import org.omerofleet.input.InvalidInputException;
import org.omerofleet.input.SourcePosition;
import org.omerofleet.inventory.Host;
import org.omerofleet.inventory.HostPattern;
import org.omerofleet.inventory.Inventory;
import org.omerofleet.modules.LockModule;
import org.omerofleet.modules.ModuleRegistry;
import org.omerofleet.modules.Modules;
import org.omerofleet.playbook.ImplicitFlush;
import org.omerofleet.transport.FileTransfers;
import org.omerofleet.playbook.IncludedFiles;
import org.omerofleet.playbook.Step;
import org.omerofleet.playbook.Play;
import org.omerofleet.playbook.Playbook;
import org.omerofleet.playbook.Task;
import org.omerofleet.playbook.TemplateException;
import org.omerofleet.playbook.Templating;
import org.omerofleet.result.Declaration;
import org.omerofleet.result.HostOutcome;
import org.omerofleet.result.HostState;
import org.omerofleet.result.HostStats;
import org.omerofleet.result.RunSummary;
import org.omerofleet.result.StepRecord;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.ConnectionFactory;

/**
 * Run a playbook against an inventory: plays in order, hosts in {@code serial} batches, tasks in
 * lockstep rounds (Ansible's linear strategy: every active host of the batch runs its next task, at
 * most {@code forks} at once, before any host moves on), handlers at the end of each batch.
 *
 * <p>A play stops starting new batches when the failures of a batch exceed {@code max_fail_percentage}
 * (strictly greater, per batch, as Ansible documents), or, without one, when every host of a batch
 * failed. Hosts never started are reported {@code FAILED_NO_CHANGE}. A stop never abandons a host in
 * flight: the current round always completes.
 */
public final class PlaybookExecutor {

    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss").withZone(ZoneOffset.UTC);
    private static final String GATHER_FACTS = "Gathering Facts";
    /** The modules of dynamic includes: the executor runs them itself, and then the tasks they include. */
    static final Set<String> INCLUDES = Set.of("include_tasks", "include_role");

    private final ModuleRegistry modules;
    private final Templating templating;
    private final ConnectionFactory connectionFactory;
    private final TargetResolver targets;
    private final Clock clock;
    private final Random random;
    private volatile boolean stopRequested;
    private volatile Set<String> knownSecrets = Set.of();

    /** How hosts are reached: where each one is (its SSH target) and what opens the connection to it. */
    public record Reach(ConnectionFactory connections, TargetResolver targets) {
    }

    /** @param random orders the hosts of a play with {@code order: shuffle} */
    public PlaybookExecutor(ModuleRegistry modules, Templating templating, Reach reach, Clock clock, Random random) {
        this.modules = modules;
        this.templating = templating;
        this.connectionFactory = reach.connections();
        this.targets = reach.targets();
        this.clock = clock;
        this.random = random;
    }

    /** {@return the command line the run in {@code runDir} was started with, from its journal (secrets left out)} */
    @SuppressWarnings("unchecked")
    public static List<String> commandLineOf(Path runDir) throws InvalidInputException {
        return (List<String>) RunJournal.runRecord(runDir).get("command_line");
    }

    /**
     * Mask these values too in everything a run writes, whatever the variables holding them are called
     * (the values decrypted from Ansible Vault).
     */
    public void addSecrets(Set<String> values) {
        Set<String> all = new LinkedHashSet<>(knownSecrets);
        all.addAll(values);
        knownSecrets = Set.copyOf(all);
    }

    /** Ask the run to start nothing new; hosts in flight finish their current round. */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * {@return one outcome per host} Host patterns are resolved for every play before any host is
     * contacted, so a bad pattern touches nothing.
     */
    public RunSummary run(Playbook playbook, Inventory inventory, RunOptions options, RunListener listener)
            throws InvalidInputException {
        Path baseDir = playbook.file().toAbsolutePath().getParent();
        TaskIds ids = new TaskIds(playbook, PlaybookExecutor::gatherFactsTask);
        checkMeta(ids);
        // a resume reads its run's key back; a new run's key is kept in its directory once that exists
        byte[] newKey = PlanFingerprint.newKey();
        Optional<byte[]> key = options.resume().isPresent() ? PlanFingerprint.readKey(options.resume().get()) : Optional.of(newKey);
        Map<String, String> fingerprint = PlanFingerprint.of(playbook, inventory, options.extraVars(), key);
        Map<Play, List<String>> playHosts;
        Instant started;
        Path runDir;
        RunJournal journal;
        if (options.resume().isPresent()) {
            runDir = options.resume().get();
            RunJournal.Resumed resumed = RunJournal.resume(runDir, fingerprint);
            journal = resumed.journal();
            started = resumed.started();
            playHosts = new IdentityHashMap<>();
            for (int p = 0; p < playbook.plays().size(); p++) {
                playHosts.put(playbook.plays().get(p), resumed.playHosts().get(p));
            }
        } else {
            playHosts = resolveHosts(playbook, inventory, options, baseDir);
            started = clock.instant();
            runDir = createRunDir(options.runsDir(), started);
            PlanFingerprint.writeKey(runDir, newKey);
            writePrivate(runDir.resolve(LockModule.ID_FILE), LockModule.newLockId(runDir.getFileName().toString()) + "\n");
            journal = RunJournal.begin(runDir, started, fingerprint, playbook.plays().stream().map(playHosts::get).toList(),
                    options.commandLine());
        }
        String runId = runDir.getFileName().toString();
        Redactor redactor = redactorFor(playbook, inventory, options);
        knownSecrets.forEach(redactor::add);
        RunListener safe = listener;
        Map<String, HostRun> hosts = new LinkedHashMap<>();
        playHosts.values().forEach(list -> list.forEach(h -> hosts.computeIfAbsent(h, HostRun::new)));
        Map<String, Object> shared = sharedVars(inventory);
        safe.runStarted(runId, runDir);
        try (journal;
             ConnectionPool connections = new ConnectionPool(connectionFactory,
                host -> targets.resolve(host, connectionVars(inventory, host, options)), host -> isController(inventory, host));
             ForkPool forks = new ForkPool(options.forks())) {
            TaskRunner runner = new TaskRunner(new RunScope(modules, templating, connections, options, clock, baseDir, runDir, safe, redactor));
            Steps steps = new Steps(runId, ids, journal, runner, baseDir);
            Run run = new Run(options, hosts, steps, forks, new VarsSources(inventory, shared, baseDir, runDir));
            Optional<String> stoppedAt = Optional.empty();
            for (Play play : playbook.plays()) {
                if (stopRequested) {
                    // hosts that finished earlier plays did not finish the playbook
                    playHosts.get(play).stream().map(hosts::get).filter(h -> h != null && h.active() && !h.steps().isEmpty())
                            .forEach(h -> h.stop("stopped before play '" + play.name() + "': the run was interrupted"));
                    continue;
                }
                if (stoppedAt.isPresent()) {
                    break;
                }
                stoppedAt = runPlay(play, playHosts.get(play), run);
            }
            if (stopRequested) {
                hosts.values().stream().filter(h -> h.steps().isEmpty() && h.active())
                        .forEach(h -> h.stop("not started: the run was interrupted"));
            }
            // as in Ansible, a play that stopped on a failure threshold ends the playbook
            stoppedAt.ifPresent(why -> hosts.values().stream().filter(h -> h.steps().isEmpty() && h.active())
                    .forEach(h -> h.stop("not started: " + why)));
            List<HostOutcome> outcomes = new ArrayList<>();
            hosts.values().forEach(h -> outcomes.add(h.outcome()));
            journal.ended(outcomes, stopRequested);
            RunSummary summary = new RunSummary(runId, runDir, playbook.file(), inventory.source(), started, clock.instant(), outcomes,
                    stopRequested, options.check());
            safe.runFinished(summary);
            return summary;
        }
    }

    private static void checkMeta(TaskIds ids) throws InvalidInputException {
        checkMeta(ids.tasks());
    }

    private static void checkMeta(java.util.Collection<Task> tasks) throws InvalidInputException {
        List<InputError> errors = new ArrayList<>();
        for (Task task : tasks) {
            Object action = task.args().get("_raw_params");
            if (task.module().equals("meta") && !(action instanceof String s && Modules.META_ACTIONS.contains(s.strip()))) {
                errors.add(new InputError(task.where(), "meta: '" + action + "' is not supported; use one of "
                        + new java.util.TreeSet<>(Modules.META_ACTIONS)));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }

    /**
     * Run one task on one host through the journal: a task the journal says finished before a resume is
     * replayed from its record; one it says was cut off runs again only if its module can repeat safely
     * (it probes the host, or attaches to the job it started), otherwise the host needs a human.
     */
    private final class Steps {
        private final String runId;
        private final TaskIds ids;
        private final RunJournal journal;
        private final TaskRunner runner;
        private final Redactor redactor;
        private final RunListener listener;
        private final Map<String, Integer> runs = new java.util.concurrent.ConcurrentHashMap<>();
        private final Path baseDir;

        Steps(String runId, TaskIds ids, RunJournal journal, TaskRunner runner, Path baseDir) {
            this.baseDir = baseDir;
            this.runId = runId;
            this.ids = ids;
            this.journal = journal;
            this.runner = runner;
            this.redactor = runner.redactor();
            this.listener = runner.listener();
        }

        TaskRunner.Outcome run(HostRun host, Task task, Map<String, Object> baseVars) {
            // a handler can run twice on a host (after meta: flush_handlers, and again at the end of the batch)
            int n = runs.merge(host.name() + "\u0000" + ids.of(task), 1, Integer::sum);
            String id = ids.of(task) + (n > 1 ? "#" + n : "");
            Optional<TaskRunner.Outcome> recorded = journal.recorded(host.name(), id);
            if (recorded.isPresent()) {
                listener.hostLog(host.name(), "resume: '" + task.name() + "' finished before the controller stopped; its result comes from the journal");
                runner.replay(host, task, recorded.get());
                return recorded.get();
            }
            if (journal.cutOff(host.name(), id) && !repeatable(task)) {
                TaskResult unknown = new TaskResult.Failed(false, "the controller stopped while this step ran; its outcome is unknown and module "
                        + task.module() + " cannot be repeated safely: check the host, then rerun it with --limit "
                        + host.name(), Map.of(), Map.of(), Declaration.outcome(HostState.NEEDS_ATTENTION));
                TaskRunner.Outcome outcome = new TaskRunner.Outcome(unknown, false, clock.instant(), java.time.Duration.ZERO);
                runner.replay(host, task, outcome);
                journal.started(host.name(), id);
                journal.finished(host.name(), id, outcome, task.noLog(), redactor);
                return outcome;
            }
            journal.started(host.name(), id);
            TaskRunner.Outcome outcome = runner.run(host, task, baseVars, runId + "-" + host.name() + "-" + id);
            journal.finished(host.name(), id, outcome, task.noLog(), redactor);
            return outcome;
        }

        /**
         * {@return the tasks of the file {@code name} an include whose file name is a template named on {@code host}}
         * The file is read and checked once; its tasks are named after the include and the file. The journal
         * keeps the file's SHA-256 for each host: a resumed run refuses a file that changed since.
         */
        List<Step> included(String host, Task include, IncludedFiles files, String name) throws InvalidInputException {
            Path path = files.resolve(name);
            String id = ids.of(include) + ":" + (path.startsWith(baseDir) ? baseDir.relativize(path) : path);
            String sha = FileTransfers.fileSha256(path);
            Optional<TaskRunner.Outcome> before = journal.recorded(host, id);
            if (before.isPresent() && !sha.equals(before.get().result().data().get("sha256"))) {
                throw new InvalidInputException(new InputError(include.where(), "'" + include.module() + "': " + path + " changed since the"
                        + " run began, so the journal's results for its tasks no longer match them", "start a new run instead of resuming"));
            }
            List<Step> steps = files.read(path);
            List<Task> tasks = Step.tasksIn(steps);
            checkMeta(tasks);
            ids.name(steps, id + ".");
            tasks.forEach(t -> secretsOf(t).forEach(redactor::add));
            if (before.isEmpty()) {
                journal.started(host, id);
                TaskResult read = new TaskResult.Ok(false, "read " + path, Map.of("file", path.toString(), "sha256", sha));
                journal.finished(host, id, new TaskRunner.Outcome(read, false, clock.instant(), java.time.Duration.ZERO), false, redactor);
            }
            return steps;
        }

        /** Give {@code host} the result a {@code run_once} task had on another host of its batch. */
        void share(HostRun host, Task task, TaskRunner.Outcome outcome) {
            runner.replay(host, task, outcome);
        }

        private boolean repeatable(Task task) {
            return modules.find(task.module()).map(m -> !m.needsConnection() || m.safeToRepeat()).orElse(true);
        }

        Task gatherFacts(Play play) {
            return ids.gatherFacts(play);
        }
    }

    private Map<Play, List<String>> resolveHosts(Playbook playbook, Inventory inventory, RunOptions options, Path baseDir)
            throws InvalidInputException {
        Map<Play, List<String>> result = new IdentityHashMap<>();
        Set<String> limited = null;
        if (options.limit().isPresent()) {
            limited = new HashSet<>(HostPattern.select(inventory, options.limit().get(), Path.of("").toAbsolutePath()));
        }
        List<InputError> errors = new ArrayList<>();
        for (Play play : playbook.plays()) {
            try {
                String pattern = String.valueOf(templating.render(play.hosts(), options.extraVars()));
                List<String> selected = new ArrayList<>(HostPattern.select(inventory, pattern, baseDir));
                if (limited != null) {
                    selected.retainAll(limited);
                }
                result.put(play, order(selected, play.order()));
            } catch (InvalidInputException e) {
                errors.addAll(e.errors());
            } catch (TemplateException e) {
                errors.add(new InputError(play.where(), "hosts: " + e.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        if (result.values().stream().allMatch(List::isEmpty)) {
            throw new InvalidInputException(new InputError(SourcePosition.of(playbook.file()),
                    "the inventory, host patterns and --limit leave no host to run on"));
        }
        return result;
    }

    private List<String> order(List<String> hosts, String order) {
        List<String> ordered = new ArrayList<>(hosts);
        switch (order) {
            case "reverse_inventory":
                Collections.reverse(ordered);
                break;
            case "sorted":
                Collections.sort(ordered);
                break;
            case "reverse_sorted":
                ordered.sort(Collections.reverseOrder());
                break;
            case "shuffle":
                Collections.shuffle(ordered, random);
                break;
            default:
                break;
        }
        return ordered;
    }

    /**
     * What every play of one run shares. The map of hosts is fixed for the run; each host's own state
     * changes as it runs.
     *
     * @param options the run's options
     * @param hosts   every host of the run by name
     * @param steps   runs one task on one host through the journal; holds the listener and the redactor
     * @param forks   the pool that runs at most {@code forks} hosts at once
     * @param sources where a host's base variables come from besides its play and batch
     */
    private record Run(RunOptions options, Map<String, HostRun> hosts, Steps steps, ForkPool forks, VarsSources sources) {

        RunListener listener() {
            return steps.listener;
        }

        Redactor redactor() {
            return steps.redactor;
        }
    }

    /**
     * Where a host's base variables come from, besides its play and batch.
     *
     * @param inventory the inventory: host vars and group names
     * @param shared    {@code groups} and {@code hostvars}, built once per run
     * @param baseDir   the playbook's directory ({@code playbook_dir})
     * @param runDir    the run directory ({@code fleet_run_dir})
     */
    private record VarsSources(Inventory inventory, Map<String, Object> shared, Path baseDir, Path runDir) {
    }

    /**
     * One serial batch of a play.
     *
     * @param play     the play
     * @param hosts    the batch's hosts, in order
     * @param baseVars each host's base variables for this play
     */
    private record Batch(Play play, List<String> hosts, Map<String, HostVars> baseVars) {
    }

    /**
     * One host's variables for a play, the role defaults apart: a role task's own defaults
     * ({@link Task#roleDefaults()}) go between the play's and the rest, as Ansible ranks them.
     *
     * @param defaults the play's role defaults, ready to render
     * @param above    every other base variable: inventory, magic variables, play vars
     */
    private record HostVars(Map<String, Object> defaults, Map<String, Object> above, Map<String, Object> all) {

        static HostVars of(Map<String, Object> defaults, Map<String, Object> above) {
            Map<String, Object> all = new LinkedHashMap<>(defaults);
            all.putAll(above);
            return new HostVars(defaults, above, all);
        }

        /** {@return the base variables {@code task} sees} */
        Map<String, Object> forTask(Task task) {
            if (task.roleDefaults().isEmpty()) {
                return all;
            }
            Map<String, Object> vars = new LinkedHashMap<>(defaults);
            vars.putAll(Templating.lazyVars(task.roleDefaults()));
            vars.putAll(above);
            return vars;
        }
    }

    /**
     * One lockstep round.
     *
     * @param tasks     the tasks the round runs, in the order they were first met
     * @param jobs      which host runs which task
     * @param iterators the hosts' iterators, or null (fact gathering and handlers move no iterator)
     * @param handlers  whether the tasks are handlers
     */
    private record Round(List<Task> tasks, List<Job> jobs, Map<String, HostIterator> iterators, boolean handlers, IncludeOrder includes) {

        Round(List<Task> tasks, List<Job> jobs, Map<String, HostIterator> iterators, boolean handlers) {
            this(tasks, jobs, iterators, handlers, new IncludeOrder());
        }

        /** {@return the host's iterator, or null when the round moves none} */
        HostIterator iterator(String host) {
            return iterators == null ? null : iterators.get(host);
        }
    }

    /** {@return why the play stopped on a failure threshold (the rest of the playbook does not run), or empty} */
    private Optional<String> runPlay(Play play, List<String> selected, Run run) {
        Map<String, HostRun> hosts = run.hosts();
        RunListener listener = run.listener();
        List<String> eligible = new ArrayList<>();
        for (String h : selected) {
            if (hosts.get(h).active()) {
                eligible.add(h);
            }
        }
        listener.playStarted(play, eligible);
        List<Object> serial = run.options().serialOverride().orElse(play.serial());
        List<List<String>> batches = SerialBatches.split(eligible, serial);
        for (int b = 0; b < batches.size(); b++) {
            List<String> batch = batches.get(b);
            if (stopRequested) {
                return Optional.empty();
            }
            if (batches.size() > 1) {
                listener.batchStarted(b + 1, batches.size(), batch);
            }
            Map<String, HostVars> baseVars = new LinkedHashMap<>();
            for (String h : batch) {
                baseVars.put(h, baseVars(play, h, eligible, batch, run));
            }
            BatchEnd end = runBatch(new Batch(play, batch, baseVars), run);
            Optional<String> abort = end.abort();
            if (abort.isEmpty() && batch.stream().map(hosts::get).allMatch(HostRun::failedForThresholds)) {
                abort = Optional.of("every host in the batch failed");
            }
            if (abort.isPresent()) {
                listener.playAborted(play, abort.get());
                String why = abort.get();
                batches.subList(b + 1, batches.size()).forEach(later -> later.forEach(h -> hosts.get(h).stop("not started: " + why)));
                return abort;
            }
            if (end.playEnded()) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * How a batch ended.
     *
     * @param abort     why a failure threshold stopped the play, if one did
     * @param playEnded whether a {@code meta: end_play} ended the play (the next play still runs)
     */
    private record BatchEnd(Optional<String> abort, boolean playEnded) {
    }

    /**
     * {@return why the batch trips a failure threshold, if it does} Hosts that failed for good count, and so
     * do unreachable hosts and hosts whose module declared a failure (an OMERO upgrade rolled back: a
     * rolled-back canary must stop the rollout); a failure that a rescue caught does not, as in Ansible.
     */
    private static Optional<String> thresholdTripped(Play play, List<String> batch, Map<String, HostRun> hosts) {
        long failed = batch.stream().map(hosts::get).filter(HostRun::failedForThresholds).count();
        if (failed == 0) {
            return Optional.empty();
        }
        if (play.anyErrorsFatal()) {
            return Optional.of("any_errors_fatal: a host failed");
        }
        if (play.maxFailPercentage().isPresent()) {
            double percent = 100.0 * failed / batch.size();
            if (percent > play.maxFailPercentage().get()) {
                return Optional.of(String.format("%d of %d hosts in the batch failed (%.0f%% > max_fail_percentage %d%%)",
                        failed, batch.size(), percent, play.maxFailPercentage().get()));
            }
        }
        return Optional.empty();
    }

    /**
     * Run one batch of a play in lockstep rounds until no host has a task left. When a failure threshold
     * trips, the batch's other hosts fail at once, as in Ansible, except hosts inside their in-flight
     * window (they run to its end: their upgrade completes or their rescue puts them back) and hosts already
     * in a rescue or always section; with {@code max_fail_percentage} a failed host still runs its own
     * rescue and always sections.
     */
    private BatchEnd runBatch(Batch b, Run run) {
        Play play = b.play();
        List<String> batch = b.hosts();
        Map<String, HostRun> hosts = run.hosts();
        Map<String, HostIterator> iterators = new LinkedHashMap<>();
        for (String h : batch) {
            iterators.put(h, new HostIterator(play.tasks()));
        }
        if (play.gatherFacts()) {
            Task gather = run.steps().gatherFacts(play);
            round(new Round(List.of(gather), batch.stream().map(h -> new Job(h, gather)).toList(), null, false), b.baseVars(), run);
        }
        Optional<String> abort = thresholdTripped(play, batch, hosts);
        abort.ifPresent(why -> failTheRest(batch, hosts, iterators, why, play.anyErrorsFatal()));
        boolean playEnded = false;
        TaskSchedule schedule = new TaskSchedule(play.tasks());
        Turns turns = new Turns();
        while (true) {
            takeNextTasks(b, run, iterators, turns);
            if (turns.waiting.isEmpty()) {
                break;
            }
            TaskSchedule.Slot slot = schedule.choose(turns.waiting.values().stream().map(Job::slot).toList());
            List<Job> jobs = turns.waiting.values().stream().filter(j -> j.slot().equals(slot)).toList();
            jobs.forEach(j -> turns.waiting.remove(j.host()));
            Round r = new Round(List.of(slot.task), jobs, iterators, false);
            boolean endPlay = round(r, b.baseVars(), run);
            if (PlaybookExecutor.INCLUDES.contains(slot.task.module())) {
                schedule.included(r.includes().files(slot.task).stream().map(p -> (HostIterator.Pass) p).toList());
            }
            if (meta(slot.task, "flush_handlers")) {
                runHandlers(b, run);
            }
            if (endPlay) {
                iterators.values().forEach(HostIterator::abandon);
                turns.waiting.clear();
                playEnded = true;
            }
            if (abort.isEmpty()) {
                abort = thresholdTripped(play, batch, hosts);
                if (abort.isPresent()) {
                    // as in Ansible, a host that waited stands before its next task when it is failed from outside
                    turns.waiting.keySet().forEach(h -> iterators.get(h).restore(turns.before.get(h)));
                    turns.waiting.clear();
                    failTheRest(batch, hosts, iterators, abort.get(), play.anyErrorsFatal());
                }
            }
        }
        turns.held.stream().map(hosts::get).forEach(h -> h.stop("stopped between steps: the run was interrupted"));
        runHandlers(b, run);
        return new BatchEnd(abort, playEnded);
    }

    /**
     * Where the batch's hosts stand between rounds: the next task each took from its iterator and has not
     * run yet (it waits while other hosts run theirs), where its iterator stood before it took it, and the
     * hosts held back by a stop request.
     */
    private static final class Turns {
        final Map<String, Job> waiting = new LinkedHashMap<>();
        final Map<String, HostIterator.Position> before = new LinkedHashMap<>();
        final Set<String> held = new LinkedHashSet<>();
    }

    /**
     * Give every active host that has none its next task. Once the run is stopping, only hosts inside their
     * in-flight window go on, to the end of it (their upgrade completes or their rescue puts them back); the
     * others start nothing new, those that were waiting for their turn included.
     */
    private void takeNextTasks(Batch b, Run run, Map<String, HostIterator> iterators, Turns turns) {
        Map<String, HostRun> hosts = run.hosts();
        for (String h : b.hosts()) {
            HostRun host = hosts.get(h);
            if (!host.active() || turns.held.contains(h) || turns.waiting.containsKey(h)) {
                continue;
            }
            turns.before.put(h, iterators.get(h).position());
            Optional<Task> next = nextSelected(iterators.get(h), host, run.options());
            if (next.isPresent()) {
                turns.waiting.put(h, new Job(h, next.get(), iterators.get(h).includeVars(), iterators.get(h).file()));
            }
        }
        turns.waiting.keySet().removeIf(h -> !hosts.get(h).active());
        if (stopRequested) {
            turns.waiting.keySet().stream().filter(h -> !hosts.get(h).inFlight()).toList().forEach(h -> {
                turns.waiting.remove(h);
                turns.held.add(h);
            });
        }
    }

    /** A failure threshold tripped: fail every other active host of the batch that may be failed now (see {@link #runBatch}). */
    private static void failTheRest(List<String> batch, Map<String, HostRun> hosts, Map<String, HostIterator> iterators, String why,
                                    boolean fatal) {
        for (String h : batch) {
            HostRun host = hosts.get(h);
            HostIterator iterator = iterators.get(h);
            if (!host.active() || host.inFlight() || iterator.recovering() || iterator.done()) {
                continue;
            }
            if (fatal) {
                iterator.abandon();
                host.failFromOutside("stopped: " + why);
                continue;
            }
            iterator.fail();
            if (iterator.failed()) {
                host.failFromOutside("stopped: " + why);
            } else {
                host.noteFailure("stopped: " + why);
            }
        }
    }

    private static boolean meta(Task task, String action) {
        return task.module().equals("meta") && action.equals(String.valueOf(task.args().get("_raw_params")).strip());
    }

    private Optional<Task> nextSelected(HostIterator iterator, HostRun host, RunOptions options) {
        while (true) {
            Optional<Task> next = iterator.next();
            if (iterator.failed() && host.active()) {
                host.failAfterAlways(); // the always section that ran after a failure was not selected to the end
                return Optional.empty();
            }
            if (next.isPresent() && options.startAtTask().isPresent() && !host.reachedStartTask()) {
                if (!next.get().name().equals(options.startAtTask().get())) {
                    continue; // --start-at-task: not yet
                }
                host.reachStartTask();
            }
            if (next.isEmpty() || TagSelection.selected(next.get(), options)) {
                return next;
            }
        }
    }

    /**
     * One host's next task.
     *
     * @param includeVars the loop variables of the includes the task runs inside (see {@link HostIterator#includeVars()})
     */
    private record Job(String host, Task task, Map<String, Object> includeVars, Object file) {

        Job(String host, Task task) {
            this(host, task, Map.of(), null);
        }

        /** {@return the task as the batch's schedule knows it: the task and the included file it comes from} */
        TaskSchedule.Slot slot() {
            return new TaskSchedule.Slot(task, file);
        }

        /** {@return the variables the task starts from on its host: the host's, then its includes' loop variables} */
        Map<String, Object> vars(Map<String, HostVars> baseVars) {
            Map<String, Object> base = baseVars.get(host).forTask(task);
            if (includeVars.isEmpty()) {
                return base;
            }
            Map<String, Object> vars = new LinkedHashMap<>(base);
            vars.putAll(includeVars);
            return vars;
        }
    }

    /** Run one lockstep round and apply every result to its host; {@return whether a {@code meta: end_play} ran} */
    private boolean round(Round r, Map<String, HostVars> baseVars, Run run) {
        List<Job> jobs = r.jobs();
        Map<String, HostRun> hosts = run.hosts();
        Steps runner = run.steps();
        for (Task task : r.tasks()) {
            List<String> on = jobs.stream().filter(j -> j.task() == task).map(Job::host).toList();
            if (!ImplicitFlush.is(task)) {
                run.listener().taskStarted(task, on, r.handlers());
            }
        }
        Set<Task> ranOnce = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<Task, TaskRunner.Outcome> onceResults = new IdentityHashMap<>();
        List<Job> toRun = new ArrayList<>();
        for (Job job : jobs) {
            if (job.task().runOnce() && !ranOnce.add(job.task())) {
                continue;
            }
            toRun.add(job);
        }
        List<Callable<TaskRunner.Outcome>> calls = new ArrayList<>();
        Map<Task, Semaphore> throttles = new IdentityHashMap<>();
        for (Job job : toRun) {
            if (job.task().throttle() == 0) {
                calls.add(() -> runner.run(hosts.get(job.host()), job.task(), job.vars(baseVars)));
                continue;
            }
            Semaphore throttle = throttles.computeIfAbsent(job.task(), t -> new Semaphore(t.throttle()));
            calls.add(() -> {
                throttle.acquire();
                try {
                    return runner.run(hosts.get(job.host()), job.task(), job.vars(baseVars));
                } finally {
                    throttle.release();
                }
            });
        }
        List<TaskRunner.Outcome> outcomes = run.forks().runAll(calls);
        Map<Job, TaskRunner.Outcome> byJob = new LinkedHashMap<>();
        for (int i = 0; i < toRun.size(); i++) {
            byJob.put(toRun.get(i), outcomes.get(i));
            if (toRun.get(i).task().runOnce()) {
                onceResults.put(toRun.get(i).task(), outcomes.get(i));
            }
        }
        boolean endPlay = false;
        for (Job job : jobs) {
            TaskRunner.Outcome outcome = byJob.get(job);
            boolean ranHere = outcome != null;
            if (!ranHere) {
                // run_once: the batch's other hosts share the result (its registered variable too), as in Ansible
                outcome = onceResults.get(job.task());
                runner.share(hosts.get(job.host()), job.task(), outcome);
            }
            settle(job, outcome, ranHere, r, run);
            endPlay |= meta(job.task(), "end_play") && outcome.result().status() != TaskResult.Status.SKIPPED;
        }
        return endPlay;
    }

    /**
     * Apply one result to its host: the recap counters by Ansible's rules ({@code meta} tasks count
     * nothing, nor does a {@code run_once} result on the hosts that share it without having run it), the
     * notified handlers, the host iterator (rescue, always, or the end), and the host's phase. A failure a
     * rescue catches leaves {@code ansible_failed_task} and {@code ansible_failed_result} for it. A dynamic
     * include that ran puts its tasks next, once per loop item that included them. Handler rounds move no
     * iterator: a failed handler fails its host.
     */
    private static void settle(Job job, TaskRunner.Outcome ran, boolean ranHere, Round round, Run run) {
        HostIterator iterator = round.iterator(job.host());
        HostRun host = run.hosts().get(job.host());
        Included included = INCLUDES.contains(job.task().module()) ? included(job, iterator, ran.result(), run) : Included.NONE;
        // as in Ansible, a file the host names that is missing or broken fails the include on that host
        TaskRunner.Outcome outcome = included.failure().map(why -> new TaskRunner.Outcome(new TaskResult.Failed(why), false, ran.started(),
                ran.elapsed())).orElse(ran);
        RunListener listener = run.listener();
        Redactor redactor = run.redactor();
        Task task = job.task();
        TaskResult result = outcome.result();
        boolean hidden = task.noLog();
        TaskResult shown = redactor.forDisplay(result, hidden);
        if (ranHere && !ImplicitFlush.is(task)) {
            host.steps().add(new StepRecord(task.name(), task.module(), result.status(), outcome.started(), outcome.elapsed(),
                    shown.message(), outcome.ignored()));
            listener.taskFinished(host.name(), task, shown, outcome.elapsed(), outcome.ignored());
        }
        boolean failed = result.status() == TaskResult.Status.FAILED && !outcome.ignored();
        boolean lost = result.status() == TaskResult.Status.UNREACHABLE && !outcome.ignored();
        boolean caught = failed && iterator != null && iterator.caughtByRescue();
        // as in Ansible, an include_role that ran counts nothing (one that was skipped counts as skipped), and an
        // include_tasks that ran counts one ok for each loop item that included its file
        boolean uncounted = task.module().equals("meta") || task.module().equals("include_role") && result.status() == TaskResult.Status.OK;
        List<HostIterator.Pass> passes = round.includes().order(task, job.host(), included.passes());
        if (ranHere && !uncounted) {
            HostStats counted = HostStats.of(result, outcome.ignored(), caught);
            for (int i = 1; i < passes.size() && task.module().equals("include_tasks"); i++) {
                counted = counted.plus(HostStats.of(result, false, false));
            }
            host.count(counted);
        }
        if (caught) {
            host.runtimeVars().put("ansible_failed_task", Map.of("name", task.name(), "action", task.module()));
            host.runtimeVars().put("ansible_failed_result", TaskRunner.registered(hidden ? shown : result));
        }
        if (result.status() == TaskResult.Status.CHANGED) {
            host.notified().addAll(task.notifies());
        }
        boolean finalFailure = failed && iterator == null;
        if (iterator != null) {
            if (!passes.isEmpty()) {
                iterator.enter(passes);
            }
            if (lost || meta(task, "end_host") && result.status() != TaskResult.Status.SKIPPED) {
                iterator.abandon();
            } else if (failed) {
                iterator.fail();
                if (caught) {
                    listener.hostRescued(host.name());
                }
            }
            iterator.advance();
            finalFailure = failed && iterator.failed();
            if (failed && !finalFailure) {
                host.noteFailure(shown.message());
            }
        }
        host.apply(result, shown.message(), finalFailure, lost);
        if (iterator != null && iterator.failed() && host.active()) {
            host.failAfterAlways();
        }
    }

    /**
     * {@return the passes a dynamic include makes through its tasks on a host, each with its loop variables}
     * None when it was skipped or failed; one, without variables, when it has no loop; else one per loop item
     * that was neither skipped (its {@code when}) nor failed, in item order, as Ansible includes the file once
     * per such item.
     */
    private static List<Map<?, ?>> includeResults(Task task, TaskResult result) {
        if (result.status() != TaskResult.Status.OK && result.status() != TaskResult.Status.CHANGED) {
            return List.of();
        }
        if (task.loop().isEmpty()) {
            return List.of(result.data());
        }
        List<Map<?, ?>> passes = new ArrayList<>();
        if (result.data().get("results") instanceof List<?> items) {
            for (Object item : items) {
                if (item instanceof Map<?, ?> view && !Boolean.TRUE.equals(view.get("skipped")) && !Boolean.TRUE.equals(view.get("failed"))) {
                    passes.add(view);
                }
            }
        }
        return passes;
    }

    /**
     * The passes a dynamic include makes through its tasks on a host, or why it cannot make them.
     *
     * @param failure the file the host named that cannot be read, with why (the include then fails on the host)
     */
    private record Included(List<HostIterator.Pass> passes, Optional<String> failure) {
        static final Included NONE = new Included(List.of(), Optional.empty());
    }

    /**
     * {@return the passes the include that ran makes on the host (see {@link #includeResults}), each with its tasks}
     * When its file name is a template, each pass runs the file its result names, read now.
     */
    private static Included included(Job job, HostIterator iterator, TaskResult result, Run run) {
        Task task = job.task();
        Optional<org.omerofleet.playbook.Include> include = iterator == null ? Optional.empty() : iterator.lastInclude();
        List<HostIterator.Pass> passes = new ArrayList<>();
        for (Map<?, ?> view : includeResults(task, result)) {
            Map<String, Object> vars = task.loop().isPresent() ? LoopItems.includedVarsOf(task.loop().get(), view) : Map.of();
            List<org.omerofleet.playbook.Step> steps = include.map(org.omerofleet.playbook.Include::steps).orElse(List.of());
            if (include.isPresent() && include.get().files().isPresent()) {
                try {
                    steps = run.steps().included(job.host(), task, include.get().files().get(), String.valueOf(view.get("include")));
                } catch (InvalidInputException e) {
                    return new Included(List.of(), Optional.of(e.errors().stream().map(InputError::format)
                            .collect(java.util.stream.Collectors.joining("; "))));
                }
            }
            passes.add(new HostIterator.Pass(vars, steps));
        }
        return new Included(passes, Optional.empty());
    }

    private void runHandlers(Batch b, Run run) {
        Play play = b.play();
        List<String> batch = b.hosts();
        Map<String, HostRun> hosts = run.hosts();
        boolean force = run.options().forceHandlers() || play.forceHandlers();
        for (Task handler : play.handlers()) {
            List<Job> jobs = new ArrayList<>();
            for (String h : batch) {
                HostRun host = hosts.get(h);
                boolean eligible = host.active() || (force && !host.unreachable());
                boolean notified = host.notified().contains(handler.name())
                        || handler.listen().stream().anyMatch(host.notified()::contains);
                if (eligible && notified) {
                    jobs.add(new Job(h, handler));
                }
            }
            if (!jobs.isEmpty() && !stopRequested) {
                round(new Round(List.of(handler), jobs, null, true), b.baseVars(), run);
            }
        }
        batch.forEach(h -> hosts.get(h).notified().clear());
    }

    private HostVars baseVars(Play play, String host, List<String> playHosts, List<String> batch, Run run) {
        VarsSources sources = run.sources();
        Inventory inventory = sources.inventory();
        RunOptions options = run.options();
        Path baseDir = sources.baseDir();
        Path runDir = sources.runDir();
        Host h = inventory.host(host).orElseThrow();
        Map<String, Object> defaults = Templating.lazyVars(play.defaults()); // role defaults: below the inventory
        Map<String, Object> vars = Templating.lazyVars(h.vars());
        vars.put("inventory_hostname", host);
        vars.put("inventory_hostname_short", host.contains(".") ? host.substring(0, host.indexOf('.')) : host);
        List<String> groupNames = new ArrayList<>(h.groups());
        groupNames.remove("all");
        groupNames.remove("ungrouped");
        vars.put("group_names", groupNames);
        vars.putAll(sources.shared());
        vars.put("play_hosts", playHosts);
        vars.put("ansible_play_hosts", playHosts);
        vars.put("ansible_play_batch", batch);
        vars.put("playbook_dir", baseDir.toString());
        vars.put("ansible_run_tags", options.tags().isEmpty() ? List.of("all") : List.copyOf(options.tags()));
        vars.put("fleet_run_dir", runDir.toAbsolutePath().toString());
        Map<String, Object> scope = new LinkedHashMap<>(defaults);
        scope.putAll(vars);
        Map<String, Object> extraVars = Templating.lazyVars(options.extraVars());
        scope.putAll(extraVars);
        for (Map.Entry<String, Object> e : play.vars().entrySet()) {
            vars.put(e.getKey(), renderQuietly(e.getValue(), scope));
            scope.put(e.getKey(), vars.get(e.getKey()));
            scope.putAll(extraVars);
        }
        return HostVars.of(defaults, vars);
    }

    /**
     * Render a play var now when it can be; when it cannot (it names a variable a task registers later),
     * leave it to render where a task uses it, or to fail there.
     */
    private Object renderQuietly(Object value, Map<String, Object> scope) {
        try {
            return templating.render(value, scope);
        } catch (TemplateException e) {
            return Templating.lazy(value);
        }
    }

    /** {@return {@code groups} and {@code hostvars}, built once per run and shared by every host} */
    private static Map<String, Object> sharedVars(Inventory inventory) {
        Map<String, Object> groups = new LinkedHashMap<>();
        inventory.groups().keySet().forEach(g -> groups.put(g, new ArrayList<String>()));
        for (Host host : inventory.hosts().values()) {
            for (String g : host.groups()) {
                @SuppressWarnings("unchecked")
                List<String> members = (List<String>) groups.computeIfAbsent(g, k -> new ArrayList<String>());
                members.add(host.name());
            }
        }
        Map<String, Object> hostvars = new LinkedHashMap<>();
        inventory.hosts().values().forEach(h -> hostvars.put(h.name(), Templating.lazy(h.vars())));
        return Map.of("groups", Collections.unmodifiableMap(groups), "hostvars", Collections.unmodifiableMap(hostvars));
    }

    private static Task gatherFactsTask(Play play) {
        return Task.builder(play.where(), GATHER_FACTS, "setup").tags(Set.of("always")).build();
    }

    /**
     * {@return whether {@code host} is the controller itself} As in Ansible: {@code localhost} (or a loopback
     * address) that the inventory does not hold, or an inventory host with {@code ansible_connection: local}.
     */
    static boolean isController(Inventory inventory, String host) {
        Optional<Host> h = inventory.host(host);
        if (h.isPresent()) {
            return "local".equals(String.valueOf(h.get().vars().get("ansible_connection")));
        }
        return Set.of("localhost", "127.0.0.1", "::1").contains(host);
    }

    private static Map<String, Object> connectionVars(Inventory inventory, String host, RunOptions options) {
        Map<String, Object> vars = new LinkedHashMap<>(inventory.host(host)
                .orElseThrow(() -> new IllegalArgumentException("delegate_to: host '" + host + "' is not in the inventory")).vars());
        vars.putAll(options.extraVars());
        return vars;
    }

    private static Redactor redactorFor(Playbook playbook, Inventory inventory, RunOptions options) {
        Set<String> secrets = new LinkedHashSet<>();
        inventory.hosts().values().forEach(h -> secrets.addAll(Redactor.secretsIn(h.vars())));
        inventory.groups().values().forEach(g -> secrets.addAll(Redactor.secretsIn(g.vars())));
        playbook.plays().forEach(p -> secrets.addAll(Redactor.secretsIn(p.vars())));
        playbook.plays().forEach(p -> secrets.addAll(Redactor.secretsIn(p.defaults())));
        for (Play p : playbook.plays()) {
            List<Task> tasks = new ArrayList<>(org.omerofleet.playbook.Step.tasksIn(p.tasks()));
            tasks.addAll(p.handlers());
            tasks.forEach(t -> secrets.addAll(secretsOf(t)));
        }
        secrets.addAll(Redactor.secretsIn(options.extraVars()));
        return new Redactor(secrets);
    }

    /** {@return the secrets a task brings besides the play's: its private role defaults, the values of its include_vars} */
    private static Set<String> secretsOf(Task t) {
        Set<String> secrets = new LinkedHashSet<>(Redactor.secretsIn(t.roleDefaults())); // a private role's defaults are its tasks' alone
        if (t.module().equals("include_vars") && t.args().get("_values") instanceof Map<?, ?> values) {
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) values;
            secrets.addAll(Redactor.secretsIn(typed));
        }
        return secrets;
    }

    /** Write a new file that only this user can read, from the moment it exists. */
    private static void writePrivate(Path file, String text) {
        try (var out = Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + file, e);
        }
    }

    private static Path createRunDir(Path runsDir, Instant started) {
        String base = RUN_ID.format(started);
        try {
            // a run's directory holds host output, the journal and the fingerprint key: this user's only, from the start
            FileAttribute<?> owner = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
            if (!Files.isDirectory(runsDir)) {
                Files.createDirectories(runsDir, owner);
            }
            for (int i = 0; ; i++) {
                Path dir = runsDir.resolve(i == 0 ? base : base + "-" + i);
                try {
                    return Files.createDirectory(dir, owner);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    // a run started in the same second: take the next suffix
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create the run directory under " + runsDir, e);
        }
    }
}
