package org.omerofleet.modules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.omerofleet.result.Declaration;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.ShellQuote;
import org.omerofleet.transport.TransportException;

/**
 * A lock on the host, so that two controllers never work on one host at once (reliability.md CTL-05):
 * {@code state: acquired} makes the directory {@code ~/.omero-fleet/locks/<name>} (mkdir is atomic)
 * with an owner file naming this run; a host already locked fails the task at once, naming the holder.
 * {@code state: released} removes the lock only when it is ours, or the one named by {@code id}
 * (for {@code omero-fleet unlock}). Holding the lock is the host's in-flight window: a run that stops lets
 * a locked host go on to its release. A resumed run finds its own lock and goes on holding it.
 *
 * <p>The lock's id is made once per run by {@link #newLockId} and kept in the run directory
 * ({@value #ID_FILE}): the controller's host name, the run directory's name and 64 random bits, so that
 * two controllers (same host name, or none, and a run started in the same second) never share an id.
 * A run directory without the file (made before it existed) uses its old id, host name and run name.
 */
public final class LockModule implements Module {

    private static final String DIR = ".omero-fleet/locks/";

    /** The file in a run directory that holds the run's lock id. */
    public static final String ID_FILE = "lock-id";

    private static final SecureRandom RANDOM = new SecureRandom();

    /** {@return a new lock id for the run in the directory named {@code runName}: host name, run name, 64 random bits} */
    public static String newLockId(String runName) {
        return controller() + ":" + runName + ":" + String.format("%016x", RANDOM.nextLong());
    }

    private static String lockId(Path runDir) {
        Path file = runDir.resolve(ID_FILE);
        if (!Files.isRegularFile(file)) {
            return controller() + ":" + runDir.getFileName();
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the run's lock id " + file, e);
        }
    }

    @Override
    public String name() {
        return "fleet_lock";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("state", "name", "id");
    }

    @Override
    public Set<String> required() {
        return Set.of("state");
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
        String name = args.string("name", "omero-fleet");
        if (!name.matches("[A-Za-z0-9._-]+")) {
            return new TaskResult.Failed("fleet_lock: name must be letters, digits, '.', '_' or '-', got '" + name + "'");
        }
        String d = ShellQuote.quote(DIR + name);
        String ours = lockId(context.runDir());
        String id = args.string("id", ours);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("lock", DIR + name);
        data.put("id", id);
        switch (args.string("state")) {
            case "acquired": {
                String owner = "id=" + ours + "\nrun=" + context.runDir().toAbsolutePath() + "\nhost=" + context.host() + "\n";
                String script = context.checkMode()
                        ? "if [ -d " + d + " ]; then cat -- " + d + "/owner 2>/dev/null; exit 3; fi; echo free"
                        : "mkdir -p -- " + ShellQuote.quote(DIR) + " && if mkdir -- " + d + " 2>/dev/null; then printf '%s' "
                          + ShellQuote.quote(owner) + " > " + d + "/owner; printf 'since=%s\\n' \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\" >> " + d
                          + "/owner; echo acquired; else cat -- " + d + "/owner 2>/dev/null; exit 3; fi";
                CommandResult r = context.connection().exec(ExecRequest.shell(script));
                if (r.rc() == 3) {
                    String holder = r.stdout().lines().filter(l -> l.startsWith("id=")).map(l -> l.substring(3)).findFirst().orElse("unknown");
                    data.put("holder", holder);
                    if (holder.equals(ours) && !context.checkMode()) {
                        // this run took it before the controller stopped, and is resuming
                        return new TaskResult.Ok(false, "already held by this run", data, Map.of("lock_id", ours), Declaration.OPENS_WINDOW);
                    }
                    return new TaskResult.Failed("host is locked by another run (" + holder + "): " + r.stdout().strip().replace('\n', ' ')
                            + "; if that run is dead, release it with: omero-fleet unlock --limit " + context.host() + " --lock-id '" + holder + "'", data);
                }
                if (!r.succeeded()) {
                    return new TaskResult.Failed("fleet_lock: cannot lock: " + r.stderr().strip(), data);
                }
                if (context.checkMode()) {
                    return new TaskResult.Ok(false, "would lock " + DIR + name, data);
                }
                // from here until the release, a stop lets this host finish
                return new TaskResult.Ok(true, "", data, Map.of("lock_id", ours), Declaration.OPENS_WINDOW);
            }
            case "released": {
                if (context.checkMode()) {
                    return new TaskResult.Ok(false, "would release " + DIR + name, data);
                }
                String script = "[ -d " + d + " ] || { echo absent; exit 0; }; if grep -qxF -- " + ShellQuote.quote("id=" + id) + " " + d
                        + "/owner; then rm -rf -- " + d + "; echo released; else cat -- " + d + "/owner; exit 3; fi";
                CommandResult r = context.connection().exec(ExecRequest.shell(script));
                if (r.rc() == 3) {
                    return new TaskResult.Failed("the lock is held by another run, not " + id + ": " + r.stdout().strip().replace('\n', ' '), data);
                }
                if (!r.succeeded()) {
                    return new TaskResult.Failed("fleet_lock: cannot release: " + r.stderr().strip(), data);
                }
                return new TaskResult.Ok(r.stdout().strip().equals("released"), "", data, Map.of("lock_id", ""), Declaration.CLOSES_WINDOW);
            }
            default:
                return new TaskResult.Failed("fleet_lock: state must be acquired or released, got '" + args.string("state") + "'");
        }
    }

    private static String controller() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "controller";
        }
    }
}
