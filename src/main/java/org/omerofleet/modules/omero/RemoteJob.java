package org.omerofleet.modules.omero;

import java.time.Duration;
import java.util.OptionalInt;
import org.omerofleet.modules.TaskContext;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.ExecRequest;
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
 */
record RemoteJob(String id, String script) {

    /** How often a lost connection is re-opened to probe the job before giving up. */
    private static final int PROBES = 3;

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
        String start = "set -e; home=$(pwd -P); mkdir -p -- " + d + "; cd -- " + d + "; "
                + "if [ -e pid ]; then echo attached; exit 0; fi; "
                + "nohup sh -c " + OmeroShell.q("cd \"$1\" && ( " + script + " ) > \"$0/out\" 2>&1; echo $? > \"$0/rc.tmp\"; mv \"$0/rc.tmp\" \"$0/rc\"")
                + " \"$(pwd -P)\" \"$home\" >/dev/null 2>&1 < /dev/null & echo $! > pid";
        CommandResult started = context.connection().exec(ExecRequest.shell(start));
        if (!started.succeeded()) {
            throw new IllegalStateException("cannot start " + id + " on the host: " + started.stderr().strip());
        }
        if (started.stdout().strip().equals("attached")) {
            context.log("job " + id + " was started before the controller stopped; waiting for it instead of starting it again");
        }
        // one deadline for the whole wait: probing again after a lost connection does not restart the clock
        long deadline = System.nanoTime() + timeout.toNanos();
        TransportException lost = null;
        for (int attempt = 0; attempt <= PROBES; attempt++) {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            if (left.toMillis() < 1 && lost != null) {
                throw lost;
            }
            try {
                return waitFor(context, left);
            } catch (TransportException.AuthenticationException | TransportException.HostKeyRejectedException e) {
                throw e;
            } catch (TransportException e) {
                // the probe only reads the job's files, so asking again is always safe; the deadline bounds it
                lost = e;
                context.log("connection lost while " + id + " ran; probing its files on the host again");
            }
        }
        throw lost;
    }

    private Outcome waitFor(TaskContext context, Duration timeout) throws TransportException {
        String d = OmeroShell.q(dir());
        String wait = "cd -- " + d + " || exit 96; "
                + "while [ ! -f rc ]; do "
                + "if ! kill -0 \"$(cat pid)\" 2>/dev/null && [ ! -f rc ]; then echo 'job vanished without an exit status' >&2; tail -c 4000 out; exit 97; fi; "
                + "sleep 0.2; done; "
                + "printf 'rc=%s\\n' \"$(cat rc)\"; tail -c 64000 out";
        CommandResult r = context.connection().exec(ExecRequest.shell(wait).withTimeout(timeout));
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
