package org.omerofleet.modules.omero;

import java.time.Duration;
import java.util.OptionalInt;
import org.omerofleet.modules.TaskContext;
import org.omerofleet.result.Progress;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.SudoShell;
import org.omerofleet.transport.TransportException;

/**
 * Run a long step (dump, database upgrade, restore) detached on the host, so that a dropped SSH
 * connection does not kill it: the script runs under {@code nohup} with its output, pid and exit
 * status in files under {@code ~/.omero-fleet/jobs/<id>}. Waiting is a loop on the host; when the
 * connection drops while waiting, the job is probed again over a new connection, and its files,
 * not a guess, decide the outcome (reliability.md NET-06).
 *
 * <p>A job is named after its step ({@link TaskContext#stepKey()}), and its directory stays on the host
 * once it finished: a step repeated by a resumed run finds its job, running or finished, and waits for it
 * or reads its result; it never starts the same work twice (reliability.md CTL-01, CTL-07).
 *
 * @param id     a name unique on the host (the job's directory)
 * @param script the shell script to run; it must hold no secret
 * @param sudo   whether the script calls {@code fleet_sudo} ({@link org.omerofleet.transport.SudoShell}): with the
 *               host's become password, the command starting the job reads it on its input and hands it to the
 *               job through a FIFO in the job's directory (mode 600, in a directory of mode 700), which the job
 *               reads before anything else and removes: never on a command line, in an environment or a file
 */
record RemoteJob(String id, String script, boolean sudo) {

    RemoteJob(String id, String script) {
        this(id, script, false);
    }

    /** {@return this job, its script given {@code fleet_sudo} when {@code needed}} */
    RemoteJob withSudo(boolean needed) {
        return new RemoteJob(id, script, needed);
    }

    /** How long, from the first lost connection, the host is asked again (with backoff) before the outcome is called unknown. */
    private static final Duration RECONNECT = Duration.ofMinutes(5);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(250);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(15);
    /** How often a running job is asked for its progress: soon after it starts, then less often (an hour-long dump, every 10 s). */
    private static final Duration FIRST_POLL = Duration.ofSeconds(1);
    private static final Duration MAX_POLL = Duration.ofSeconds(10);

    String dir() {
        return ".omero-fleet/jobs/" + id;
    }

    /**
     * What the job left: its exit status (empty if it vanished without one) and the tail of its output.
     */
    record Outcome(OptionalInt exitStatus, String output) {
        boolean succeeded() {
            return exitStatus.isPresent() && exitStatus.getAsInt() == 0;
        }
    }

    /**
     * {@return shell words that declare the job's progress as the growing size of the file at {@code pathExpr}
     * against {@code totalExpr} bytes} To be run inside the job's script (which has {@code $FLEET_JOB_DIR}).
     *
     * @param what what the user calls the work ({@code pg_dump})
     * @param of   what the total is the size of ({@code database})
     */
    static String progressBySize(String what, String of, String totalExpr, String pathExpr) {
        return "fleet_t=$(" + totalExpr + " 2>/dev/null) || fleet_t=-1; printf '%s %s size %s %s\\n' " + OmeroShell.q(what) + " "
                + OmeroShell.q(of) + " \"${fleet_t:--1}\" \"$(readlink -f -- " + pathExpr + ")\" > \"$FLEET_JOB_DIR/progress\"; ";
    }

    /**
     * {@return {@code command} (shell words reading the file at {@code pathExpr}) run so that the job's progress
     * is how far it has read that file, against the file's size} The command's exit status is kept.
     */
    static String reading(String what, String pathExpr, String command) {
        return "fleet_t=$(wc -c < " + pathExpr + " 2>/dev/null) || fleet_t=-1; printf '%s %s read %s %s\\n' " + OmeroShell.q(what)
                + " file \"${fleet_t:--1}\" \"$(readlink -f -- " + pathExpr + ")\" > \"$FLEET_JOB_DIR/progress\"; "
                // the subshell records its pid, then becomes the command: that pid is the reader whose file position is the progress
                + "( sh -c 'echo $PPID' > \"$FLEET_JOB_DIR/reader\"; exec " + command + " )";
    }

    /** {@return the job of {@code kind} for the context's step} */
    static RemoteJob forStep(TaskContext context, String kind, String script) {
        return new RemoteJob(name(kind, context.stepKey()), script);
    }

    private static String name(String kind, String stepKey) {
        return (kind + "-" + stepKey).replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /**
     * Wait until no job of this step whose kind starts with {@code kindPrefix} is still running on the host
     * (a resumed step must not judge the host while the job it started before the controller stopped runs).
     */
    static void awaitRunning(TaskContext context, String kindPrefix, Duration timeout) throws TransportException {
        String glob = OmeroShell.q(".omero-fleet/jobs/" + name(kindPrefix, "")) + "*" + OmeroShell.q(name("", context.stepKey()));
        String wait = "for d in " + glob + "; do [ -f \"$d/pid\" ] || continue; "
                + "while [ ! -f \"$d/rc\" ] && kill -0 \"$(cat \"$d/pid\")\" 2>/dev/null; do sleep 0.2; done; done";
        context.connection().exec(ExecRequest.shell(wait).withTimeout(timeout));
    }

    /** Start the job, or find it started by an earlier run of the same step, and wait for it, probing again after a lost connection. */
    Outcome run(TaskContext context, Duration timeout) throws TransportException {
        String d = OmeroShell.q(dir());
        // the job runs from the login directory, like every other command; its files live in its own directory
        // the job's directory and files are the user's only from creation (its output may name anything); the
        // script itself runs with the login's own umask, so what it makes is as it would be without omero-fleet
        SudoShell hostSudo = context.sudo();
        boolean password = sudo && hostSudo.hasPassword();
        String job = (password ? hostSudo.readFrom("\"$0/sudo.fifo\"") + "rm -f -- \"$0/sudo.fifo\"; " : "")
                + "cd \"$1\" && ( umask \"$2\" || exit 125; FLEET_JOB_DIR=$0; export FLEET_JOB_DIR; " + (sudo ? hostSudo.declare() : "") + script
                + " ) > \"$0/out\" 2>&1; echo $? > \"$0/rc.tmp\"; mv \"$0/rc.tmp\" \"$0/rc\"";
        String start = (password ? "IFS= read -r fleet_pw || exit 125; " : "")
                + "set -e; home=$(pwd -P); um=$(umask); umask 077; mkdir -p -- " + d + "; cd -- " + d + "; "
                + "if [ -e pid ]; then echo attached; exit 0; fi; "
                + (password ? "rm -f sudo.fifo; mkfifo -m 600 sudo.fifo; " : "")
                + "nohup sh -c " + OmeroShell.q(job) + " \"$(pwd -P)\" \"$home\" \"$um\" >/dev/null 2>&1 < /dev/null & echo $! > pid"
                // the job opens the FIFO first thing: this write waits for it, and the password is in no file
                + (password ? "; printf '%s\\n' \"$fleet_pw\" > sudo.fifo" : "");
        // one deadline for the whole wait: probing again after a lost connection does not restart the clock
        long deadline = System.nanoTime() + timeout.toNanos();
        long giveUp = Long.MAX_VALUE;
        long pause = FIRST_PAUSE.toMillis();
        boolean started = false;
        while (true) {
            try {
                if (!started) {
                    // asking again after a lost connection finds the job's pid file and attaches to it
                    CommandResult r = context.connection().exec(password ? hostSudo.request(ExecRequest.shell(start)) : ExecRequest.shell(start));
                    if (!r.succeeded()) {
                        throw new IllegalStateException("cannot start " + id + " on the host: " + r.stderr().strip());
                    }
                    if (r.stdout().strip().equals("attached")) {
                        context.log("job " + id + " was already started; waiting for it instead of starting it again");
                    }
                    started = true;
                }
                Outcome outcome = waitFor(context, Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
                // sudo's prompts out of the output; a password sudo refused fails the step as "Incorrect sudo password"
                return sudo ? new Outcome(outcome.exitStatus(), hostSudo.output(outcome.output())) : outcome;
            } catch (TransportException.AuthenticationException | TransportException.HostKeyRejectedException e) {
                throw e;
            } catch (TransportException e) {
                // starting attaches to a started job and the probe only reads its files, so asking again is safe; reconnecting is bounded
                long now = System.nanoTime();
                giveUp = Math.min(giveUp, now + RECONNECT.toNanos());
                if (now + pause * 1_000_000 > Math.min(giveUp, deadline)) {
                    throw e;
                }
                context.log("connection lost while " + id + " ran; probing its files on the host again in " + pause + " ms");
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                pause = Math.min(pause * 2, MAX_PAUSE.toMillis());
            }
        }
    }

    /**
     * Wait for the job to end, asking for its progress now and then: each wait on the host lasts at most a
     * poll interval, and between two the job's progress goes to the context (console and host log).
     */
    private Outcome waitFor(TaskContext context, Duration timeout) throws TransportException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long poll = FIRST_POLL.toMillis();
        while (true) {
            Duration left = Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
            CommandResult r = context.connection().exec(ExecRequest.shell(waitScript(poll)).withTimeout(left));
            if (r.rc() != 0 || !r.stdout().startsWith("running ")) {
                return outcome(r);
            }
            progress(r.stdout().strip()).ifPresent(p -> {
                context.progress(p);
                context.log("progress: " + p.describe());
            });
            if (System.nanoTime() > deadline) {
                throw new TransportException(id + " still runs on the host after " + timeout, null, true);
            }
            poll = Math.min(poll * 2, MAX_POLL.toMillis());
        }
    }

    /** {@return the wait on the host: until the job ends, or for {@code pollMillis}, then a {@code running} line with its progress} */
    private String waitScript(long pollMillis) {
        return "cd -- " + OmeroShell.q(dir()) + " || exit 96; i=0; "
                + "while [ ! -f rc ] && [ $i -lt " + Math.max(1, pollMillis / 200) + " ]; do "
                + "if ! kill -0 \"$(cat pid)\" 2>/dev/null && [ ! -f rc ]; then echo 'job vanished without an exit status' >&2; tail -c 4000 out; exit 97; fi; "
                + "sleep 0.2; i=$((i + 1)); done; "
                + "if [ ! -f rc ]; then printf 'running %s' \"$(( $(date +%s) - $(stat -c %Y pid) ))\"; "
                + "if [ -f progress ]; then read -r what of mode total path < progress; n=0; "
                + "case $mode in size) n=$(wc -c < \"$path\" 2>/dev/null) || n=0;; "
                + "read) r=$(cat reader 2>/dev/null); for fd in /proc/$r/fd/*; do "
                + "[ \"$(readlink \"$fd\" 2>/dev/null)\" = \"$path\" ] && n=$(sed -n 's/^pos:[[:space:]]*//p' \"/proc/$r/fdinfo/${fd##*/}\" 2>/dev/null); "
                + "done;; esac; printf ' %s %s %s %s' \"$what\" \"$of\" \"${n:-0}\" \"$total\"; fi; echo; exit 0; fi; "
                + "printf 'rc=%s\\n' \"$(cat rc)\"; tail -c 64000 out";
    }

    /** {@return the progress in a {@code running} line: {@code running ELAPSED [WHAT OF DONE TOTAL]}} */
    java.util.Optional<Progress> progress(String line) {
        String[] f = line.split(" ");
        try {
            Duration elapsed = Duration.ofSeconds(Math.max(0, Long.parseLong(f[1])));
            if (f.length < 6) {
                return java.util.Optional.of(new Progress(id.replaceFirst("-.*", ""), "", 0, -1, elapsed));
            }
            return java.util.Optional.of(new Progress(f[2], f[3], Long.parseLong(f[4].strip()), f[5].matches("\\d+") ? Long.parseLong(f[5]) : -1, elapsed));
        } catch (RuntimeException e) {
            return java.util.Optional.empty(); // a host that prints something else: no progress, the wait goes on
        }
    }

    private Outcome outcome(CommandResult r) {
        if (r.rc() == 97) {
            return new Outcome(OptionalInt.empty(), r.stdout());
        }
        if (!r.succeeded() || !r.stdout().startsWith("rc=")) {
            throw new IllegalStateException("cannot read the state of " + id + " on the host: " + r.stderr().strip());
        }
        int nl = r.stdout().indexOf('\n');
        int status = Integer.parseInt(r.stdout().substring(3, nl).strip());
        return new Outcome(OptionalInt.of(status), r.stdout().substring(nl + 1));
    }
}
