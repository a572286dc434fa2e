package org.omerofleet.modules;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.omerofleet.transport.Connection;
import org.omerofleet.transport.SudoShell;
import org.omerofleet.transport.TransportException;

/**
 * Give a module what it may use while running on one host.
 */
public interface TaskContext {

    /** {@return the inventory name of the host} */
    String host();

    /** {@return the host's connection, opened on first use and reused for the whole run} */
    Connection connection() throws TransportException;

    /**
     * {@return sudo for the module's own commands ({@code systemctl}, {@code createdb} as {@code postgres}), with
     * the host's become password when one is set, the same for every call of this step} Without one it is
     * {@code sudo -n}. A context wrapping another must give the other's.
     */
    default SudoShell sudo() {
        return SudoShell.withoutPassword();
    }

    /** {@return every variable visible to this task on this host (inventory, play, facts, registered, extra)} */
    Map<String, Object> vars();

    /** {@return whether this is a {@code --check} run: change nothing, say what would change} */
    boolean checkMode();

    /** {@return whether {@code --diff} asked for file and config differences} */
    boolean diffMode();

    /** {@return the directory relative controller paths ({@code copy src}) are resolved against} */
    Path baseDir();

    /** {@return the directory of this run ({@code runs/<id>}), for files fetched or kept by modules} */
    Path runDir();

    /** {@return the Jinja evaluator for {@code assert}, {@code debug var} and conditions} */
    Expressions expressions();

    Clock clock();

    /**
     * {@return a name for this step on this host (run, host, task, attempt) that stays the same when a
     * resumed run repeats the step} A module that starts a long job on the host names the job after it,
     * so that the repeat finds the job and waits for it instead of starting a second one.
     */
    String stepKey();

    /** Append a line to this host's log in the run directory (secrets are redacted by the caller). */
    void log(String line);

    /**
     * Report how far a long step (a dump, a restore, a database upgrade, an upload) has got while it runs,
     * for the console and the host log; called every few seconds, from the thread running the module.
     */
    default void progress(org.omerofleet.result.Progress progress) {
    }

    /**
     * Declare a secret this module read from the host (a database password in config.xml): from now on,
     * for the rest of the run, it is masked in the console, {@code --diff}, the journal, the host logs and
     * the report. Call it before the value can reach a log line or the result.
     */
    void addSecret(String value);
}
