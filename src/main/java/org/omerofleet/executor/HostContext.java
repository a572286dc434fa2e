package org.omerofleet.executor;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.omerofleet.modules.Expressions;
import org.omerofleet.modules.TaskContext;
import org.omerofleet.playbook.TemplateException;
import org.omerofleet.playbook.Templating;
import org.omerofleet.transport.Become;
import org.omerofleet.transport.BecomeConnection;
import org.omerofleet.transport.Connection;
import org.omerofleet.transport.TransportException;

/**
 * Give a module one host's view of the run.
 */
final class HostContext implements TaskContext {

    private final String host;
    private final ConnectionPool connections;
    private final Optional<Become> become;
    private final Map<String, Object> vars;
    private final boolean check;
    private final boolean diff;
    private final Path baseDir;
    private final Path runDir;
    private final Templating templating;
    private final Clock clock;
    private final Events log;
    private final String stepKey;
    private final Consumer<String> secrets;
    /** the task's rendered {@code environment:}, exported in every command it runs */
    private Map<String, String> environment = Map.of();
    /** the host the commands run on: the task's host, or the one it is delegated to */
    private String connectTo;

    HostContext(String host, ConnectionPool connections, Optional<Become> become, Map<String, Object> vars, boolean check, boolean diff,
                Path baseDir, Path runDir, Templating templating, Clock clock, Events log, String stepKey,
                Consumer<String> secrets) {
        this.host = host;
        this.become = become;
        this.connections = connections;
        this.vars = vars;
        this.check = check;
        this.diff = diff;
        this.baseDir = baseDir;
        this.runDir = runDir;
        this.templating = templating;
        this.clock = clock;
        this.log = log;
        this.stepKey = stepKey;
        this.secrets = secrets;
    }

    /** Where a module's log lines and progress go: the host's log and the run's listeners. */
    interface Events {
        void log(String line);

        void progress(org.omerofleet.result.Progress progress);
    }

    /** {@return the same context for the n-th attempt of a task that retries} */
    HostContext attempt(int n) {
        return new HostContext(host, connections, become, vars, check, diff, baseDir, runDir, templating, clock, log, stepKey + "-try" + n, secrets)
                .withEnvironment(environment).delegatedTo(connectTo);
    }

    /** {@return this context, its commands run on {@code delegate} (null: on its own host)} */
    HostContext delegatedTo(String delegate) {
        this.connectTo = delegate;
        return this;
    }

    /** {@return this context, its commands run with {@code env} exported} */
    HostContext withEnvironment(Map<String, String> env) {
        this.environment = Map.copyOf(env);
        return this;
    }

    @Override
    public String stepKey() {
        return stepKey;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public Connection connection() throws TransportException {
        Connection connection = connections.get(connectTo == null ? host : connectTo);
        if (become.isPresent()) {
            connection = new BecomeConnection(connection, become.get());
        }
        // outside the become view: the exports then run in the shell that sudo starts
        return environment.isEmpty() ? connection : TaskEnvironment.apply(connection, environment);
    }

    @Override
    public Map<String, Object> vars() {
        return vars;
    }

    @Override
    public boolean checkMode() {
        return check;
    }

    @Override
    public boolean diffMode() {
        return diff;
    }

    @Override
    public Path baseDir() {
        return baseDir;
    }

    @Override
    public Path runDir() {
        return runDir;
    }

    @Override
    public Expressions expressions() {
        return new Expressions() {
            @Override
            public Object evaluate(String expression) {
                try {
                    return templating.evaluate(expression, vars);
                } catch (TemplateException e) {
                    throw new IllegalArgumentException(e.getMessage(), e);
                }
            }

            @Override
            public String renderFile(String text, Map<String, Object> extraVars, boolean trimBlocks, boolean lstripBlocks) {
                Map<String, Object> all = new java.util.HashMap<>(vars);
                all.putAll(extraVars);
                try {
                    return templating.renderFile(text, all, trimBlocks, lstripBlocks);
                } catch (TemplateException e) {
                    throw new IllegalArgumentException(e.getMessage(), e);
                }
            }

            @Override
            public boolean test(String condition) {
                try {
                    return templating.test(condition, vars);
                } catch (TemplateException e) {
                    throw new IllegalArgumentException(e.getMessage(), e);
                }
            }
        };
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public void log(String line) {
        log.log(line);
    }

    @Override
    public void progress(org.omerofleet.result.Progress progress) {
        log.progress(progress);
    }

    @Override
    public void addSecret(String value) {
        secrets.accept(value);
    }
}
