package org.omerofleet.modules.omero;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import org.omerofleet.modules.Args;
import org.omerofleet.modules.Expressions;
import org.omerofleet.modules.Module;
import org.omerofleet.modules.TaskContext;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.Connection;
import org.omerofleet.transport.PreludeConnection;
import org.omerofleet.transport.ShellQuote;
import org.omerofleet.transport.TransportException;

/**
 * Run every command of an OMERO module in the OMERO user's login environment, as an administrator's
 * {@code bin/omero} runs: the variables {@link #NAMES} take the values the user's login shell
 * ({@code $SHELL -l}, reading {@code /etc/profile}, {@code ~/.profile} and what they source) gives them,
 * then the host variable {@code omero_env} (a mapping) is exported on top. {@code omero_login_env: false}
 * turns the login shell off ({@code omero_env} still applies). A login shell that dies in its profile fails
 * the command (exit 92) with a message naming the way out, rather than running in a half-read environment.
 * The fragment and the values travel on the command's standard input, never on its command line. A login
 * shell that is not a POSIX one (csh, fish) is not asked: {@code /bin/sh -l} is.
 */
final class LoginEnvironment implements Module {

    /** The variables taken from the login shell: where a host keeps python, Ice, Java and their libraries. */
    static final String NAMES = "PATH PYTHONPATH LD_LIBRARY_PATH ICE_HOME JAVA_HOME";
    /** Exit status of a command whose login shell did not reach the end of its profile. */
    static final int LOGIN_FAILED = 92;
    private static final String MARK = "@@omero-fleet-login-env@@";

    /** Prints each variable as a line to eval; the login shell itself turns each ' into '\'' (no sed per variable). */
    private static final String CAPTURE = "printf '\\n%s\\n' '" + MARK + "'; for v in " + NAMES + "; do eval \"s=\\${$v+set}\"; "
            + "if [ \"$s\" = set ]; then eval \"r=\\$$v\"; q=; "
            + "while :; do case $r in *\"'\"*) h=${r%%\"'\"*}; q=$q$h\"'\\\\''\"; r=${r#*\"'\"} ;; *) q=$q$r; break ;; esac; done; "
            + "printf \"export %s='%s'\\n\" \"$v\" \"$q\"; else printf 'unset %s\\n' \"$v\"; fi; done";

    static final String FRAGMENT = "omero_fleet_env=$(case \"${SHELL##*/}\" in sh|bash|dash|ksh|mksh|zsh|ash|yash) s=$SHELL ;; *) s=/bin/sh ;; esac; "
            + "\"$s\" -l -c " + ShellQuote.quote(CAPTURE) + " </dev/null 2>/dev/null); "
            + "case $omero_fleet_env in *'" + MARK + "'*) ;; *) echo \"the login shell (${SHELL:-/bin/sh} -l) did not get through its profile: "
            + "fix the profile, or set omero_login_env: false (and omero_env)\" >&2; exit " + LOGIN_FAILED + " ;; esac; "
            + "eval \"${omero_fleet_env#*" + MARK + "}\"; unset omero_fleet_env\n";

    private final Module module;

    LoginEnvironment(Module module) {
        this.module = module;
    }

    @Override
    public String name() {
        return module.name();
    }

    @Override
    public Set<String> parameters() {
        return module.parameters();
    }

    @Override
    public Set<String> required() {
        return module.required();
    }

    @Override
    public boolean freeForm() {
        return module.freeForm();
    }

    @Override
    public boolean supportsCheckMode() {
        return module.supportsCheckMode();
    }

    @Override
    public boolean needsConnection() {
        return module.needsConnection();
    }

    @Override
    public boolean safeToRepeat() {
        return module.safeToRepeat();
    }

    @Override
    public TaskResult run(TaskContext context, Args args) throws TransportException {
        String prelude = prelude(context.vars());
        return module.run(prelude.isEmpty() ? context : new Context(context, prelude), args);
    }

    /**
     * {@return the shell text run before each command: the login shell's values, then {@code omero_env}}
     *
     * @throws IllegalArgumentException when {@code omero_env} is not a mapping of shell names
     */
    static String prelude(Map<String, Object> vars) {
        StringBuilder text = new StringBuilder();
        Object login = vars.getOrDefault("omero_login_env", true);
        if (!(Boolean.FALSE.equals(login) || String.valueOf(login).strip().toLowerCase(java.util.Locale.ROOT).matches("false|no|off|0"))) {
            text.append(FRAGMENT);
        }
        Object env = vars.get("omero_env");
        if (env != null && !(env instanceof Map)) {
            throw new IllegalArgumentException("omero_env must be a mapping of environment variables, got " + env.getClass().getSimpleName());
        }
        if (env instanceof Map<?, ?> map) {
            map.forEach((name, value) -> {
                if (!String.valueOf(name).matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    throw new IllegalArgumentException("omero_env: '" + name + "' is not a valid environment variable name");
                }
                text.append("export ").append(name).append('=').append(ShellQuote.quote(String.valueOf(value))).append('\n');
            });
        }
        return text.toString();
    }

    /** The task's context, with a connection that runs the prelude before each command. */
    private record Context(TaskContext context, String prelude) implements TaskContext {
        @Override
        public String host() {
            return context.host();
        }

        @Override
        public Connection connection() throws TransportException {
            return new PreludeConnection(context.connection(), prelude);
        }

        @Override
        public org.omerofleet.transport.SudoShell sudo() {
            return context.sudo();
        }

        @Override
        public Map<String, Object> vars() {
            return context.vars();
        }

        @Override
        public boolean checkMode() {
            return context.checkMode();
        }

        @Override
        public boolean diffMode() {
            return context.diffMode();
        }

        @Override
        public Path baseDir() {
            return context.baseDir();
        }

        @Override
        public Path runDir() {
            return context.runDir();
        }

        @Override
        public Expressions expressions() {
            return context.expressions();
        }

        @Override
        public Clock clock() {
            return context.clock();
        }

        @Override
        public String stepKey() {
            return context.stepKey();
        }

        @Override
        public void log(String line) {
            context.log(line);
        }

        @Override
        public void progress(org.omerofleet.result.Progress progress) {
            context.progress(progress);
        }

        @Override
        public void addSecret(String value) {
            context.addSecret(value);
        }
    }
}
