package org.omerofleet.executor;

import java.util.Map;
import org.omerofleet.transport.Connection;
import org.omerofleet.transport.PreludeConnection;
import org.omerofleet.transport.ShellQuote;

/**
 * A task's {@code environment}: {@code export} lines run before each of its commands, sent on standard
 * input ({@link PreludeConnection}), so that the values, secrets among them, are never on a command line.
 * Wrap the become view, not the other way round: sudo clears the environment, so the exports must run in
 * the shell sudo starts.
 */
final class TaskEnvironment {

    private TaskEnvironment() {
    }

    /** {@return {@code connection} running every command with {@code environment} exported} */
    static Connection apply(Connection connection, Map<String, String> environment) {
        StringBuilder script = new StringBuilder();
        environment.forEach((name, value) -> {
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("environment variable name '" + name + "' is not a valid shell name");
            }
            script.append("export ").append(name).append('=').append(ShellQuote.quote(value)).append('\n');
        });
        return new PreludeConnection(connection, script.toString());
    }
}
