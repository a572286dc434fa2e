package org.omerofleet.testing;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.omerofleet.modules.Expressions;
import org.omerofleet.modules.TaskContext;
import org.omerofleet.transport.Connection;
import org.omerofleet.transport.SudoShell;

/**
 * The context a module runs in, for module tests: one host named {@code h1} on a {@link RecordingConnection},
 * a controller directory for relative paths and a run directory, check and diff mode as set.
 */
public final class ModuleContext implements TaskContext {

    private final Connection connection;
    private final Path baseDir;
    private final Path runDir;
    private final boolean check;
    private final boolean diff;
    private final List<String> log = new ArrayList<>();
    private final List<String> secrets = new ArrayList<>();
    private SudoShell sudo = SudoShell.withoutPassword();

    private ModuleContext(Connection connection, Path baseDir, Path runDir, boolean check, boolean diff) {
        this.connection = connection;
        this.baseDir = baseDir;
        this.runDir = runDir;
        this.check = check;
        this.diff = diff;
    }

    /** {@return a context for a normal run, with {@code dir} as both the controller directory and the run directory} */
    public static ModuleContext on(Connection connection, Path dir) {
        return new ModuleContext(connection, dir, dir, false, false);
    }

    /** {@return the same context in check mode} */
    public ModuleContext checking() {
        return new ModuleContext(connection, baseDir, runDir, true, diff);
    }

    /** {@return the same context with {@code --diff}} */
    public ModuleContext diffing() {
        return new ModuleContext(connection, baseDir, runDir, check, true);
    }

    /** {@return this context, the module's own sudo given {@code hostSudo} (not carried over by {@link #checking()}, {@link #diffing()})} */
    public ModuleContext withSudo(SudoShell hostSudo) {
        this.sudo = hostSudo;
        return this;
    }

    @Override
    public SudoShell sudo() {
        return sudo;
    }

    public List<String> logLines() {
        return List.copyOf(log);
    }

    @Override
    public String host() {
        return "h1";
    }

    @Override
    public Connection connection() {
        return connection;
    }

    @Override
    public Map<String, Object> vars() {
        return Map.of("inventory_hostname", "h1");
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
        throw new UnsupportedOperationException("the generic modules under test evaluate no expressions");
    }

    @Override
    public Clock clock() {
        return Clock.fixed(Instant.parse("2026-12-03T08:00:00Z"), ZoneOffset.UTC);
    }

    @Override
    public String stepKey() {
        return "run1-h1-t1-a1";
    }

    @Override
    public void log(String line) {
        log.add(line);
    }

    @Override
    public void addSecret(String value) {
        secrets.add(value);
    }
}
