package org.omerofleet.modules;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.omerofleet.playbook.TemplateException;
import org.omerofleet.playbook.Templating;
import org.omerofleet.result.TaskResult;
import org.omerofleet.sandbox.SandboxFleet;
import org.omerofleet.transport.Connection;
import org.omerofleet.transport.ConnectionFactory;
import org.omerofleet.transport.HostKeyPolicy;
import org.omerofleet.transport.PassphraseProvider;
import org.omerofleet.transport.SshTarget;
import org.omerofleet.transport.mina.MinaConnectionFactory;

/**
 * Run one module against a sandbox host over real SSH (MINA SSHD, the real {@code /bin/sh}), with the
 * project's own Jinja templating, in normal, check or diff mode.
 */
final class SandboxTasks implements AutoCloseable {

    final SandboxFleet fleet;
    final Path controllerDir;
    private final ConnectionFactory factory;
    private final Map<String, Connection> connections = new HashMap<>();
    private final Templating templating = new Templating();
    /** Every command a module ran, in order (the recording side of the real connection). */
    final List<String> commands = new ArrayList<>();

    SandboxTasks(Path dir, String... hosts) throws Exception {
        this(dir, List.of(), hosts);
    }

    SandboxTasks(Path dir, List<Path> extraPath, String... hosts) throws Exception {
        fleet = SandboxFleet.start(dir.resolve("fleet"), List.of(hosts), extraPath);
        controllerDir = java.nio.file.Files.createDirectories(dir.resolve("controller"));
        factory = new MinaConnectionFactory(PassphraseProvider.none(), name -> null);
    }

    Path home(String host) {
        return fleet.host(host).home();
    }

    /** How one task runs. */
    record Mode(boolean check, boolean diff, Map<String, Object> vars) {
        static final Mode NORMAL = new Mode(false, false, Map.of());
        static final Mode CHECK = new Mode(true, false, Map.of());
        static final Mode DIFF = new Mode(false, true, Map.of());
        static final Mode CHECK_DIFF = new Mode(true, true, Map.of());

        Mode withVars(Map<String, Object> v) {
            return new Mode(check, diff, v);
        }
    }

    TaskResult run(Module module, String host, Map<String, Object> args) throws Exception {
        return run(module, host, args, Mode.NORMAL);
    }

    TaskResult run(Module module, String host, Map<String, Object> args, Mode mode) throws Exception {
        return module.run(context(host, mode), new Args(module.name(), args));
    }

    synchronized Connection connection(String host) throws Exception {
        Connection c = connections.get(host);
        if (c == null) {
            c = factory.open(new SshTarget(host, "127.0.0.1", fleet.host(host).port(), fleet.user(), List.of(fleet.clientKey()),
                    Optional.empty(), fleet.knownHosts(), HostKeyPolicy.STRICT, Duration.ofSeconds(5), 0, Duration.ofSeconds(15),
                    Optional.empty(), List.of()));
            connections.put(host, c);
        }
        return c;
    }

    TaskContext context(String host, Mode mode) throws Exception {
        Connection real = connection(host);
        Connection recording = new RecordingConnection(real, commands);
        Map<String, Object> vars = new LinkedHashMap<>(mode.vars());
        vars.putIfAbsent("inventory_hostname", host);
        return new TaskContext() {
            public String host() { return host; }
            public Connection connection() { return recording; }
            public Map<String, Object> vars() { return vars; }
            public boolean checkMode() { return mode.check(); }
            public boolean diffMode() { return mode.diff(); }
            public Path baseDir() { return controllerDir; }
            public Path runDir() { return controllerDir; }
            public Expressions expressions() { return SandboxTasks.this.expressionsFor(vars); }
            public Clock clock() { return Clock.systemUTC(); }
            public String stepKey() { return "t1"; }
            public void log(String line) { }
            public void addSecret(String value) { }
        };
    }

    private Expressions expressionsFor(Map<String, Object> vars) {
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
            public boolean test(String condition) {
                try {
                    return templating.test(condition, vars);
                } catch (TemplateException e) {
                    throw new IllegalArgumentException(e.getMessage(), e);
                }
            }

            @Override
            public String renderFile(String text, Map<String, Object> extraVars, boolean trimBlocks, boolean lstripBlocks) {
                Map<String, Object> all = new HashMap<>(vars);
                all.putAll(extraVars);
                try {
                    return templating.renderFile(text, all, trimBlocks, lstripBlocks);
                } catch (TemplateException e) {
                    throw new IllegalArgumentException(e.getMessage(), e);
                }
            }
        };
    }

    @Override
    public void close() {
        connections.values().forEach(Connection::close);
        factory.close();
        fleet.close();
    }

    /** A real connection that notes each command it runs. */
    private record RecordingConnection(Connection real, List<String> commands) implements Connection {
        @Override
        public org.omerofleet.transport.CommandResult exec(org.omerofleet.transport.ExecRequest request)
                throws org.omerofleet.transport.TransportException {
            synchronized (commands) {
                commands.add(request.command());
            }
            return real.exec(request);
        }

        @Override
        public String upload(Path local, String remotePath, int mode, Optional<String> sha256) throws org.omerofleet.transport.TransportException {
            commands.add("(upload " + remotePath + ")");
            return real.upload(local, remotePath, mode, sha256);
        }

        @Override
        public String download(String remotePath, Path local) throws org.omerofleet.transport.TransportException {
            return real.download(remotePath, local);
        }

        @Override
        public org.omerofleet.transport.PortForward forwardLocal(String host, int port) throws org.omerofleet.transport.TransportException {
            return real.forwardLocal(host, port);
        }

        @Override
        public boolean isOpen() {
            return real.isOpen();
        }

        @Override
        public void close() {
        }
    }
}
