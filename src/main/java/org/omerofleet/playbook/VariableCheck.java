package org.omerofleet.playbook;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.omerofleet.input.InputError;
import org.omerofleet.input.Suggestions;

/**
 * Find variables that a playbook uses but nothing defines, before any host is contacted.
 *
 * <p>Known names are the caller's (inventory and extra vars), play and task vars, every
 * {@code register}, {@code set_fact} keys and Ansible's magic variables. A name used only behind
 * {@code default(...)} or in {@code is defined}/{@code is undefined} is not required. Only the root of
 * a dotted name counts.
 */
public final class VariableCheck {

    private static final Set<String> MAGIC = Set.of("inventory_hostname", "inventory_hostname_short", "groups", "group_names",
            "hostvars", "play_hosts", "ansible_play_hosts", "ansible_play_batch", "ansible_check_mode", "ansible_facts", "omit",
            "item", "ansible_failed_task", "ansible_failed_result", "ansible_run_tags", "playbook_dir", "fleet_run_dir",
            "role_name", "role_path", "ansible_hostname", "ansible_system", "ansible_kernel", "ansible_architecture", "ansible_user_id");
    private static final Set<String> WORDS = Set.of("true", "false", "none", "True", "False", "None", "and", "or", "not", "in", "is",
            "if", "else", "elif", "endif", "for", "endfor", "set", "endset", "loop", "range", "lookup", "query", "dict", "lipsum", "namespace");
    private static final Pattern EXPRESSION = Pattern.compile("\\{\\{(.*?)\\}\\}|\\{%(.*?)%\\}", Pattern.DOTALL);
    private static final Pattern STRING = Pattern.compile("'(?:[^'\\\\]|\\\\.)*'|\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern DEFINED = Pattern.compile("(?<![\\w.])([A-Za-z_]\\w*)(?:\\.\\w+)*\\s+is\\s+defined\\b");
    private static final Pattern LOCAL = Pattern.compile("\\{%-?\\s*(?:for\\s+([A-Za-z_]\\w*(?:\\s*,\\s*[A-Za-z_]\\w*)*)\\s+in\\b|set\\s+([A-Za-z_]\\w*)\\s*=)");
    private static final Pattern NAME = Pattern.compile("(?<![\\w.])([A-Za-z_][A-Za-z0-9_]*)");

    /** {@return one error per undefined variable, at the task or play that uses it} */
    public List<InputError> check(Playbook playbook, Set<String> knownNames) {
        List<InputError> errors = new ArrayList<>();
        for (Play play : playbook.plays()) {
            Set<String> known = new LinkedHashSet<>(knownNames);
            known.addAll(MAGIC);
            known.addAll(play.vars().keySet());
            known.addAll(play.defaults().keySet());
            collectDefinitions(play.tasks(), known);
            play.handlers().forEach(h -> collectDefinitions(List.of(h), known));
            for (Object v : play.vars().values()) {
                checkValue(v, known, play.where(), "vars", errors);
            }
            checkSteps(play.tasks(), known, errors);
            checkSteps(new ArrayList<>(play.handlers()), known, errors);
        }
        return errors;
    }

    private static void collectDefinitions(List<? extends Step> steps, Set<String> known) {
        for (Task t : Step.tasksIn(steps)) {
            t.register().ifPresent(known::add);
            known.addAll(t.vars().keySet());
            known.addAll(t.roleDefaults().keySet());
            if (t.module().equals("set_fact")) {
                known.addAll(t.args().keySet());
            }
            if (t.module().equals("include_vars") && t.args().get("_values") instanceof Map<?, ?> values) {
                values.keySet().forEach(k -> known.add(String.valueOf(k)));
            }
        }
    }

    /** Check each task of {@code steps}; the tasks a looping include runs also know its loop variables. */
    private void checkSteps(List<? extends Step> steps, Set<String> known, List<InputError> errors) {
        for (Step step : steps) {
            if (step instanceof Block block) {
                checkSteps(block.block(), known, errors);
                checkSteps(block.rescue(), known, errors);
                checkSteps(block.always(), known, errors);
            } else if (step instanceof Include include) {
                checkTask(include.task(), known, errors);
                checkSteps(include.steps(), includedLoopVars(include.task(), known), errors);
            } else {
                checkTask((Task) step, known, errors);
            }
        }
    }

    /** {@return the known names plus the variables an include's loop gives the tasks it includes (as ansible-core 2.14)} */
    private static Set<String> includedLoopVars(Task include, Set<String> known) {
        if (include.loop().isEmpty()) {
            return known;
        }
        Set<String> names = new LinkedHashSet<>(known);
        names.add(include.loop().get().loopVar());
        include.loop().get().indexVar().ifPresent(names::add);
        if (include.loop().get().extended()) {
            names.add("ansible_loop");
        }
        return names;
    }

    private void checkTask(Task t, Set<String> playKnown, List<InputError> errors) {
        t.loop().ifPresent(loop -> checkValue(loop.items(), playKnown, t.where(), loop.keyword(), errors));
        Set<String> known = withLoopVars(t, playKnown);
        Set<String> guarded = guardedBy(t.when(), known);
        checkValue(t.name(), guarded, t.where(), "name", errors);
        if (!t.module().equals("include_vars")) {
            checkValue(t.args(), guarded, t.where(), t.module(), errors);
        }
        checkValue(t.vars(), guarded, t.where(), "vars", errors);
        for (String c : t.when()) {
            checkExpression(c, known, t, "when", errors);
        }
        for (String c : t.failedWhen()) {
            checkExpression(c, known, t, "failed_when", errors);
        }
        for (String c : t.changedWhen()) {
            checkExpression(c, known, t, "changed_when", errors);
        }
        for (String c : t.until()) {
            checkExpression(c, known, t, "until", errors);
        }
    }

    /** {@return the known names plus the variables a task's loop defines for each item} */
    private static Set<String> withLoopVars(Task t, Set<String> known) {
        if (t.loop().isEmpty()) {
            return known;
        }
        Set<String> names = new LinkedHashSet<>(known);
        names.add(t.loop().get().loopVar());
        t.loop().get().indexVar().ifPresent(names::add);
        names.addAll(Set.of("ansible_loop", "ansible_loop_var", "ansible_index_var"));
        return names;
    }

    /** {@return the known names plus those a task's {@code when: x is defined} guarantees for its arguments} */
    private static Set<String> guardedBy(List<String> when, Set<String> known) {
        Set<String> names = new LinkedHashSet<>(known);
        for (String condition : when) {
            Matcher m = DEFINED.matcher(condition);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    private void checkValue(Object value, Set<String> known, org.omerofleet.input.SourcePosition where, String field,
                            List<InputError> errors) {
        if (value instanceof String) {
            Set<String> names = withTemplateLocals((String) value, known);
            Matcher m = EXPRESSION.matcher((String) value);
            while (m.find()) {
                String expr = m.group(1) != null ? m.group(1) : m.group(2);
                report(undefined(expr, names), names, where, field, errors);
            }
        } else if (value instanceof Map) {
            ((Map<?, ?>) value).values().forEach(v -> checkValue(v, known, where, field, errors));
        } else if (value instanceof List) {
            ((List<?>) value).forEach(v -> checkValue(v, known, where, field, errors));
        }
    }

    /** {@return the known names plus those the template binds itself, with {@code {% for x in %}} and {@code {% set x = %}}} */
    private static Set<String> withTemplateLocals(String template, Set<String> known) {
        Matcher m = LOCAL.matcher(template);
        Set<String> names = known;
        while (m.find()) {
            if (names == known) {
                names = new LinkedHashSet<>(known);
            }
            for (String name : (m.group(1) != null ? m.group(1) : m.group(2)).split(",")) {
                names.add(name.strip());
            }
        }
        return names;
    }

    private void checkExpression(String condition, Set<String> known, Task task, String field, List<InputError> errors) {
        String c = condition.strip();
        if (c.startsWith("{{") && c.endsWith("}}")) {
            c = c.substring(2, c.length() - 2);
        }
        report(undefined(c, known), known, task.where(), field, errors);
    }

    private static void report(Set<String> names, Set<String> known, org.omerofleet.input.SourcePosition where, String field,
                               List<InputError> errors) {
        for (String name : names) {
            errors.add(new InputError(where, "undefined variable '" + name + "' in " + field,
                    Suggestions.didYouMean(name, known).orElse("define it in vars, the inventory, or with -e " + name + "=...")));
        }
    }

    /** {@return the root names in {@code expression} that are neither known nor guarded} */
    static Set<String> undefined(String expression, Set<String> known) {
        String e = STRING.matcher(expression).replaceAll("''");
        Set<String> missing = new LinkedHashSet<>();
        Matcher m = NAME.matcher(e);
        while (m.find()) {
            String name = m.group(1);
            int end = m.end();
            String before = e.substring(0, m.start()).stripTrailing();
            String after = e.substring(end).stripLeading();
            if (known.contains(name) || WORDS.contains(name)) {
                continue;
            }
            if (before.endsWith("|") || before.endsWith(" is") || before.endsWith("is not") || before.endsWith("for")
                    || after.startsWith("(") || after.startsWith("=") && !after.startsWith("==")) {
                continue; // a filter, a test, a function or a keyword argument
            }
            if (after.matches("(?s)^(\\.[A-Za-z_][\\w]*|\\[[^]]*\\])*\\s*(\\|\\s*(default|d)\\b|is\\s+(not\\s+)?(defined|undefined|none)).*")) {
                continue; // guarded
            }
            missing.add(name);
        }
        return missing;
    }
}
