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
import org.omerofleet.transport.SudoShell;
import org.omerofleet.transport.TransportException;

/**
 * Give a module one host's view of the run.
 */
final class HostContext implements TaskContext {

    private final RunScope run;
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
    /** where the host's become password comes from, read when a module first asks for {@link #sudo()} */
    private PasswordSource sudoPassword = Optional::empty;
    /** sudo for the module's own commands, with the host's become password when it has one; null until asked for */
    private SudoShell sudo;
    /** the host the commands run on: the task's host, or the one it is delegated to */
    private String connectTo;

    /**
     * One task on one host: the host, whom its commands run as, its variables, whether it only checks, and
     * the key naming the step the same way in a resumed run.
     */
    record Step(String host, Optional<Become> become, Map<String, Object> vars, boolean check, String stepKey) {
    }

    HostContext(RunScope run, Step step, Events log) {
        this.run = run;
        this.host = step.host();
        this.become = step.become();
        this.vars = step.vars();
        this.check = step.check();
        this.stepKey = step.stepKey();
        this.connections = run.connections();
        this.diff = run.options().diff();
        this.baseDir = run.baseDir();
        this.runDir = run.runDir();
        this.templating = run.templating();
        this.clock = run.clock();
        this.secrets = run.redactor()::add;
        this.log = log;
    }

    /** Where a module's log lines and progress go: the host's log and the run's listeners. */
    interface Events {
        void log(String line);

        void progress(org.omerofleet.result.Progress progress);
    }

    /** {@return the same context for the n-th attempt of a task that retries} */
    HostContext attempt(int n) {
        return new HostContext(run, new Step(host, become, vars, check, stepKey + "-try" + n), log)
                .withEnvironment(environment).delegatedTo(connectTo).withSudoPassword(sudoPassword);
    }

    /** The host's become password (empty: none), rendered from its variables when asked for. */
    interface PasswordSource {
        Optional<String> get() throws TemplateException;
    }

    /** {@return this context, the module's own sudo calls given the password from {@code source}} */
    HostContext withSudoPassword(PasswordSource source) {
        this.sudoPassword = source;
        this.sudo = null;
        return this;
    }

    @Override
    public SudoShell sudo() {
        if (sudo == null) {
            try {
                sudo = SudoShell.of(sudoPassword.get());
            } catch (TemplateException e) {
                throw new IllegalArgumentException("the host's become password: " + e.getMessage(), e);
            }
        }
        return sudo;
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
