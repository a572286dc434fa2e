package org.omerofleet.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.omerofleet.input.SourcePosition;
import org.omerofleet.inventory.Group;
import org.omerofleet.inventory.Host;
import org.omerofleet.inventory.Inventory;
import org.omerofleet.modules.ModuleRegistry;
import org.omerofleet.playbook.Play;
import org.omerofleet.playbook.Playbook;
import org.omerofleet.playbook.Step;
import org.omerofleet.playbook.Task;
import org.omerofleet.playbook.Templating;
import org.omerofleet.result.HostOutcome;
import org.omerofleet.result.HostState;
import org.omerofleet.result.HostStats;
import org.omerofleet.result.RunSummary;
import org.omerofleet.testing.ExecModule;
import org.omerofleet.testing.FakeConnectionFactory;
import org.omerofleet.testing.Tasks;
import org.omerofleet.transport.HostKeyPolicy;
import org.omerofleet.transport.SshTarget;

class PlaybookExecutorTest {

    @TempDir
    Path dir;

    private static Inventory inventory(int n) {
        Map<String, Host> hosts = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            String name = "h" + i;
            names.add(name);
            hosts.put(name, new Host(name, Map.of(), List.of("all", "ungrouped")));
        }
        Map<String, Group> groups = new LinkedHashMap<>();
        groups.put("all", new Group("all", Map.of(), List.of(), List.of("ungrouped")));
        groups.put("ungrouped", new Group("ungrouped", Map.of(), names, List.of()));
        return new Inventory(Path.of("inventory.yml"), hosts, groups);
    }

    private static Task exec(String name, String cmd) {
        return Tasks.task(name, "exec", Map.of("cmd", cmd));
    }

    private static Play play(List<Step> tasks, List<Object> serial, Optional<Integer> maxFail) {
        return Play.of(SourcePosition.of(Path.of("site.yml")), "test play", "all", tasks).withBatches(serial, maxFail);
    }

    private RunSummary run(FakeConnectionFactory fake, Play play, int hosts, int forks) throws Exception {
        PlaybookExecutor executor = new PlaybookExecutor(new ModuleRegistry(List.of(new ExecModule())), new Templating(), new PlaybookExecutor.Reach(fake,
                (host, vars) -> new SshTarget(host, "127.0.0.1", 22, "u", List.of(), Optional.empty(), dir.resolve("known_hosts"),
                        HostKeyPolicy.STRICT, Duration.ofSeconds(1), 0, Duration.ZERO, Optional.empty(), List.of())),
                Clock.systemUTC(), new Random(1));
        RunOptions options = RunOptions.defaults().withForks(forks).withRunsDir(dir.resolve("runs"));
        return executor.run(new Playbook(dir.resolve("site.yml"), List.of(play)), inventory(hosts), options, new RunListener() { });
    }

    private static List<Step> tenTasks() {
        List<Step> tasks = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            tasks.add(exec("task " + i, "step-" + i));
        }
        return tasks;
    }

    private static Set<String> hostsIn(RunSummary summary, HostState state) {
        return summary.hosts().stream().filter(h -> h.state() == state).map(HostOutcome::host).collect(Collectors.toSet());
    }

    @Test
    void tenTasksRunOnEveryHostWithOneConnectionEach() throws Exception {
        FakeConnectionFactory fake = new FakeConnectionFactory();
        RunSummary summary = run(fake, play(tenTasks(), List.of(), Optional.empty()), 50, 50);
        assertEquals(50, summary.hosts().size());
        assertTrue(summary.hosts().stream().allMatch(h -> h.stats().ok() == 10 && h.state() == HostState.SUCCEEDED));
        assertEquals(10, fake.commands("h17").size());
    }

    @Test
    void hostLostMidRunIsUnreachableWhileTheOthersFinish() throws Exception {
        FakeConnectionFactory fake = new FakeConnectionFactory().dropAfter("h7", 4);
        RunSummary summary = run(fake, play(tenTasks(), List.of(), Optional.empty()), 50, 50);
        assertEquals(Set.of("h7"), hostsIn(summary, HostState.UNREACHABLE));
        assertEquals(49, hostsIn(summary, HostState.SUCCEEDED).size());
        HostOutcome lost = summary.hosts().stream().filter(h -> h.host().equals("h7")).findFirst().orElseThrow();
        assertEquals(1, lost.stats().unreachable());
        assertEquals(0, lost.stats().failed());
    }

    @Test
    void failingTaskMarksExactlyThoseHostsFailed() throws Exception {
        FakeConnectionFactory fake = new FakeConnectionFactory().failOn("h2", "step-3").failOn("h5", "step-3").failOn("h9", "step-3");
        RunSummary summary = run(fake, play(tenTasks(), List.of(), Optional.empty()), 10, 5);
        assertEquals(Set.of("h2", "h5", "h9"), hostsIn(summary, HostState.FAILED_NO_CHANGE));
        assertEquals(3, fake.commands("h2").size());
        assertEquals(10, fake.commands("h1").size());
    }

    @Test
    void aRescuedFailureCountsAsRescuedNotFailedAndTheHostGoesOnAsInAnsible() throws Exception {
        FakeConnectionFactory fake = new FakeConnectionFactory().failOn("h1", "upgrade");
        List<Step> tasks = List.of(Tasks.block("upgrade", List.of(exec("upgrade", "upgrade"), exec("verify", "verify")),
                List.of(exec("roll back", "rollback")), List.of()));
        RunSummary summary = run(fake, play(tasks, List.of(), Optional.empty()), 2, 2);
        HostOutcome h1 = summary.hosts().get(0);
        assertEquals(HostState.SUCCEEDED, h1.state(), "only a module's declaration makes a rescued host FAILED_ROLLED_BACK");
        assertEquals(1, h1.stats().rescued());
        assertEquals(0, h1.stats().failed());
        assertEquals(List.of("upgrade", "rollback"), fake.commands("h1"));
        assertEquals(HostState.SUCCEEDED, summary.hosts().get(1).state());
    }

    @Test
    void aFailureInABlockWithOnlyAlwaysFailsTheHostOnceAlwaysHasRun() throws Exception {
        FakeConnectionFactory fake = new FakeConnectionFactory().failOn("h1", "dump");
        List<Step> tasks = List.of(Tasks.block("back up", List.of(exec("dump", "dump")), List.of(), List.of(exec("release", "release"))),
                exec("after", "after"));
        RunSummary summary = run(fake, play(tasks, List.of(), Optional.empty()), 2, 2);
        HostOutcome h1 = summary.hosts().get(0);
        assertEquals(HostState.FAILED_NO_CHANGE, h1.state());
        assertEquals(List.of("dump", "release"), fake.commands("h1"), "always runs, nothing after it");
        assertEquals(new HostStats(1, 1, 0, 1, 0, 0, 0), h1.stats());
        assertEquals(HostState.SUCCEEDED, summary.hosts().get(1).state());
    }

    @Test
    void aFailingRescueFailsTheHostAndCountsOneRescuedAndOneFailed() throws Exception {
        FakeConnectionFactory fake = new FakeConnectionFactory().failOn("h1", "failing-");
        List<Step> tasks = List.of(Tasks.block("upgrade", List.of(exec("upgrade", "failing-upgrade")),
                List.of(exec("roll back", "failing-rollback")), List.of(exec("release", "release"))));
        RunSummary summary = run(fake, play(tasks, List.of(), Optional.empty()), 1, 1);
        HostOutcome h1 = summary.hosts().get(0);
        assertEquals(HostState.FAILED_NO_CHANGE, h1.state());
        assertEquals(List.of("failing-upgrade", "failing-rollback", "release"), fake.commands("h1"));
        assertEquals(new HostStats(1, 1, 0, 1, 0, 1, 0), h1.stats());
    }

    @Test
    void aFailureLeftByAnAlwaysSectionCountsForMaxFailPercentage() throws Exception {
        FakeConnectionFactory fake = new FakeConnectionFactory().failOn("h1", "dump").failOn("h2", "dump");
        List<Step> tasks = List.of(Tasks.block("back up", List.of(exec("dump", "dump")), List.of(), List.of(exec("release", "release"))));
        RunSummary summary = run(fake, play(tasks, List.of(2), Optional.of(50)), 4, 2);
        assertEquals(List.of(), fake.commands("h3"), "two of two failed in the first batch: the play stops");
        assertEquals(Set.of("h1", "h2", "h3", "h4"), hostsIn(summary, HostState.FAILED_NO_CHANGE));
    }

    @Test
    void anIgnoredFailureCountsAsOkAndIgnored() throws Exception {
        FakeConnectionFactory fake = new FakeConnectionFactory().failOn("h1", "step-1");
        Task ignored = Tasks.ignoringErrors(Tasks.task("may fail", "exec", Map.of("cmd", "step-1")));
        RunSummary summary = run(fake, play(List.of(ignored, exec("next", "next")), List.of(), Optional.empty()), 1, 1);
        HostOutcome h1 = summary.hosts().get(0);
        assertEquals(new HostStats(2, 1, 0, 0, 0, 0, 1), h1.stats());
        assertEquals(HostState.SUCCEEDED, h1.state());
    }

    @Test
    void hostKeyRejectionIsAFailureNotUnreachable() throws Exception {
        FakeConnectionFactory fake = new FakeConnectionFactory().rejectHostKey("h1");
        RunSummary summary = run(fake, play(tenTasks(), List.of(), Optional.empty()), 2, 2);
        assertEquals(HostState.FAILED_NO_CHANGE, summary.hosts().get(0).state());
        assertTrue(summary.hosts().get(0).message().contains("SHA256:aaa"));
    }

    @Test
    void canaryFailureStopsEveryLaterBatch() throws Exception {
        FakeConnectionFactory fake = new FakeConnectionFactory().failOn("h1", "step-1");
        RunSummary summary = run(fake, play(tenTasks(), List.of(1, "50%"), Optional.of(0)), 10, 5);
        assertEquals(HostState.FAILED_NO_CHANGE, summary.hosts().get(0).state());
        for (int i = 2; i <= 10; i++) {
            assertEquals(List.of(), fake.commands("h" + i), "h" + i + " must not be touched after the canary failed");
        }
    }

    @Test
    void CON03_aCanaryThatRolledBackStopsTheRolloutWhileAPlainRescueDoesNot() throws Exception {
        Map<String, Object> declare = Map.of("cmd", "rollback", "declare", "FAILED_ROLLED_BACK");
        List<Step> declared = List.of(Tasks.block("upgrade", List.of(exec("upgrade", "upgrade")), List.of(Tasks.task("roll back", "exec", declare)),
                List.of()));
        FakeConnectionFactory fake = new FakeConnectionFactory().failOn("h1", "upgrade");
        RunSummary summary = run(fake, play(declared, List.of(1), Optional.empty()), 3, 3);
        assertEquals(HostState.FAILED_ROLLED_BACK, summary.hosts().get(0).state());
        assertEquals(List.of(), fake.commands("h2"), "the rollout stops after the rolled-back canary");
        List<Step> plain = List.of(Tasks.block("upgrade", List.of(exec("upgrade", "upgrade")), List.of(exec("roll back", "rollback")), List.of()));
        FakeConnectionFactory ansible = new FakeConnectionFactory().failOn("h1", "upgrade");
        run(ansible, play(plain, List.of(1), Optional.empty()), 3, 3);
        assertEquals(List.of("upgrade"), ansible.commands("h2"), "as in Ansible, a plain rescue does not trip the thresholds");
    }

    @Test
    void maxFailPercentageMustBeExceededNotEqualled() throws Exception {
        // serial 2, max 50%: one failure in a batch of two is 50%, not above it, so the run goes on
        FakeConnectionFactory fake = new FakeConnectionFactory().failOn("h1", "step-1");
        RunSummary summary = run(fake, play(tenTasks(), List.of(2), Optional.of(50)), 10, 5);
        assertEquals(9, hostsIn(summary, HostState.SUCCEEDED).size());
        FakeConnectionFactory both = new FakeConnectionFactory().failOn("h1", "step-1").failOn("h2", "step-1");
        RunSummary stopped = run(both, play(tenTasks(), List.of(2), Optional.of(50)), 10, 5);
        assertEquals(List.of(), both.commands("h3"));
        assertEquals(10, hostsIn(stopped, HostState.FAILED_NO_CHANGE).size());
    }

    /**
     * CON-02, Ansible's threshold matrix: 10 hosts, serial 2, max_fail_percentage 25, with none, half
     * or all of the hosts failing (or unreachable) at the first task. The threshold is per batch: one
     * of two (50 %) exceeds 25 %, so the play stops after the first batch and hosts 3 to 10 are never
     * touched; as in Ansible, the batch's other host runs no further task and fails too. Unreachable hosts
     * count like failed ones.
     */
    @ParameterizedTest(name = "{0}% {1}")
    @CsvSource({"0,failed", "50,failed", "100,failed", "0,unreachable", "50,unreachable", "100,unreachable"})
    void CON02_thresholdMatrixStopsAfterTheFirstBatchThatExceedsIt(int percent, String how) throws Exception {
        FakeConnectionFactory fake = new FakeConnectionFactory();
        Set<String> bad = new java.util.TreeSet<>();
        for (int i = 1; i <= 10; i++) {
            boolean failing = percent == 100 || percent == 50 && i % 2 == 1;
            if (failing) {
                bad.add("h" + i);
                if (how.equals("failed")) {
                    fake.failOn("h" + i, "step-1");
                } else {
                    fake.unreachable("h" + i);
                }
            }
        }
        RunSummary summary = run(fake, play(tenTasks(), List.of(2), Optional.of(25)), 10, 5);
        if (percent == 0) {
            assertEquals(10, hostsIn(summary, HostState.SUCCEEDED).size());
            return;
        }
        for (int i = 3; i <= 10; i++) {
            assertEquals(List.of(), fake.commands("h" + i), "h" + i + " is after the batch that exceeded the threshold");
        }
        HostState expected = how.equals("failed") ? HostState.FAILED_NO_CHANGE : HostState.UNREACHABLE;
        assertTrue(hostsIn(summary, expected).contains("h1"));
        assertEquals(Set.of(), hostsIn(summary, HostState.SUCCEEDED));
        if (percent == 50) {
            assertEquals(List.of("step-1"), fake.commands("h2"), "the tripped batch's other host stops after the current task");
            assertTrue(hostsIn(summary, HostState.FAILED_NO_CHANGE).contains("h2"));
        }
    }

    @Test
    void startAtTaskSkipsEveryTaskBeforeTheFirstOneWithThatName() throws Exception {
        FakeConnectionFactory fake = new FakeConnectionFactory();
        PlaybookExecutor executor = new PlaybookExecutor(new ModuleRegistry(List.of(new ExecModule())), new Templating(), new PlaybookExecutor.Reach(fake,
                (host, vars) -> new SshTarget(host, "127.0.0.1", 22, "u", List.of(), Optional.empty(), dir.resolve("known_hosts"),
                        HostKeyPolicy.STRICT, Duration.ofSeconds(1), 0, Duration.ZERO, Optional.empty(), List.of())),
                Clock.systemUTC(), new Random(1));
        RunOptions options = RunOptions.defaults().withRunsDir(dir.resolve("runs")).withStartAtTask(Optional.of("task 8"));
        executor.run(new Playbook(dir.resolve("site.yml"), List.of(play(tenTasks(), List.of(), Optional.empty()))), inventory(2), options,
                new RunListener() { });
        assertEquals(List.of("step-8", "step-9", "step-10"), fake.commands("h1"));
        assertEquals(List.of("step-8", "step-9", "step-10"), fake.commands("h2"));
    }

    private RunSummary runStoppingAfter(FakeConnectionFactory fake, List<Step> tasks, String stopAfter) throws Exception {
        PlaybookExecutor executor = new PlaybookExecutor(new ModuleRegistry(List.of(new ExecModule())), new Templating(), new PlaybookExecutor.Reach(fake,
                (host, vars) -> new SshTarget(host, "127.0.0.1", 22, "u", List.of(), Optional.empty(), dir.resolve("known_hosts"),
                        HostKeyPolicy.STRICT, Duration.ofSeconds(1), 0, Duration.ZERO, Optional.empty(), List.of())),
                Clock.systemUTC(), new Random(1));
        RunListener stopper = new RunListener() {
            @Override
            public void taskFinished(String host, Task task, org.omerofleet.result.TaskResult result, Duration elapsed, boolean ignored) {
                if (task.name().equals(stopAfter)) {
                    executor.requestStop(); // what Ctrl-C does
                }
            }
        };
        RunOptions options = RunOptions.defaults().withForks(2).withRunsDir(dir.resolve("runs"));
        return executor.run(new Playbook(dir.resolve("site.yml"), List.of(play(tasks, List.of(), Optional.empty()))), inventory(2), options,
                stopper);
    }

    @Test
    void CTL04_anInterruptLetsHostsInFlightFinishTheirWindowAndStartsNothingAfterIt() throws Exception {
        FakeConnectionFactory fake = new FakeConnectionFactory();
        List<Step> tasks = List.of(exec("step 1", "step-1"), Tasks.task("open", "exec", Map.of("cmd", "stop-server", "in_flight", true)),
                exec("step 3", "step-3"), exec("step 4", "step-4"), Tasks.task("close", "exec", Map.of("cmd", "verified", "in_flight", false)),
                exec("step 6", "step-6"));
        RunSummary summary = runStoppingAfter(fake, tasks, "step 3");
        assertTrue(summary.interrupted());
        for (String host : List.of("h1", "h2")) {
            assertEquals(List.of("step-1", "stop-server", "step-3", "step-4", "verified"), fake.commands(host),
                    host + " finishes its in-flight window, then stops");
        }
        assertEquals(Set.of("h1", "h2"), hostsIn(summary, HostState.FAILED_NO_CHANGE));
    }

    @Test
    void CTL04_anInterruptOutsideTheInFlightWindowStartsNoFurtherStep() throws Exception {
        FakeConnectionFactory fake = new FakeConnectionFactory();
        RunSummary summary = runStoppingAfter(fake, List.of(exec("step 1", "step-1"), exec("step 2", "step-2")), "step 1");
        assertTrue(summary.interrupted());
        assertEquals(List.of("step-1"), fake.commands("h1"));
        assertEquals(List.of("step-1"), fake.commands("h2"));
    }
}
