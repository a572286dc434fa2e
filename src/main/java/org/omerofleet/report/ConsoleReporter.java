package org.omerofleet.report;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.omerofleet.executor.RunListener;
import org.omerofleet.playbook.Play;
import org.omerofleet.playbook.Task;
import org.omerofleet.result.HostOutcome;
import org.omerofleet.result.HostStats;
import org.omerofleet.result.RunSummary;
import org.omerofleet.result.TaskResult;

/**
 * Print a run the way Ansible's default callback does: a banner per play and task, a line per host
 * result, then {@code PLAY RECAP} and the host states with their OMERO columns.
 */
public final class ConsoleReporter implements RunListener {

    private static final int WIDTH = 79;

    private final PrintStream out;
    private final boolean colour;
    private final boolean verbose;
    private final int verbosity;
    private final boolean progress;
    private int taskHosts;
    private int taskDone;
    private String taskName = "";
    private boolean barShown;
    private int barLines;
    private final Duration heartbeat;
    /** Per host, the newest progress of its long step (a terminal shows it live under the bar). */
    private final Map<String, String> live = new java.util.TreeMap<>();
    /** Per host, how long its step must have run before the next heartbeat line (no terminal). */
    private final Map<String, Duration> nextBeat = new java.util.HashMap<>();

    /**
     * @param progress draw a progress bar under the lines of the running task (for a terminal only:
     *                 it rewrites its line with carriage returns)
     */
    public ConsoleReporter(PrintStream out, boolean colour, boolean verbose, boolean progress) {
        this(out, colour, verbose ? 1 : 0, progress);
    }

    /**
     * @param verbosity how many {@code -v}: 1 shows every result's message, 2 and more also the task's
     *                  file and line and every result's data (secrets already masked), as Ansible's
     *                  {@code -vv} shows the task path and the module's return values
     */
    public ConsoleReporter(PrintStream out, boolean colour, int verbosity, boolean progress) {
        this(out, colour, verbosity, progress, Duration.ofSeconds(30));
    }

    /**
     * @param heartbeat without a terminal, how often a long step's progress is printed as a line of its own
     *                  (on a terminal, each host's progress is a live line under the bar instead)
     */
    public ConsoleReporter(PrintStream out, boolean colour, int verbosity, boolean progress, Duration heartbeat) {
        this.heartbeat = heartbeat;
        this.out = out;
        this.colour = colour;
        this.verbosity = verbosity;
        this.verbose = verbosity > 0;
        this.progress = progress;
    }

    /** Erase the progress bar so that the next line starts clean. */
    private void clearBar() {
        if (barShown) {
            out.print("\r\u001b[K" + "\u001b[A\r\u001b[K".repeat(barLines - 1));
            barShown = false;
        }
    }

    private void drawBar() {
        if (!progress || taskHosts == 0) {
            return;
        }
        int width = 30;
        int filled = taskDone * width / taskHosts;
        clearBar();
        StringBuilder block = new StringBuilder("\r\u001b[K[" + "#".repeat(filled) + "-".repeat(width - filled) + "] " + taskDone + "/" + taskHosts + " hosts  " + taskName);
        live.forEach((host, line) -> block.append("\n\u001b[K  [").append(host).append("] ").append(line));
        out.print(block);
        out.flush();
        barShown = true;
        barLines = 1 + live.size();
    }

    @Override
    public synchronized void runStarted(String runId, java.nio.file.Path runDir) {
        clearBar();
        out.println("Run " + runId + " (" + runDir + ")");
    }

    @Override
    public synchronized void playStarted(Play play, List<String> hosts) {
        clearBar();
        out.println();
        out.println(banner("PLAY [" + play.name() + "]"));
        if (hosts.isEmpty()) {
            out.println("skipping: no hosts matched");
        }
    }

    @Override
    public synchronized void batchStarted(int number, int of, List<String> hosts) {
        clearBar();
        out.println();
        out.println(banner("BATCH " + number + "/" + of + " [" + String.join(", ", abbreviate(hosts)) + "]"));
    }

    @Override
    public synchronized void taskStarted(Task task, List<String> hosts, boolean handler) {
        clearBar();
        taskHosts = hosts.size();
        taskDone = 0;
        taskName = task.name();
        out.println();
        out.println(banner((handler ? "RUNNING HANDLER [" : "TASK [") + task.name() + "]"));
        if (verbosity >= 2) {
            out.println("task path: " + task.where());
        }
    }

    /** A live line per host on a terminal; otherwise a line of its own once per heartbeat of the step. */
    @Override
    public synchronized void hostProgress(String host, org.omerofleet.result.Progress step) {
        String line = Printable.of(step.describe());
        if (progress) {
            live.put(host, line);
            drawBar();
            return;
        }
        Duration due = nextBeat.getOrDefault(host, heartbeat);
        if (step.elapsed().compareTo(due) >= 0) {
            out.println("progress: [" + host + "] " + line);
            nextBeat.put(host, step.elapsed().plus(heartbeat));
        }
    }

    @Override
    public synchronized void taskFinished(String host, Task task, TaskResult result, Duration elapsed, boolean ignored) {
        live.remove(host);
        nextBeat.remove(host);
        String line;
        switch (result.status()) {
            case OK:
                line = paint("32", "ok: [" + host + "]") + detail(result, false);
                break;
            case CHANGED:
                line = paint("33", "changed: [" + host + "]") + detail(result, false);
                break;
            case SKIPPED:
                line = paint("36", "skipping: [" + host + "]") + (verbose ? " => " + Printable.of(result.message()) : "");
                break;
            case UNREACHABLE:
                line = paint("31", "fatal: [" + host + "]: UNREACHABLE! => " + Printable.of(result.message()));
                break;
            case FAILED:
            default:
                line = paint("31", "fatal: [" + host + "]: FAILED! => " + Printable.of(result.message())) + detail(result, true);
                break;
        }
        clearBar();
        out.println(line);
        if (ignored) {
            out.println(paint("36", "...ignoring"));
        }
        taskDone++;
        drawBar();
    }

    /** Show what a debug task says, and for failures the tail of stderr, as Ansible users expect; all of it escaped. */
    private String detail(TaskResult result, boolean failed) {
        return Printable.of(rawDetail(result, failed));
    }

    private String rawDetail(TaskResult result, boolean failed) {
        Map<String, Object> data = result.data();
        StringBuilder b = new StringBuilder();
        if (data.containsKey("diff")) {
            b.append(System.lineSeparator()).append(data.get("diff"));
        }
        if (data.containsKey("debug")) {
            b.append(" => ").append(data.get("debug"));
        } else if (verbose && !failed && !result.message().isEmpty()) {
            b.append(" => ").append(result.message());
        }
        if (verbosity >= 2 && !data.isEmpty()) {
            b.append(System.lineSeparator()).append("  ").append(data);
        }
        if (failed) {
            Object stderr = data.get("stderr");
            if (stderr != null && !String.valueOf(stderr).isBlank()) {
                b.append(System.lineSeparator()).append("  stderr: ").append(tail(String.valueOf(stderr), 800));
            }
        }
        return b.toString();
    }

    @Override
    public synchronized void playAborted(Play play, String reason) {
        clearBar();
        out.println();
        out.println(paint("31", "NO MORE HOSTS LEFT: " + reason));
    }

    @Override
    public synchronized void runFinished(RunSummary summary) {
        clearBar();
        out.println();
        out.println(banner("PLAY RECAP"));
        int width = summary.hosts().stream().mapToInt(h -> h.host().length()).max().orElse(4);
        for (HostOutcome host : summary.hosts()) {
            HostStats s = host.stats();
            out.printf("%-" + width + "s : ok=%-4d changed=%-4d unreachable=%-4d failed=%-4d skipped=%-4d rescued=%-4d ignored=%d%n",
                    host.host(), s.ok(), s.changed(), s.unreachable(), s.failed(), s.skipped(), s.rescued(), s.ignored());
        }
        out.println();
        out.println(banner("HOST STATES"));
        for (HostOutcome host : summary.hosts()) {
            out.printf("%-" + width + "s : %-18s %s%n", host.host(), PlanTable.stateLabel(host), Printable.of(Columns.describe(host)));
            for (String line : Recovery.lines(summary, host)) {
                out.println(" ".repeat(width + 3) + paint("31", Printable.of(line)));
            }
        }
        if (summary.interrupted()) {
            out.println(paint("31", "interrupted: hosts in flight finished their current step; nothing new was started"));
        }
        out.println();
        out.println("Report: " + summary.runDir().resolve("report.json"));
    }

    private String banner(String title) {
        int stars = Math.max(3, WIDTH - title.length() - 1);
        return title + " " + "*".repeat(stars);
    }

    private String paint(String code, String text) {
        return colour ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;
    }

    private static List<String> abbreviate(List<String> hosts) {
        if (hosts.size() <= 6) {
            return hosts;
        }
        return List.of(hosts.get(0), hosts.get(1), "... " + (hosts.size() - 3) + " more ...", hosts.get(hosts.size() - 1));
    }

    private static String tail(String text, int max) {
        String t = text.strip();
        return t.length() <= max ? t : "..." + t.substring(t.length() - max);
    }
}
