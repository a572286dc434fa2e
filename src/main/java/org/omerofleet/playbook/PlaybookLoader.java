package org.omerofleet.playbook;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.omerofleet.input.InputError;
import org.omerofleet.input.InvalidInputException;
import org.omerofleet.input.SourcePosition;
import org.omerofleet.input.Suggestions;
import org.omerofleet.yaml.YamlNode;
import org.omerofleet.yaml.YamlReader;

/**
 * Load a playbook strictly: unknown keys, wrong types, unknown modules and arguments are errors with
 * file:line:column and a hint, all collected before one {@link InvalidInputException} is thrown.
 */
public final class PlaybookLoader {

    private static final Set<String> PLAY_KEYS = Set.of("name", "hosts", "vars", "vars_files", "tasks", "pre_tasks", "post_tasks",
            "handlers", "serial", "gather_facts", "max_fail_percentage", "any_errors_fatal", "force_handlers", "order", "become",
            "become_user", "become_method", "tags");
    private static final Set<String> TASK_KEYS = Set.of("name", "when", "register", "failed_when", "changed_when", "ignore_errors",
            "ignore_unreachable", "no_log", "tags", "notify", "listen", "retries", "until", "delay", "check_mode", "run_once",
            "become", "become_user", "become_method", "vars", "args", "throttle");
    private static final Set<String> BLOCK_KEYS = Set.of("name", "block", "rescue", "always", "when", "tags", "become",
            "become_user", "become_method", "ignore_errors", "ignore_unreachable", "no_log", "vars");
    private static final Set<String> UNSUPPORTED = Set.of("import_tasks", "include_tasks", "import_playbook", "include_role",
            "import_role", "roles", "loop", "with_items", "with_dict", "loop_control", "delegate_to", "local_action", "action",
            "async", "poll", "environment", "include", "include_vars", "strategy");
    /** Task keywords whose values are conditions (bare expressions), not templates. */
    private static final Set<String> CONDITION_KEYS = Set.of("when", "failed_when", "changed_when", "until");
    /** Keys holding task lists, each task checked on its own. */
    private static final Set<String> TASK_LISTS = Set.of("tasks", "pre_tasks", "post_tasks", "handlers", "block", "rescue", "always");
    private static final Set<String> ORDERS = Set.of("inventory", "reverse_inventory", "sorted", "reverse_sorted", "shuffle");

    private final ModuleCatalog catalog;
    private final LoaderSettings settings;

    public PlaybookLoader(ModuleCatalog catalog) {
        this(catalog, LoaderSettings.defaults());
    }

    public PlaybookLoader(ModuleCatalog catalog, LoaderSettings settings) {
        this.catalog = catalog;
        this.settings = settings;
    }

    /** {@return the directories searched for roles after {@code roles/} beside the playbook (Ansible's roles_path)} */
    public List<Path> rolesPath() {
        return settings.rolesPath();
    }

    /** {@return the YAML in {@code file}, decrypted with the run's vault passwords when encrypted} */
    YamlNode readYaml(Path file) throws InvalidInputException {
        return YamlReader.read(file, settings.vault());
    }

    /** {@return the validated playbook in {@code file}} */
    public Playbook load(Path file) throws InvalidInputException {
        YamlNode root = readYaml(file);
        Reader reader = new Reader(file);
        List<Play> plays = new ArrayList<>();
        if (!(root instanceof YamlNode.Sequence)) {
            reader.error(root.position(), "a playbook must be a list of plays, got " + root.kind(), "start each play with '- hosts: ...'");
        } else {
            for (YamlNode item : ((YamlNode.Sequence) root).items()) {
                reader.play(item).ifPresent(plays::add);
            }
            if (plays.isEmpty() && reader.errors.isEmpty()) {
                reader.error(root.position(), "the playbook has no plays", null);
            }
        }
        if (!reader.errors.isEmpty()) {
            throw new InvalidInputException(reader.errors);
        }
        return new Playbook(file, plays);
    }

    /** Per-file state: where errors go. */
    private final class Reader {
        final Path file;
        final List<InputError> errors = new ArrayList<>();

        Reader(Path file) {
            this.file = file;
        }

        /** Only sudo is supported: su and the others would need a password on a terminal. */
        void becomeMethod(YamlNode.Mapping m) {
            m.get("become_method").ifPresent(n -> {
                String method = string(n, "become_method");
                if (!method.equals("sudo")) {
                    error(n.position(), "become_method '" + method + "' is not supported; only sudo (run as sudo -n, never asking for a password)",
                            null);
                }
            });
        }

        void error(SourcePosition where, String message, String hint) {
            errors.add(new InputError(where, message, Optional.ofNullable(hint)));
        }

        Optional<Play> play(YamlNode node) {
            if (!(node instanceof YamlNode.Mapping)) {
                error(node.position(), "a play must be a mapping, got " + node.kind(), null);
                return Optional.empty();
            }
            YamlNode.Mapping m = (YamlNode.Mapping) node;
            checkKeys(m, PLAY_KEYS, "play");
            syntax(m, null);
            String hosts = m.get("hosts").map(n -> string(n, "hosts")).orElse(null);
            if (hosts == null) {
                error(m.position(), "a play needs 'hosts'", "add 'hosts: all' or a group name");
                hosts = "";
            }
            Map<String, Object> vars = new LinkedHashMap<>(vars(m.get("vars")));
            m.get("vars_files").ifPresent(n -> varsFiles(n, vars));
            becomeMethod(m);
            Inherited inherited = new Inherited(List.of(), tagsOf(m.get("tags")), bool(m.get("become"), "become", settings.become()),
                    m.get("become_user").map(n -> string(n, "become_user")).or(settings::becomeUser), false, false, false, Map.of());
            List<Step> tasks = new ArrayList<>();
            for (String section : List.of("pre_tasks", "tasks", "post_tasks")) {
                m.get(section).ifPresent(n -> tasks.addAll(steps(n, inherited, section)));
            }
            List<Task> handlers = new ArrayList<>();
            m.get("handlers").ifPresent(n -> steps(n, inherited, "handlers").forEach(s -> {
                if (s instanceof Task) {
                    handlers.add((Task) s);
                } else {
                    error(s.where(), "handlers cannot be blocks", null);
                }
            }));
            List<Object> serial = m.get("serial").map(this::serial).orElse(List.of());
            Optional<Integer> maxFail = m.get("max_fail_percentage").map(n -> {
                int v = integer(n, "max_fail_percentage", 0);
                if (v < 0 || v > 100) {
                    error(n.position(), "max_fail_percentage must be 0-100, got " + v, null);
                }
                return v;
            });
            String order = m.get("order").map(n -> string(n, "order")).orElse("inventory");
            if (!ORDERS.contains(order)) {
                error(m.get("order").orElseThrow().position(), "order must be one of " + ORDERS + ", got '" + order + "'",
                        Suggestions.didYouMean(order, ORDERS).orElse(null));
            }
            String name = m.get("name").map(n -> string(n, "name")).orElse(hosts);
            return Optional.of(new Play(m.position(), name, hosts, vars, tasks, handlers, serial,
                    bool(m.get("gather_facts"), "gather_facts", true), maxFail, bool(m.get("any_errors_fatal"), "any_errors_fatal", false),
                    bool(m.get("force_handlers"), "force_handlers", false), order, tagsOf(m.get("tags"))));
        }

        /** Keywords a block passes down to the tasks inside it. */
        private final class Inherited {
            final List<String> when;
            final Set<String> tags;
            final boolean become;
            final Optional<String> becomeUser;
            final boolean ignoreErrors;
            final boolean ignoreUnreachable;
            final boolean noLog;
            final Map<String, Object> vars;

            Inherited(List<String> when, Set<String> tags, boolean become, Optional<String> becomeUser, boolean ignoreErrors,
                      boolean ignoreUnreachable, boolean noLog, Map<String, Object> vars) {
                this.when = when;
                this.tags = tags;
                this.become = become;
                this.becomeUser = becomeUser;
                this.ignoreErrors = ignoreErrors;
                this.ignoreUnreachable = ignoreUnreachable;
                this.noLog = noLog;
                this.vars = vars;
            }
        }

        List<Step> steps(YamlNode node, Inherited inherited, String section) {
            List<Step> out = new ArrayList<>();
            if (node instanceof YamlNode.Scalar && ((YamlNode.Scalar) node).type() == YamlNode.Scalar.Type.NULL) {
                return out;
            }
            if (!(node instanceof YamlNode.Sequence)) {
                error(node.position(), "'" + section + "' must be a list of tasks, got " + node.kind(), null);
                return out;
            }
            for (YamlNode item : ((YamlNode.Sequence) node).items()) {
                if (!(item instanceof YamlNode.Mapping)) {
                    error(item.position(), "a task must be a mapping, got " + item.kind(), null);
                    continue;
                }
                YamlNode.Mapping m = (YamlNode.Mapping) item;
                if (m.entries().containsKey("block")) {
                    block(m, inherited).ifPresent(out::add);
                } else {
                    task(m, inherited).ifPresent(out::add);
                }
            }
            return out;
        }

        Optional<Step> block(YamlNode.Mapping m, Inherited outer) {
            checkKeys(m, BLOCK_KEYS, "block");
            syntax(m, null);
            List<String> when = new ArrayList<>(outer.when);
            when.addAll(conditions(m.get("when"), "when"));
            Set<String> tags = new LinkedHashSet<>(outer.tags);
            tags.addAll(tagsOf(m.get("tags")));
            Map<String, Object> vars = new LinkedHashMap<>(outer.vars);
            vars.putAll(vars(m.get("vars")));
            becomeMethod(m);
            Inherited inner = new Inherited(when, tags, bool(m.get("become"), "become", outer.become),
                    m.get("become_user").map(n -> string(n, "become_user")).or(() -> outer.becomeUser),
                    bool(m.get("ignore_errors"), "ignore_errors", outer.ignoreErrors),
                    bool(m.get("ignore_unreachable"), "ignore_unreachable", outer.ignoreUnreachable),
                    bool(m.get("no_log"), "no_log", outer.noLog), vars);
            List<Step> body = m.get("block").map(n -> steps(n, inner, "block")).orElse(List.of());
            List<Step> rescue = m.get("rescue").map(n -> steps(n, inner, "rescue")).orElse(List.of());
            List<Step> always = m.get("always").map(n -> steps(n, inner, "always")).orElse(List.of());
            String name = m.get("name").map(n -> string(n, "name")).orElse("block");
            return Optional.of(new Block(m.position(), name, body, rescue, always, when, tags));
        }

        Optional<Step> task(YamlNode.Mapping m, Inherited outer) {
            List<String> moduleKeys = new ArrayList<>();
            for (String key : m.entries().keySet()) {
                if (TASK_KEYS.contains(key)) {
                    continue;
                }
                if (UNSUPPORTED.contains(key)) {
                    error(m.keyPosition(key), "'" + key + "' is not supported by omero-fleet", "write the tasks out in this playbook");
                    return Optional.empty();
                }
                if (key.equals("rescue") || key.equals("always")) {
                    error(m.keyPosition(key), "'" + key + "' belongs to a block", "put the tasks under 'block:'");
                    return Optional.empty();
                }
                moduleKeys.add(key);
            }
            if (moduleKeys.isEmpty()) {
                error(m.position(), "the task names no module", null);
                return Optional.empty();
            }
            String moduleKey = null;
            Optional<ModuleCatalog.ModuleSpec> spec = Optional.empty();
            for (String key : moduleKeys) {
                Optional<ModuleCatalog.ModuleSpec> found = catalog.lookup(key);
                if (found.isPresent()) {
                    if (moduleKey != null) {
                        error(m.keyPosition(key), "the task names two modules, '" + moduleKey + "' and '" + key + "'", null);
                        return Optional.empty();
                    }
                    moduleKey = key;
                    spec = found;
                }
            }
            if (moduleKey == null) {
                String key = moduleKeys.get(0);
                Set<String> candidates = new LinkedHashSet<>(TASK_KEYS);
                error(m.keyPosition(key), "unknown key or module '" + key + "'", Suggestions.didYouMean(key, candidates).orElse(null));
                return Optional.empty();
            }
            for (String key : moduleKeys) {
                if (!key.equals(moduleKey)) {
                    error(m.keyPosition(key), "unknown key '" + key + "' in a task", Suggestions.didYouMean(key, TASK_KEYS).orElse(null));
                }
            }
            ModuleCatalog.ModuleSpec module = spec.orElseThrow();
            syntax(m, module.canonicalName().equals("assert") ? moduleKey : null);
            Map<String, Object> args = args(m.get(moduleKey).orElseThrow(), module);
            m.get("args").ifPresent(n -> args.putAll(vars(Optional.of(n))));
            checkArgs(m.keyPosition(moduleKey), module, args);
            List<String> when = new ArrayList<>(outer.when);
            when.addAll(conditions(m.get("when"), "when"));
            Set<String> tags = new LinkedHashSet<>(outer.tags);
            tags.addAll(tagsOf(m.get("tags")));
            Map<String, Object> vars = new LinkedHashMap<>(outer.vars);
            vars.putAll(vars(m.get("vars")));
            Optional<String> register = m.get("register").map(n -> string(n, "register"));
            register.ifPresent(r -> {
                if (!r.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    error(m.get("register").orElseThrow().position(), "register needs a variable name, got '" + r + "'", null);
                }
            });
            List<String> until = conditions(m.get("until"), "until");
            int retries = m.get("retries").map(n -> integer(n, "retries", 0)).orElse(until.isEmpty() ? 0 : 3);
            int delay = m.get("delay").map(n -> integer(n, "delay", 5)).orElse(5);
            String name = m.get("name").map(n -> string(n, "name")).orElse(module.canonicalName());
            becomeMethod(m);
            return Optional.of(new Task(m.position(), name, module.canonicalName(), args, vars, when, register,
                    conditions(m.get("failed_when"), "failed_when"), conditions(m.get("changed_when"), "changed_when"),
                    bool(m.get("ignore_errors"), "ignore_errors", outer.ignoreErrors),
                    bool(m.get("ignore_unreachable"), "ignore_unreachable", outer.ignoreUnreachable),
                    bool(m.get("no_log"), "no_log", outer.noLog), tags, strings(m.get("notify"), "notify"),
                    strings(m.get("listen"), "listen"), retries, until, Duration.ofSeconds(delay),
                    m.get("check_mode").map(n -> bool(Optional.of(n), "check_mode", false)), bool(m.get("run_once"), "run_once", false),
                    bool(m.get("become"), "become", outer.become),
                    m.get("become_user").map(n -> string(n, "become_user")).or(() -> outer.becomeUser),
                    m.get("throttle").map(n -> nonNegative(n, "throttle")).orElse(0)));
        }

        /**
         * Parse every template and condition in a play, block or task now, before any host is contacted:
         * found while running, a syntax error would stop a host after earlier tasks had changed it. Only syntax
         * is checked; undefined names are {@link VariableCheck}'s concern. {@code assertKey} names the
         * {@code assert} module's key, whose {@code that} holds conditions.
         */
        void syntax(YamlNode.Mapping m, String assertKey) {
            m.entries().forEach((key, value) -> {
                if (CONDITION_KEYS.contains(key)) {
                    conditionSyntax(value, key);
                } else if (key.equals(assertKey) && value instanceof YamlNode.Mapping) {
                    ((YamlNode.Mapping) value).entries().forEach((arg, v) -> {
                        if (arg.equals("that")) {
                            conditionSyntax(v, key + ".that");
                        } else {
                            templateSyntax(v, key + "." + arg);
                        }
                    });
                } else if (!TASK_LISTS.contains(key)) {
                    templateSyntax(value, key);
                }
            });
        }

        private void conditionSyntax(YamlNode node, String field) {
            List<YamlNode> items = node instanceof YamlNode.Sequence ? ((YamlNode.Sequence) node).items() : List.of(node);
            for (YamlNode item : items) {
                if (item instanceof YamlNode.Scalar && ((YamlNode.Scalar) item).type() != YamlNode.Scalar.Type.NULL) {
                    Templating.conditionSyntaxError(((YamlNode.Scalar) item).text())
                            .ifPresent(problem -> error(item.position(), "'" + field + "': " + problem, null));
                }
            }
        }

        private void templateSyntax(YamlNode node, String field) {
            if (node instanceof YamlNode.Scalar) {
                if (((YamlNode.Scalar) node).type() == YamlNode.Scalar.Type.STRING) {
                    Templating.templateSyntaxError(((YamlNode.Scalar) node).text())
                            .ifPresent(problem -> error(node.position(), "'" + field + "': " + problem, null));
                }
            } else if (node instanceof YamlNode.Mapping) {
                ((YamlNode.Mapping) node).entries().values().forEach(v -> templateSyntax(v, field));
            } else {
                ((YamlNode.Sequence) node).items().forEach(v -> templateSyntax(v, field));
            }
        }

        Map<String, Object> args(YamlNode node, ModuleCatalog.ModuleSpec module) {
            Map<String, Object> args = new LinkedHashMap<>();
            if (node instanceof YamlNode.Mapping) {
                args.putAll(vars(Optional.of(node)));
            } else if (node instanceof YamlNode.Scalar && ((YamlNode.Scalar) node).type() != YamlNode.Scalar.Type.NULL) {
                String text = ((YamlNode.Scalar) node).text();
                Map<String, Object> pairs;
                try {
                    pairs = KeyValue.pairs(text, module.freeForm(), freeFormKeys(module));
                } catch (IllegalArgumentException e) {
                    error(node.position(), "cannot split the arguments of '" + module.canonicalName() + "': " + e.getMessage(),
                            "quote the whole value, or close the quote or '{{ }}'");
                    return args;
                }
                String rest = (String) pairs.remove(KeyValue.REST);
                if (module.freeForm()) {
                    if (!rest.isBlank()) {
                        args.put("_raw_params", rest);
                    }
                } else if (!rest.isBlank()) {
                    error(node.position(), "module '" + module.canonicalName() + "' takes key=value arguments, got '" + rest + "'", null);
                }
                args.putAll(pairs);
            } else if (!(node instanceof YamlNode.Scalar)) {
                error(node.position(), "module arguments must be a mapping or a string, got " + node.kind(), null);
            }
            return args;
        }

        /** In a free-form string, {@code cmd=} and {@code argv=} are words of the command, as in Ansible. */
        private Set<String> freeFormKeys(ModuleCatalog.ModuleSpec module) {
            Set<String> keys = new LinkedHashSet<>(module.parameters());
            keys.removeAll(Set.of("cmd", "argv", "_raw_params"));
            return keys;
        }

        void checkArgs(SourcePosition where, ModuleCatalog.ModuleSpec module, Map<String, Object> args) {
            if (module.parameters().contains("*")) {
                return;
            }
            for (String key : args.keySet()) {
                if (key.equals("_raw_params") && module.freeForm()) {
                    continue;
                }
                if (!module.parameters().contains(key)) {
                    error(where, "module '" + module.canonicalName() + "' has no argument '" + key + "'",
                            Suggestions.didYouMean(key, module.parameters()).orElse("it takes " + new java.util.TreeSet<>(module.parameters())));
                }
            }
            for (String key : module.required()) {
                if (!args.containsKey(key) && !(module.freeForm() && args.containsKey("_raw_params"))) {
                    error(where, "module '" + module.canonicalName() + "' needs argument '" + key + "'", null);
                }
            }
        }

        void checkKeys(YamlNode.Mapping m, Set<String> allowed, String what) {
            for (String key : m.entries().keySet()) {
                if (allowed.contains(key)) {
                    continue;
                }
                if (UNSUPPORTED.contains(key)) {
                    error(m.keyPosition(key), "'" + key + "' is not supported by omero-fleet", null);
                } else {
                    error(m.keyPosition(key), "unknown key '" + key + "' in a " + what, Suggestions.didYouMean(key, allowed).orElse(null));
                }
            }
        }

        List<Object> serial(YamlNode node) {
            List<Object> out = new ArrayList<>();
            List<YamlNode> items = node instanceof YamlNode.Sequence ? ((YamlNode.Sequence) node).items() : List.of(node);
            for (YamlNode item : items) {
                if (item instanceof YamlNode.Scalar) {
                    YamlNode.Scalar s = (YamlNode.Scalar) item;
                    if (s.type() == YamlNode.Scalar.Type.INTEGER && s.toValue() instanceof Long && (Long) s.toValue() >= 1) {
                        out.add(((Long) s.toValue()).intValue());
                        continue;
                    }
                    if (s.type() == YamlNode.Scalar.Type.STRING && s.text().matches("\\s*\\d+(\\.\\d+)?\\s*%\\s*")) {
                        double p = Double.parseDouble(s.text().strip().replace("%", "").strip());
                        if (p > 0 && p <= 100) {
                            out.add(s.text().strip());
                            continue;
                        }
                    }
                    if (s.type() == YamlNode.Scalar.Type.STRING && s.text().matches("\\d+") && Integer.parseInt(s.text()) >= 1) {
                        out.add(Integer.parseInt(s.text()));
                        continue;
                    }
                }
                error(item.position(), "serial takes whole numbers of at least 1 or percentages in (0%, 100%], got '"
                        + (item instanceof YamlNode.Scalar ? ((YamlNode.Scalar) item).text() : item.kind()) + "'", "e.g. serial: [1, \"25%\"]");
            }
            return out;
        }

        Map<String, Object> vars(Optional<YamlNode> node) {
            if (node.isEmpty()) {
                return Map.of();
            }
            YamlNode n = node.get();
            if (n instanceof YamlNode.Scalar && ((YamlNode.Scalar) n).type() == YamlNode.Scalar.Type.NULL) {
                return Map.of();
            }
            if (!(n instanceof YamlNode.Mapping)) {
                error(n.position(), "expected a mapping, got " + n.kind(), null);
                return Map.of();
            }
            YamlNode.Mapping m = (YamlNode.Mapping) n;
            for (Map.Entry<String, YamlNode> e : m.entries().entrySet()) {
                if (e.getValue() instanceof YamlNode.Scalar && ((YamlNode.Scalar) e.getValue()).type() == YamlNode.Scalar.Type.FLOAT
                        && e.getKey().matches("(?i).*(version|release|target)$")) {
                    String text = ((YamlNode.Scalar) e.getValue()).text();
                    error(e.getValue().position(), "'" + e.getKey() + "' is the number " + e.getValue().toValue() + ", not a version",
                            "write '" + text + "' in quotes: YAML reads " + text + " as a number");
                }
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> values = (Map<String, Object>) m.toValue();
            return values;
        }

        void varsFiles(YamlNode node, Map<String, Object> vars) {
            for (String name : strings(Optional.of(node), "vars_files")) {
                Path path = file.toAbsolutePath().getParent().resolve(name);
                try {
                    YamlNode root = readYaml(path);
                    templateSyntax(root, "vars_files");
                    vars.putAll(vars(Optional.of(root)));
                } catch (InvalidInputException e) {
                    errors.addAll(e.errors());
                }
            }
        }

        String string(YamlNode node, String field) {
            if (node instanceof YamlNode.Scalar && ((YamlNode.Scalar) node).type() != YamlNode.Scalar.Type.NULL) {
                return ((YamlNode.Scalar) node).text();
            }
            error(node.position(), "'" + field + "' must be a string, got " + node.kind(), null);
            return "";
        }

        int nonNegative(YamlNode node, String field) {
            int value = integer(node, field, 0);
            if (value < 0) {
                error(node.position(), "'" + field + "' must not be negative, got " + value, null);
                return 0;
            }
            return value;
        }

        int integer(YamlNode node, String field, int fallback) {
            if (node instanceof YamlNode.Scalar) {
                YamlNode.Scalar s = (YamlNode.Scalar) node;
                if (s.type() == YamlNode.Scalar.Type.INTEGER && s.toValue() instanceof Long) {
                    return ((Long) s.toValue()).intValue();
                }
                if (s.type() == YamlNode.Scalar.Type.STRING && s.text().matches("\\d+")) {
                    return Integer.parseInt(s.text());
                }
            }
            error(node.position(), "'" + field + "' must be a whole number, got " + node.kind(), null);
            return fallback;
        }

        boolean bool(Optional<YamlNode> node, String field, boolean fallback) {
            if (node.isEmpty()) {
                return fallback;
            }
            YamlNode n = node.get();
            if (n instanceof YamlNode.Scalar) {
                YamlNode.Scalar s = (YamlNode.Scalar) n;
                if (s.type() == YamlNode.Scalar.Type.BOOLEAN) {
                    return (Boolean) s.toValue();
                }
                String t = s.text().strip().toLowerCase(java.util.Locale.ROOT);
                if (t.equals("true") || t.equals("yes")) {
                    return true;
                }
                if (t.equals("false") || t.equals("no")) {
                    return false;
                }
            }
            error(n.position(), "'" + field + "' must be true or false, got " + n.kind(), null);
            return fallback;
        }

        List<String> conditions(Optional<YamlNode> node, String field) {
            if (node.isEmpty()) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            YamlNode n = node.get();
            List<YamlNode> items = n instanceof YamlNode.Sequence ? ((YamlNode.Sequence) n).items() : List.of(n);
            for (YamlNode item : items) {
                if (item instanceof YamlNode.Scalar && ((YamlNode.Scalar) item).type() != YamlNode.Scalar.Type.NULL) {
                    out.add(((YamlNode.Scalar) item).text());
                } else {
                    error(item.position(), "'" + field + "' takes conditions (strings or booleans), got " + item.kind(), null);
                }
            }
            return out;
        }

        List<String> strings(Optional<YamlNode> node, String field) {
            if (node.isEmpty()) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            YamlNode n = node.get();
            List<YamlNode> items = n instanceof YamlNode.Sequence ? ((YamlNode.Sequence) n).items() : List.of(n);
            for (YamlNode item : items) {
                out.add(string(item, field));
            }
            return out;
        }

        Set<String> tagsOf(Optional<YamlNode> node) {
            Set<String> tags = new LinkedHashSet<>();
            for (String t : strings(node, "tags")) {
                for (String part : t.split(",")) {
                    if (!part.isBlank()) {
                        tags.add(part.strip());
                    }
                }
            }
            return tags;
        }
    }
}
