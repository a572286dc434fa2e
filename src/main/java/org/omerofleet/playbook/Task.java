package org.omerofleet.playbook;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.omerofleet.input.SourcePosition;

/**
 * One task: a module with its raw (untemplated) arguments and Ansible's task keywords.
 *
 * @param where        where the task starts in its file
 * @param name         the task name, or {@code module} when none was given
 * @param module       the module's canonical short name (qualified Ansible names already resolved)
 * @param args         raw arguments; a free-form string sits under {@code _raw_params}
 * @param vars         task-level {@code vars:}
 * @param when         conditions, ANDed
 * @param register     the variable that receives the result
 * @param failedWhen   conditions that override failure, ORed as Ansible does
 * @param changedWhen  conditions that override "changed", ORed
 * @param ignoreErrors count a failure as ignored and go on
 * @param ignoreUnreachable go on when the host is unreachable
 * @param noLog        hide arguments and results in output, logs and reports
 * @param tags         tags, including inherited ones
 * @param notifies     handler names or {@code listen} topics to notify when changed
 * @param listen       for handlers: topics this handler also answers to
 * @param retries      with {@code until}: how many extra attempts
 * @param until        conditions to retry until
 * @param delay        wait between retries
 * @param checkMode    per-task override of check mode ({@code check_mode: false} runs even in --check)
 * @param runOnce      run on the first host of the batch only
 * @param become       run through {@code sudo -n -u becomeUser}
 * @param becomeUser   the user to become
 * @param throttle     at most this many hosts run the task at once (0: as many as {@code forks})
 * @param loop         the task's loop, if it has one: the task then runs once per item
 * @param environment  raw {@code environment:} variables (play, block and task merged), exported in the remote command
 * @param delegateTo   the raw {@code delegate_to:} host (a template), {@code localhost} for {@code local_action}
 * @param roleDefaults the {@code defaults} a role task sees besides the play's: its role's, its parents' and
 *                     dependencies', and those of public {@code include_role}s read before it; above the
 *                     play's role defaults, below every other variable (the inventory's included)
 *
 * <p>Build one by name with {@link #builder} and derive one from another with {@link #toBuilder}; the
 * canonical constructor is positional and meant for neither.
 */
public record Task(
        SourcePosition where,
        String name,
        String module,
        Map<String, Object> args,
        Map<String, Object> vars,
        List<String> when,
        Optional<String> register,
        List<String> failedWhen,
        List<String> changedWhen,
        boolean ignoreErrors,
        boolean ignoreUnreachable,
        boolean noLog,
        Set<String> tags,
        List<String> notifies,
        List<String> listen,
        int retries,
        List<String> until,
        Duration delay,
        Optional<Boolean> checkMode,
        boolean runOnce,
        boolean become,
        Optional<String> becomeUser,
        int throttle,
        Optional<Loop> loop,
        Map<String, Object> environment,
        Optional<String> delegateTo,
        Map<String, Object> roleDefaults) implements Step {

    public Task {
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(module, "module");
        args = Collections.unmodifiableMap(new LinkedHashMap<>(args));
        vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
        when = List.copyOf(when);
        Objects.requireNonNull(register, "register");
        failedWhen = List.copyOf(failedWhen);
        changedWhen = List.copyOf(changedWhen);
        tags = Set.copyOf(tags);
        notifies = List.copyOf(notifies);
        listen = List.copyOf(listen);
        until = List.copyOf(until);
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(checkMode, "checkMode");
        Objects.requireNonNull(becomeUser, "becomeUser");
        if (throttle < 0) {
            throw new IllegalArgumentException("throttle must not be negative");
        }
        Objects.requireNonNull(loop, "loop");
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        Objects.requireNonNull(delegateTo, "delegateTo");
        roleDefaults = Collections.unmodifiableMap(new LinkedHashMap<>(roleDefaults));
        if (retries < 0) {
            throw new IllegalArgumentException("retries must not be negative");
        }
    }

    /** {@return a builder for a task of {@code module} named {@code name}, every keyword at its default} */
    public static Builder builder(SourcePosition where, String name, String module) {
        return new Builder(where, name, module);
    }

    /** {@return a builder holding this task's values, to derive another task from it} */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds a {@link Task} by naming its keywords; what is not named keeps Ansible's default. */
    public static final class Builder {
        private SourcePosition where;
        private String name;
        private String module;
        private Map<String, Object> args = Map.of();
        private Map<String, Object> vars = Map.of();
        private List<String> when = List.of();
        private Optional<String> register = Optional.empty();
        private List<String> failedWhen = List.of();
        private List<String> changedWhen = List.of();
        private boolean ignoreErrors;
        private boolean ignoreUnreachable;
        private boolean noLog;
        private Set<String> tags = Set.of();
        private List<String> notifies = List.of();
        private List<String> listen = List.of();
        private int retries;
        private List<String> until = List.of();
        private Duration delay = Duration.ZERO;
        private Optional<Boolean> checkMode = Optional.empty();
        private boolean runOnce;
        private boolean become;
        private Optional<String> becomeUser = Optional.empty();
        private int throttle;
        private Optional<Loop> loop = Optional.empty();
        private Map<String, Object> environment = Map.of();
        private Optional<String> delegateTo = Optional.empty();
        private Map<String, Object> roleDefaults = Map.of();

        private Builder(SourcePosition where, String name, String module) {
            this.where = where;
            this.name = name;
            this.module = module;
        }

        private Builder(Task t) {
            this(t.where, t.name, t.module);
            args = t.args;
            vars = t.vars;
            when = t.when;
            register = t.register;
            failedWhen = t.failedWhen;
            changedWhen = t.changedWhen;
            ignoreErrors = t.ignoreErrors;
            ignoreUnreachable = t.ignoreUnreachable;
            noLog = t.noLog;
            tags = t.tags;
            notifies = t.notifies;
            listen = t.listen;
            retries = t.retries;
            until = t.until;
            delay = t.delay;
            checkMode = t.checkMode;
            runOnce = t.runOnce;
            become = t.become;
            becomeUser = t.becomeUser;
            throttle = t.throttle;
            loop = t.loop;
            environment = t.environment;
            delegateTo = t.delegateTo;
            roleDefaults = t.roleDefaults;
        }

        public Builder where(SourcePosition value) {
            where = value;
            return this;
        }

        public Builder name(String value) {
            name = value;
            return this;
        }

        public Builder module(String value) {
            module = value;
            return this;
        }

        public Builder args(Map<String, Object> value) {
            args = value;
            return this;
        }

        public Builder vars(Map<String, Object> value) {
            vars = value;
            return this;
        }

        public Builder when(List<String> value) {
            when = value;
            return this;
        }

        public Builder register(Optional<String> value) {
            register = value;
            return this;
        }

        public Builder failedWhen(List<String> value) {
            failedWhen = value;
            return this;
        }

        public Builder changedWhen(List<String> value) {
            changedWhen = value;
            return this;
        }

        public Builder ignoreErrors(boolean value) {
            ignoreErrors = value;
            return this;
        }

        public Builder ignoreUnreachable(boolean value) {
            ignoreUnreachable = value;
            return this;
        }

        public Builder noLog(boolean value) {
            noLog = value;
            return this;
        }

        public Builder tags(Set<String> value) {
            tags = value;
            return this;
        }

        public Builder notifies(List<String> value) {
            notifies = value;
            return this;
        }

        public Builder listen(List<String> value) {
            listen = value;
            return this;
        }

        public Builder retries(int value) {
            retries = value;
            return this;
        }

        public Builder until(List<String> value) {
            until = value;
            return this;
        }

        public Builder delay(Duration value) {
            delay = value;
            return this;
        }

        public Builder checkMode(Optional<Boolean> value) {
            checkMode = value;
            return this;
        }

        public Builder runOnce(boolean value) {
            runOnce = value;
            return this;
        }

        public Builder become(boolean value) {
            become = value;
            return this;
        }

        public Builder becomeUser(Optional<String> value) {
            becomeUser = value;
            return this;
        }

        public Builder throttle(int value) {
            throttle = value;
            return this;
        }

        public Builder loop(Optional<Loop> value) {
            loop = value;
            return this;
        }

        public Builder environment(Map<String, Object> value) {
            environment = value;
            return this;
        }

        public Builder delegateTo(Optional<String> value) {
            delegateTo = value;
            return this;
        }

        public Builder roleDefaults(Map<String, Object> value) {
            roleDefaults = value;
            return this;
        }

        /** {@return the task; the record's checks apply (no negative retries or throttle, no missing value)} */
        public Task build() {
            return new Task(where, name, module, args, vars, when, register, failedWhen, changedWhen, ignoreErrors, ignoreUnreachable,
                    noLog, tags, notifies, listen, retries, until, delay, checkMode, runOnce, become, becomeUser, throttle, loop,
                    environment, delegateTo, roleDefaults);
        }
    }
}
