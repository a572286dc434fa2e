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
        int throttle) implements Step {

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
        if (retries < 0) {
            throw new IllegalArgumentException("retries must not be negative");
        }
    }
}
