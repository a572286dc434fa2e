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
            "become_user", "become_method", "tags", "environment", "roles");
    private static final Set<String> INCLUDE_KEYWORDS = Set.of("import_tasks", "include_tasks", "import_role", "include_role");
    private static final Set<String> TASK_KEYS = Set.of("name", "when", "register", "failed_when", "changed_when", "ignore_errors",
            "ignore_unreachable", "no_log", "tags", "notify", "listen", "retries", "until", "delay", "check_mode", "run_once",
            "become", "become_user", "become_method", "vars", "args", "throttle", "loop", "with_items", "with_list", "with_dict",
            "loop_control", "environment", "delegate_to");
    private static final List<String> LOOP_KEYS = List.of("loop", "with_items", "with_list", "with_dict");
    private static final Set<String> LOOP_CONTROL_KEYS = Set.of("loop_var", "index_var", "label", "pause", "extended");
    private static final Set<String> BLOCK_KEYS = Set.of("name", "block", "rescue", "always", "when", "tags", "become",
            "become_user", "become_method", "ignore_errors", "ignore_unreachable", "no_log", "vars", "environment");
    private static final Set<String> UNSUPPORTED = Set.of( "action",
            "async", "poll", "include", "strategy");
    /** Task keywords whose values are conditions (bare expressions), not templates. */
    private static final Set<String> CONDITION_KEYS = Set.of("when", "failed_when", "changed_when", "until");
    /** Keys holding task lists, each task checked on its own. */
    private static final Set<String> TASK_LISTS = Set.of("tasks", "pre_tasks", "post_tasks", "handlers", "block", "rescue", "always");
    private static final Set<String> ORDERS = Set.of("inventory", "reverse_inventory", "sorted", "reverse_sorted", "shuffle");

    private final ModuleCatalog catalog;
    private final LoaderSettings settings;

    /** A loader with no vault password, no become, and roles found only beside the playbook. */
    public PlaybookLoader(ModuleCatalog catalog) {
        this(catalog, LoaderSettings.defaults());
    }

    /** A loader that finds roles in {@code roles/} beside the playbook, then in {@code rolesPath} in order. */
    public PlaybookLoader(ModuleCatalog catalog, List<Path> rolesPath) {
        this(catalog, new LoaderSettings(LoaderSettings.defaults().vault(), rolesPath, false, Optional.empty()));
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
            reader.plays((YamlNode.Sequence) root, plays);
            if (plays.isEmpty() && reader.errors.isEmpty()) {
                reader.error(root.position(), "the playbook has no plays", null);
            }
        }
        if (!reader.errors.isEmpty()) {
            throw new InvalidInputException(reader.errors);
        }
        return new Playbook(file, plays);
    }

    /** {@return a keyword without its {@code ansible.builtin.} or {@code ansible.legacy.} prefix} */
    private static String shortName(String key) {
        return key.startsWith("ansible.builtin.") ? key.substring(16) : key.startsWith("ansible.legacy.") ? key.substring(15) : key;
    }

    /** Per-playbook state: where errors go, the file being read, the roles and includes being read. */
    /** Which tasks see the defaults and vars of a role, besides the role's own. */
    private enum RoleScope {
        /** every task of the play: roles of {@code roles:}, {@code import_role}, their dependencies */
        PLAY,
        /** the tasks read after it: a public {@code include_role}, a role imported by one */
        FROM_HERE,
        /** none: an {@code include_role} without {@code public: true} */
        PRIVATE
    }

    /** {@return {@code first} overlaid with {@code second}} */
    private static Map<String, Object> merged(Map<String, Object> first, Map<String, Object> second) {
        Map<String, Object> all = new LinkedHashMap<>(first);
        all.putAll(second);
        return all;
    }

    private final class Reader {
        /** the playbook file whose plays are being read (an imported playbook while it is read) */
        Path file;
        final List<InputError> errors = new ArrayList<>();
        /** the task files and playbooks being read, innermost last: an include of one of them is a cycle */
        final java.util.Deque<Path> reading = new java.util.ArrayDeque<>();
        /** the role whose files are being read, if any */
        Path role;
        /** Where the defaults and vars of the role being read are seen (see {@link RoleScope}) */
        RoleScope roleScope = RoleScope.PLAY;
        /** per play: the roles' defaults, vars and handlers, and the roles already read (a role runs once per play) */
        Map<String, Object> roleDefaults = new LinkedHashMap<>();
        Map<String, Object> roleVars = new LinkedHashMap<>();
        /** per play: the defaults and vars of the public include_roles read so far, seen by the tasks read after them */
        Map<String, Object> publicDefaults = new LinkedHashMap<>();
        Map<String, Object> publicVars = new LinkedHashMap<>();
        /** the defaults of the dependencies of the role being read, each with its own dependencies' */
        Map<String, Object> dependencyDefaults = new LinkedHashMap<>();
        List<Step> roleHandlers = new ArrayList<>();
        Set<String> rolesSeen = new java.util.HashSet<>();

        Reader(Path file) {
            this.file = file;
            reading.add(file.toAbsolutePath().normalize());
        }

        /** Read the plays of a playbook's root list, following {@code import_playbook}. */
        void plays(YamlNode.Sequence root, List<Play> plays) {
            for (YamlNode item : root.items()) {
                if (item instanceof YamlNode.Mapping m && (m.entries().containsKey("import_playbook")
                        || m.entries().containsKey("ansible.builtin.import_playbook"))) {
                    importPlaybook(m, plays);
                } else {
                    play(item).ifPresent(plays::add);
                }
            }
        }

        void importPlaybook(YamlNode.Mapping m, List<Play> plays) {
            String key = m.entries().containsKey("import_playbook") ? "import_playbook" : "ansible.builtin.import_playbook";
            checkKeys(m, Set.of(key, "name", "vars", "tags"), "import_playbook");
            Optional<Path> found = includedFile(m, key, List.of(file.toAbsolutePath().getParent()));
            if (found.isEmpty()) {
                return;
            }
            Path previous = file;
            try {
                YamlNode root = readYaml(found.get());
                if (!(root instanceof YamlNode.Sequence seq)) {
                    error(root.position(), "an imported playbook must be a list of plays, got " + root.kind(), null);
                    return;
                }
                file = found.get();
                reading.add(found.get());
                List<Play> imported = new ArrayList<>();
                plays(seq, imported);
                Map<String, Object> vars = vars(m.get("vars"));
                for (Play p : imported) {
                    Map<String, Object> merged = new LinkedHashMap<>(vars);
                    merged.putAll(p.vars());
                    plays.add(p.withVars(merged));
                }
            } catch (InvalidInputException e) {
                errors.addAll(e.errors());
            } finally {
                file = previous;
                reading.remove(found.get());
            }
        }

        /**
         * {@return the file an include, import or {@code import_playbook} names, looked up in {@code dirs} in order}
         * Reports a missing, templated or cyclic name at the keyword.
         */
        Optional<Path> includedFile(YamlNode.Mapping m, String key, List<Path> dirs) {
            YamlNode node = m.get(key).orElseThrow();
            if (node instanceof YamlNode.Mapping args) {
                checkKeys(args, Set.of("file", "apply"), key);
                args.get("apply").ifPresent(n -> error(args.keyPosition("apply"), "'apply' is not supported by omero-fleet",
                        "put the keywords on the included tasks, or use import_tasks inside a block"));
                node = args.get("file").orElse(null);
                if (node == null) {
                    error(m.keyPosition(key), "'" + key + "' needs 'file'", null);
                    return Optional.empty();
                }
            }
            String name = string(node, key);
            if (name.isEmpty()) {
                return Optional.empty();
            }
            if (Templating.isTemplate(name)) {
                error(node.position(), "'" + key + "' with a templated file name is not supported by omero-fleet: it is read when the"
                        + " playbook loads, and its name is not rendered then (not even from play vars)", key.contains("import_tasks")
                        ? "use 'include_tasks', which reads the file each host names when it runs" : "name the file, and choose with 'when:'");
                return Optional.empty();
            }
            List<Path> tried = new ArrayList<>();
            for (Path dir : dirs) {
                Path candidate = dir.resolve(name).toAbsolutePath().normalize();
                if (!tried.contains(candidate)) {
                    tried.add(candidate);
                }
                if (java.nio.file.Files.isRegularFile(candidate)) {
                    if (reading.contains(candidate)) {
                        error(node.position(), "'" + key + "' of " + name + " includes itself (" + reading.stream().map(Path::toString)
                                .collect(java.util.stream.Collectors.joining(" -> ")) + ")", null);
                        return Optional.empty();
                    }
                    return Optional.of(candidate);
                }
            }
            error(node.position(), "'" + key + "': file '" + name + "' not found; looked for " + tried.stream().map(Path::toString)
                    .collect(java.util.stream.Collectors.joining(", ")), null);
            return Optional.empty();
        }

        /** Only sudo is supported: su and the others read their password from a terminal, not from their input. */
        void becomeMethod(YamlNode.Mapping m) {
            m.get("become_method").ifPresent(n -> {
                String method = string(n, "become_method");
                if (!method.equals("sudo")) {
                    error(n.position(), "become_method '" + method + "' is not supported; only sudo (sudo -n, or sudo -S with a become"
                            + " password: -K, --become-password-file, ansible_become_password)", null);
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
            roleDefaults = new LinkedHashMap<>();
            roleVars = new LinkedHashMap<>();
            publicDefaults = new LinkedHashMap<>();
            publicVars = new LinkedHashMap<>();
            roleHandlers = new ArrayList<>();
            rolesSeen = new java.util.HashSet<>();
            Map<String, Object> vars = new LinkedHashMap<>(vars(m.get("vars")));
            m.get("vars_files").ifPresent(n -> varsFiles(n, vars));
            becomeMethod(m);
            Inherited inherited = new Inherited(List.of(), tagsOf(m.get("tags")), new Keywords(bool(m.get("become"), "become", settings.become()),
                    m.get("become_user").map(n -> string(n, "become_user")).or(settings::becomeUser), false, false, false), Map.of());
            inherited.environment = environment(m, Map.of());
            List<Step> tasks = new ArrayList<>();
            m.get("pre_tasks").ifPresent(n -> tasks.addAll(steps(n, inherited, "pre_tasks")));
            int afterPreTasks = tasks.size();
            m.get("roles").ifPresent(n -> tasks.addAll(roles(n, inherited)));
            m.get("tasks").ifPresent(n -> tasks.addAll(steps(n, inherited, "tasks")));
            int afterTasks = tasks.size();
            m.get("post_tasks").ifPresent(n -> tasks.addAll(steps(n, inherited, "post_tasks")));
            vars.putAll(roleVars); // role vars rank above play vars
            List<Task> handlers = new ArrayList<>();
            List<Step> handlerSteps = new ArrayList<>(roleHandlers);
            m.get("handlers").ifPresent(n -> handlerSteps.addAll(steps(n, inherited, "handlers")));
            // as Ansible compiles a play, handlers notified in a section run before the next one starts (a
            // flush after an empty section, or before none, would do nothing: the end of the play flushes)
            if (!handlerSteps.isEmpty() && tasks.size() > afterTasks) {
                tasks.add(afterTasks, ImplicitFlush.at(m.position()));
            }
            if (!handlerSteps.isEmpty() && afterPreTasks > 0 && tasks.size() > afterPreTasks) {
                tasks.add(afterPreTasks, ImplicitFlush.at(m.position()));
            }
            handlerSteps.forEach(s -> {
                if (s instanceof Task) {
                    handlers.add((Task) s);
                } else {
                    error(s.where(), "handlers cannot be blocks or includes", null);
                }
            });
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
                    bool(m.get("force_handlers"), "force_handlers", false), order, tagsOf(m.get("tags")), roleDefaults));
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
            /** {@code environment:} of the play and the enclosing blocks */
            Map<String, Object> environment = Map.of();
            /** the defaults of the enclosing roles, their dependencies' first, the innermost role's last */
            Map<String, Object> defaults = Map.of();

            Inherited(List<String> when, Set<String> tags, Keywords keywords, Map<String, Object> vars) {
                this.when = when;
                this.tags = tags;
                this.become = keywords.become();
                this.becomeUser = keywords.becomeUser();
                this.ignoreErrors = keywords.ignoreErrors();
                this.ignoreUnreachable = keywords.ignoreUnreachable();
                this.noLog = keywords.noLog();
                this.vars = vars;
            }

            Keywords keywords() {
                return new Keywords(become, becomeUser, ignoreErrors, ignoreUnreachable, noLog);
            }
        }

        /** The keywords a block's tasks take from it unless they say otherwise. */
        private record Keywords(boolean become, Optional<String> becomeUser, boolean ignoreErrors, boolean ignoreUnreachable, boolean noLog) {
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
                if (m.entries().containsKey("local_action")) {
                    Optional<YamlNode.Mapping> rewritten = localAction(m);
                    if (rewritten.isEmpty()) {
                        continue;
                    }
                    m = rewritten.get();
                }
                Optional<String> include = m.entries().keySet().stream().filter(k -> INCLUDE_KEYWORDS.contains(shortName(k))).findFirst();
                if (m.entries().containsKey("block")) {
                    block(m, inherited).ifPresent(out::add);
                } else if (m.entries().keySet().stream().anyMatch(k -> shortName(k).equals("include_vars"))) {
                    includeVars(m, inherited).ifPresent(out::add);
                } else if (include.isPresent()) {
                    include(m, inherited, include.get()).ifPresent(out::add);
                } else {
                    task(m, inherited).ifPresent(out::add);
                }
            }
            return out;
        }

        /**
         * {@return the task written out: {@code local_action: shell echo hi} is {@code shell: echo hi} with
         * {@code delegate_to: localhost}; in the mapping form, {@code module} names the module}
         */
        Optional<YamlNode.Mapping> localAction(YamlNode.Mapping m) {
            YamlNode action = m.get("local_action").orElseThrow();
            SourcePosition at = m.keyPosition("local_action");
            if (m.entries().containsKey("delegate_to")) {
                error(m.keyPosition("delegate_to"), "a task with 'local_action' cannot also have 'delegate_to'", null);
                return Optional.empty();
            }
            String module;
            YamlNode args;
            if (action instanceof YamlNode.Scalar sc && sc.type() == YamlNode.Scalar.Type.STRING && !sc.text().isBlank()) {
                String text = sc.text().strip();
                int space = text.indexOf(' ');
                module = space < 0 ? text : text.substring(0, space);
                args = new YamlNode.Scalar(sc.position(), space < 0 ? "" : text.substring(space + 1).strip(),
                        space < 0 ? YamlNode.Scalar.Type.NULL : YamlNode.Scalar.Type.STRING);
            } else if (action instanceof YamlNode.Mapping am && am.get("module").isPresent()) {
                module = string(am.get("module").get(), "local_action.module");
                Map<String, YamlNode> rest = new LinkedHashMap<>(am.entries());
                rest.remove("module");
                Map<String, SourcePosition> positions = new LinkedHashMap<>();
                rest.keySet().forEach(k -> positions.put(k, am.keyPosition(k)));
                args = new YamlNode.Mapping(am.position(), rest, positions);
            } else {
                error(action.position(), "'local_action' takes 'MODULE ARGS' or a mapping with 'module'", "e.g. local_action: command echo hi");
                return Optional.empty();
            }
            Map<String, YamlNode> entries = new LinkedHashMap<>();
            Map<String, SourcePosition> positions = new LinkedHashMap<>();
            m.entries().forEach((k, v) -> {
                if (k.equals("local_action")) {
                    entries.put(module, args);
                    positions.put(module, at);
                    entries.put("delegate_to", new YamlNode.Scalar(at, "localhost", YamlNode.Scalar.Type.STRING));
                    positions.put("delegate_to", at);
                } else {
                    entries.put(k, v);
                    positions.put(k, m.keyPosition(k));
                }
            });
            return Optional.of(new YamlNode.Mapping(m.position(), entries, positions));
        }

        /**
         * {@code include_vars}: the file is read now, found beside the file naming it, in its {@code vars/}
         * directory, in the role's {@code vars/}, or beside the playbook; the task sets its variables when it
         * runs (above play and task vars, below {@code set_fact} and extra vars, as in Ansible).
         */
        Optional<Step> includeVars(YamlNode.Mapping m, Inherited outer) {
            String key = m.entries().keySet().stream().filter(k -> shortName(k).equals("include_vars")).findFirst().orElseThrow();
            checkKeys(m, Set.of(key, "name", "when", "tags", "vars", "no_log", "register"), "include_vars");
            syntax(m, null);
            YamlNode node = m.get(key).orElseThrow();
            Optional<String> under = Optional.empty();
            YamlNode.Mapping fileArg = m;
            String fileKey = key;
            List<Path> files = new ArrayList<>();
            if (node instanceof YamlNode.Mapping args && args.get("dir").isPresent()) {
                checkKeys(args, VarsDir.ARGUMENTS, "include_vars with 'dir'");
                args.get("file").ifPresent(n -> error(args.keyPosition("file"), "'include_vars' takes 'file' or 'dir', not both", null));
                under = args.get("name").map(n -> variableName(n, "include_vars.name"));
                files.addAll(varsDir(args));
            } else if (node instanceof YamlNode.Mapping args) {
                checkKeys(args, Set.of("file", "name"), "include_vars");
                under = args.get("name").map(n -> variableName(n, "include_vars.name"));
                fileArg = args;
                fileKey = "file";
                if (args.get("file").isEmpty()) {
                    error(m.keyPosition(key), "'include_vars' needs 'file' or 'dir'", null);
                    return Optional.empty();
                }
            }
            List<Path> dirs = new ArrayList<>();
            Path here = reading.getLast().getParent();
            dirs.add(here.resolve("vars"));
            dirs.add(here);
            if (role != null) {
                dirs.add(role.resolve("vars"));
            }
            dirs.add(file.toAbsolutePath().getParent().resolve("vars"));
            dirs.add(file.toAbsolutePath().getParent());
            Map<String, Object> values = new LinkedHashMap<>();
            Map<String, Object> args = new LinkedHashMap<>();
            if (node instanceof YamlNode.Mapping dirArgs && dirArgs.get("dir").isPresent()) {
                files.forEach(f -> values.putAll(varsFileAt(f))); // a later file's top-level keys win, as in Ansible
                args.put("dir", string(dirArgs.get("dir").get(), "dir"));
            } else {
                Optional<Path> found = includedFile(fileArg, fileKey, dirs);
                if (found.isEmpty()) {
                    return Optional.empty();
                }
                files.add(found.get());
                values.putAll(roleVarsFile(found.get().getParent(), found.get().getFileName().toString()));
                args.put("file", found.get().toString());
            }
            args.put("_files", files.stream().map(Path::toString).toList());
            args.put("_values", under.isPresent() ? Map.of(under.get(), values) : values);
            List<String> when = new ArrayList<>(outer.when);
            when.addAll(conditions(m.get("when"), "when"));
            Set<String> tags = new LinkedHashSet<>(outer.tags);
            tags.addAll(tagsOf(m.get("tags")));
            Map<String, Object> vars = varsFor(outer, vars(m.get("vars")));
            String name = m.get("name").map(n -> string(n, "name")).orElse("include_vars");
            Optional<String> register = m.get("register").map(n -> variableName(n, "register"));
            return Optional.of(Task.builder(m.position(), name, "include_vars").args(args).vars(vars).roleDefaults(defaultsFor(outer)).when(when)
                    .register(register)
                    .ignoreErrors(outer.ignoreErrors).ignoreUnreachable(outer.ignoreUnreachable)
                    .noLog(bool(m.get("no_log"), "no_log", outer.noLog)).tags(tags).build());
        }

        /**
         * {@return the files {@code include_vars: dir:} reads, in Ansible's order} The directory is looked for in
         * the role's {@code vars/} (or the role, when it starts with {@code vars/}), else beside the file naming it.
         */
        List<Path> varsDir(YamlNode.Mapping args) {
            YamlNode dirNode = args.get("dir").orElseThrow();
            String name = string(dirNode, "include_vars.dir");
            if (Templating.isTemplate(name)) {
                error(dirNode.position(), "'include_vars' with a templated 'dir' is not supported by omero-fleet: it is read when the"
                        + " playbook loads", null);
                return List.of();
            }
            Path dir;
            if (role != null) {
                dir = name.split("/")[0].equals("vars") ? role.resolve(name) : role.resolve("vars").resolve(name);
            } else {
                dir = reading.getLast().getParent().resolve(name);
            }
            Optional<VarsDir> options = VarsDir.of(args, new VarsDir.Counting(this::error));
            if (options.isEmpty()) {
                return List.of();
            }
            try {
                return options.get().files(dir.toAbsolutePath().normalize());
            } catch (VarsDir.Refused e) {
                error(dirNode.position(), "'include_vars': " + e.getMessage(), null);
                return List.of();
            }
        }

        /** {@return the variables of the vars file {@code path}: a mapping, or nothing when it is empty} */
        Map<String, Object> varsFileAt(Path path) {
            try {
                YamlNode root = readYaml(path);
                templateSyntax(root, "include_vars");
                return new LinkedHashMap<>(vars(Optional.of(root)));
            } catch (InvalidInputException e) {
                errors.addAll(e.errors());
                return Map.of();
            }
        }

        /** {@return {@code outer} with more conditions, tags and vars} */
        Inherited derive(Inherited outer, List<String> when, Set<String> tags, Map<String, Object> vars) {
            List<String> allWhen = new ArrayList<>(outer.when);
            allWhen.addAll(when);
            Set<String> allTags = new LinkedHashSet<>(outer.tags);
            allTags.addAll(tags);
            Map<String, Object> allVars = new LinkedHashMap<>(outer.vars);
            allVars.putAll(vars);
            Inherited inner = new Inherited(allWhen, allTags, outer.keywords(), allVars);
            inner.environment = outer.environment;
            inner.defaults = outer.defaults;
            return inner;
        }

        /** {@return the role defaults a task read now sees besides the play's: public include_roles' so far, then its roles'} */
        Map<String, Object> defaultsFor(Inherited outer) {
            if (publicDefaults.isEmpty()) {
                return outer.defaults;
            }
            Map<String, Object> all = new LinkedHashMap<>(publicDefaults);
            all.putAll(outer.defaults);
            return all;
        }

        /** {@return the vars a task read now has: public include_roles' so far, then the enclosing ones, then {@code own}} */
        Map<String, Object> varsFor(Inherited outer, Map<String, Object> own) {
            Map<String, Object> all = new LinkedHashMap<>(publicVars);
            all.putAll(outer.vars);
            all.putAll(own);
            return all;
        }

        /** {@return where a task file named in the current file is looked for, as Ansible looks: beside it, in the role, beside the playbook} */
        List<Path> taskDirs() {
            List<Path> dirs = new ArrayList<>();
            dirs.add(reading.getLast().getParent());
            if (role != null) {
                dirs.add(role.resolve("tasks"));
                dirs.add(role);
            }
            dirs.add(file.toAbsolutePath().getParent());
            return dirs;
        }

        /** {@code import_tasks}, {@code include_tasks}, {@code import_role}, {@code include_role}. */
        Optional<Step> include(YamlNode.Mapping m, Inherited outer, String key) {
            String kind = shortName(key);
            boolean role = kind.endsWith("_role");
            Set<String> allowed = new LinkedHashSet<>(List.of(key, "name", "when", "tags", "vars", "loop_control"));
            allowed.addAll(LOOP_KEYS);
            if (kind.startsWith("import_")) {
                // as in Ansible: an import is read when the playbook loads, once
                allowed.stream().filter(k -> LOOP_KEYS.contains(k) || k.equals("loop_control")).filter(m.entries()::containsKey).findFirst()
                        .ifPresent(k -> error(m.keyPosition(k), "'" + kind + "' cannot take '" + k + "': an import is read once, when the"
                                + " playbook loads", "use '" + kind.replace("import_", "include_") + "' to run the tasks once per item"));
            }
            checkKeys(m, allowed, kind);
            syntax(m, null);
            List<String> when = conditions(m.get("when"), "when");
            Set<String> tags = tagsOf(m.get("tags"));
            Map<String, Object> vars = vars(m.get("vars"));
            if (kind.startsWith("import_")) {
                Inherited inner = derive(outer, when, tags, vars);
                List<Step> steps = role ? role(m, key, inner, false) : taskFile(m, key, inner);
                return Optional.of(new Block(m.position(), kind, steps, List.of(), List.of(), inner.when, inner.tags));
            }
            // dynamic: the include's own conditions and tags are its own; its vars go to the tasks it includes
            Inherited inner = derive(outer, List.of(), Set.of(), vars);
            Optional<IncludedFiles> later = role ? Optional.empty() : templatedFile(m, key, inner);
            List<Step> steps = later.isPresent() ? List.of() : role ? role(m, key, inner, true) : taskFile(m, key, inner);
            List<String> allWhen = new ArrayList<>(outer.when);
            allWhen.addAll(when);
            Set<String> allTags = new LinkedHashSet<>(outer.tags);
            allTags.addAll(tags);
            Object target = m.get(key).orElseThrow().toValue();
            Map<String, Object> args = target instanceof Map<?, ?> map ? new LinkedHashMap<>(vars(m.get(key))) : Map.of(role ? "name" : "file",
                    String.valueOf(target));
            String name = m.get("name").map(n -> string(n, "name")).orElse(kind);
            Task task = Task.builder(m.position(), name, kind).args(args).vars(varsFor(outer, Map.of())).roleDefaults(defaultsFor(outer)).when(allWhen)
                    .ignoreErrors(outer.ignoreErrors).ignoreUnreachable(outer.ignoreUnreachable).noLog(outer.noLog).tags(allTags)
                    .loop(loop(m)).build();
            return Optional.of(new Include(task, steps, later));
        }

        /**
         * {@return the files of an {@code include_tasks} whose file name is a template, read on each host when it
         * runs, or empty when the name is plain} They are read as a task file named here would be: found in the
         * same directories, with this include's vars, role and keywords.
         */
        Optional<IncludedFiles> templatedFile(YamlNode.Mapping m, String key, Inherited inner) {
            YamlNode node = m.get(key).orElseThrow();
            if (node instanceof YamlNode.Mapping args) {
                node = args.get("file").orElse(null);
            }
            if (!(node instanceof YamlNode.Scalar sc) || sc.type() != YamlNode.Scalar.Type.STRING || !Templating.isTemplate(sc.text())) {
                return Optional.empty();
            }
            if (m.get(key).orElseThrow() instanceof YamlNode.Mapping args) {
                checkKeys(args, Set.of("file", "apply"), key);
                args.get("apply").ifPresent(n -> error(args.keyPosition("apply"), "'apply' is not supported by omero-fleet",
                        "put the keywords on the included tasks, or use import_tasks inside a block"));
            }
            return Optional.of(new IncludedFiles(shortName(key), sc.text(), node.position(), taskDirs(), readLater(inner)));
        }

        /**
         * {@return how a file an include names when it runs is read: by a reader of its own that starts where this
         * one stands now (the same playbook, role, files being read and public role variables)} A role imported
         * there shares its variables with the tasks after it in that file.
         */
        IncludedFiles.Reader readLater(Inherited inner) {
            Path playbook = file;
            List<Path> stack = new ArrayList<>(reading);
            Path roleDir = role;
            Map<String, Object> defaults = new LinkedHashMap<>(publicDefaults);
            Map<String, Object> roleVarsSoFar = new LinkedHashMap<>(publicVars);
            return path -> {
                Reader later = new Reader(playbook);
                later.reading.clear();
                later.reading.addAll(stack);
                later.role = roleDir;
                later.roleScope = RoleScope.FROM_HERE;
                later.publicDefaults = new LinkedHashMap<>(defaults);
                later.publicVars = new LinkedHashMap<>(roleVarsSoFar);
                List<Step> steps = later.tasksOf(path, inner, "include_tasks");
                if (!later.errors.isEmpty()) {
                    throw new InvalidInputException(later.errors);
                }
                return steps;
            };
        }

        /** {@return the tasks of the file an include or import names} */
        List<Step> taskFile(YamlNode.Mapping m, String key, Inherited inner) {
            Optional<Path> found = includedFile(m, key, taskDirs());
            if (found.isEmpty()) {
                return List.of();
            }
            return tasksOf(found.get(), inner, key);
        }

        List<Step> tasksOf(Path path, Inherited inner, String section) {
            reading.add(path);
            try {
                return steps(readYaml(path), inner, section);
            } catch (InvalidInputException e) {
                errors.addAll(e.errors());
                return List.of();
            } finally {
                reading.removeLast();
            }
        }

        /** The play's {@code roles:}: each role (its dependencies first) once, unless its parameters differ. */
        List<Step> roles(YamlNode node, Inherited inherited) {
            List<Step> out = new ArrayList<>();
            if (!(node instanceof YamlNode.Sequence seq)) {
                if (!(node instanceof YamlNode.Scalar sc && sc.type() == YamlNode.Scalar.Type.NULL)) {
                    error(node.position(), "'roles' must be a list, got " + node.kind(), null);
                }
                return out;
            }
            for (YamlNode item : seq.items()) {
                out.addAll(roleEntry(item, inherited));
            }
            return out;
        }

        /** A role as a play or another role names it: its name, where it is named, and its parameters. */
        private record RoleRef(String name, SourcePosition where, Map<String, Object> params) {
        }

        /** One entry of {@code roles:} or of a role's {@code dependencies:}: a name, or a mapping with {@code role} and parameters. */
        List<Step> roleEntry(YamlNode item, Inherited outer) {
            if (item instanceof YamlNode.Scalar) {
                return roleTasks(new RoleRef(string(item, "role"), item.position(), Map.of()), outer, Roles.Parts.MAIN, true);
            }
            if (!(item instanceof YamlNode.Mapping m)) {
                error(item.position(), "a role must be a name or a mapping, got " + item.kind(), null);
                return List.of();
            }
            Optional<YamlNode> nameNode = m.get("role").or(() -> m.get("name"));
            if (nameNode.isEmpty()) {
                error(m.position(), "a role entry needs 'role'", "e.g. '- role: common'");
                return List.of();
            }
            syntax(m, null);
            Map<String, Object> params = new LinkedHashMap<>();
            m.entries().forEach((k, v) -> {
                if (!Set.of("role", "name", "when", "tags", "vars", "become", "become_user").contains(k)) {
                    params.put(k, v.toValue()); // role parameters
                }
            });
            params.putAll(vars(m.get("vars")));
            Inherited inner = derive(outer, conditions(m.get("when"), "when"), tagsOf(m.get("tags")), Map.of());
            return roleTasks(new RoleRef(string(nameNode.get(), "role"), nameNode.get().position(), params), inner, Roles.Parts.MAIN, true);
        }

        /** {@code import_role} and {@code include_role}: {@code name}, {@code tasks_from}, {@code vars_from}, {@code defaults_from}. */
        List<Step> role(YamlNode.Mapping m, String key, Inherited inner, boolean dynamic) {
            YamlNode node = m.get(key).orElseThrow();
            if (!(node instanceof YamlNode.Mapping args)) {
                error(node.position(), "'" + key + "' takes a mapping with 'name'", "e.g. " + key + ": {name: common, tasks_from: setup}");
                return List.of();
            }
            checkKeys(args, Set.of("name", "tasks_from", "vars_from", "defaults_from", "handlers_from", "public", "allow_duplicates"), key);
            Optional<YamlNode> name = args.get("name");
            if (name.isEmpty()) {
                error(m.keyPosition(key), "'" + key + "' needs 'name'", null);
                return List.of();
            }
            for (String field : List.of("name", "tasks_from", "vars_from", "defaults_from", "handlers_from")) {
                if (args.get(field).orElse(null) instanceof YamlNode.Scalar sc && Templating.isTemplate(sc.text())) {
                    error(sc.position(), "'" + key + "' with a templated '" + field + "' is not supported by omero-fleet: the role is"
                            + " read when the playbook loads", "name the role and its files, and choose with 'when:'");
                    return List.of();
                }
            }
            Roles.Parts parts = new Roles.Parts(args.get("tasks_from").map(n -> string(n, "tasks_from")).orElse("main"),
                    args.get("vars_from").map(n -> string(n, "vars_from")).orElse("main"),
                    args.get("defaults_from").map(n -> string(n, "defaults_from")).orElse("main"),
                    args.get("handlers_from").map(n -> string(n, "handlers_from")).orElse("main"));
            // as in Ansible: an include_role's defaults and vars are its own tasks' unless it is public, when the
            // tasks after it see them too; an import_role's join the play's (for every task, those before it included)
            RoleScope previous = roleScope;
            roleScope = dynamic ? (bool(args.get("public"), "public", false) ? RoleScope.FROM_HERE : RoleScope.PRIVATE)
                    : previous == RoleScope.PLAY ? RoleScope.PLAY : RoleScope.FROM_HERE;
            try {
                return roleTasks(new RoleRef(string(name.get(), "name"), name.get().position(), Map.of()), inner, parts, false);
            } finally {
                roleScope = previous;
            }
        }

        /**
         * {@return the tasks of role {@code name}, its dependencies' first} Its defaults join the play's
         * defaults, its vars the play's vars, its handlers the play's handlers. With {@code once}, a role
         * already read in this play with the same parameters gives no tasks.
         */
        List<Step> roleTasks(RoleRef ref, Inherited outer, Roles.Parts parts, boolean once) {
            String name = ref.name();
            SourcePosition where = ref.where();
            Map<String, Object> params = ref.params();
            Optional<Path> dir = Roles.find(name, file.toAbsolutePath().getParent(), settings.rolesPath());
            if (dir.isEmpty()) {
                error(where, "role '" + name + "' not found; looked in " + Roles.searched(name, file.toAbsolutePath().getParent(), settings.rolesPath()),
                        "put it in roles/ beside the playbook, or add its directory to roles_path or ANSIBLE_ROLES_PATH");
                return List.of();
            }
            if (reading.contains(dir.get())) {
                error(where, "role '" + name + "' depends on itself", null);
                return List.of();
            }
            if (once && !rolesSeen.add(dir.get() + "\u0000" + params)) {
                return List.of();
            }
            Path previousRole = role;
            reading.add(dir.get());
            try {
                role = dir.get();
                Map<String, Object> defaults = roleVarsFile(dir.get().resolve("defaults"), parts.defaultsFrom());
                Map<String, Object> roleOwnVars = roleVarsFile(dir.get().resolve("vars"), parts.varsFrom());
                List<Step> out = new ArrayList<>();
                // as Ansible's dependency chain: a dependency's tasks see the defaults of the roles that pull it in
                Inherited forDependencies = derive(outer, List.of(), Set.of(), Map.of());
                forDependencies.defaults = merged(outer.defaults, defaults);
                Map<String, Object> outerDependencies = dependencyDefaults;
                dependencyDefaults = new LinkedHashMap<>();
                try {
                    dependencies(dir.get(), forDependencies).forEach(out::add);
                    // the role's defaults as Ansible gives them: its dependencies', then its own
                    Map<String, Object> roleDefaultsWithDependencies = merged(dependencyDefaults, defaults);
                    outerDependencies.putAll(roleDefaultsWithDependencies);
                    share(roleDefaultsWithDependencies, roleOwnVars);
                    Map<String, Object> taskVars = new LinkedHashMap<>(roleOwnVars);
                    taskVars.putAll(params);
                    taskVars.put("role_name", name);
                    taskVars.put("role_path", dir.get().toString());
                    Inherited inner = derive(outer, List.of(), Set.of(), taskVars);
                    inner.defaults = merged(dependencyDefaults, merged(outer.defaults, defaults));
                    Roles.file(dir.get().resolve("tasks"), parts.tasksFrom()).ifPresent(f -> out.addAll(tasksOf(f, inner, "tasks")));
                    Roles.file(dir.get().resolve("handlers"), parts.handlersFrom()).ifPresent(f -> roleHandlers.addAll(tasksOf(f, inner, "handlers")));
                } finally {
                    dependencyDefaults = outerDependencies;
                }
                if (!parts.tasksFrom().equals("main") && Roles.file(dir.get().resolve("tasks"), parts.tasksFrom()).isEmpty()) {
                    error(where, "role '" + name + "' has no tasks file '" + parts.tasksFrom() + "' in " + dir.get().resolve("tasks"), null);
                }
                return out;
            } finally {
                role = previousRole;
                reading.removeLast();
            }
        }

        /**
         * Give a role's defaults and vars to the tasks that see them besides its own: every task of the play
         * ({@code roles:}, {@code import_role}), the tasks read after it (a public {@code include_role}), or
         * none (an {@code include_role}).
         */
        void share(Map<String, Object> defaults, Map<String, Object> vars) {
            switch (roleScope) {
                case PLAY:
                    roleDefaults.putAll(defaults);
                    roleVars.putAll(vars);
                    break;
                case FROM_HERE:
                    publicDefaults.putAll(defaults);
                    publicVars.putAll(vars);
                    break;
                default:
                    break;
            }
        }

        /** {@return the tasks of the roles listed under {@code dependencies} in the role's meta/main.yml} */
        List<Step> dependencies(Path roleDir, Inherited outer) {
            Optional<Path> meta = Roles.file(roleDir.resolve("meta"), "main");
            if (meta.isEmpty()) {
                return List.of();
            }
            try {
                YamlNode root = readYaml(meta.get());
                if (!(root instanceof YamlNode.Mapping m) || m.get("dependencies").isEmpty()) {
                    return List.of();
                }
                YamlNode deps = m.get("dependencies").get();
                List<Step> out = new ArrayList<>();
                if (deps instanceof YamlNode.Sequence seq) {
                    for (YamlNode item : seq.items()) {
                        out.addAll(roleEntry(item, outer));
                    }
                } else if (!(deps instanceof YamlNode.Scalar sc && sc.type() == YamlNode.Scalar.Type.NULL)) {
                    error(deps.position(), "'dependencies' must be a list of roles, got " + deps.kind(), null);
                }
                return out;
            } catch (InvalidInputException e) {
                errors.addAll(e.errors());
                return List.of();
            }
        }

        Map<String, Object> roleVarsFile(Path dir, String name) {
            Optional<Path> found = Roles.file(dir, name);
            if (found.isEmpty()) {
                return new LinkedHashMap<>();
            }
            try {
                YamlNode root = readYaml(found.get());
                templateSyntax(root, dir.getFileName().toString());
                return new LinkedHashMap<>(vars(Optional.of(root)));
            } catch (InvalidInputException e) {
                errors.addAll(e.errors());
                return new LinkedHashMap<>();
            }
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
            Inherited inner = new Inherited(when, tags, new Keywords(bool(m.get("become"), "become", outer.become),
                    m.get("become_user").map(n -> string(n, "become_user")).or(() -> outer.becomeUser),
                    bool(m.get("ignore_errors"), "ignore_errors", outer.ignoreErrors),
                    bool(m.get("ignore_unreachable"), "ignore_unreachable", outer.ignoreUnreachable),
                    bool(m.get("no_log"), "no_log", outer.noLog)), vars);
            inner.environment = environment(m, outer.environment);
            inner.defaults = outer.defaults;
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
            Map<String, Object> vars = varsFor(outer, vars(m.get("vars")));
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
            return Optional.of(Task.builder(m.position(), name, module.canonicalName()).args(args).vars(vars).when(when).register(register)
                    .failedWhen(conditions(m.get("failed_when"), "failed_when"))
                    .changedWhen(conditions(m.get("changed_when"), "changed_when"))
                    .ignoreErrors(bool(m.get("ignore_errors"), "ignore_errors", outer.ignoreErrors))
                    .ignoreUnreachable(bool(m.get("ignore_unreachable"), "ignore_unreachable", outer.ignoreUnreachable))
                    .noLog(bool(m.get("no_log"), "no_log", outer.noLog)).tags(tags)
                    .notifies(strings(m.get("notify"), "notify")).listen(strings(m.get("listen"), "listen"))
                    .retries(retries).until(until).delay(Duration.ofSeconds(delay))
                    .checkMode(m.get("check_mode").map(n -> bool(Optional.of(n), "check_mode", false)))
                    .runOnce(runOnce(m, module))
                    .become(bool(m.get("become"), "become", outer.become))
                    .becomeUser(m.get("become_user").map(n -> string(n, "become_user")).or(() -> outer.becomeUser))
                    .throttle(m.get("throttle").map(n -> nonNegative(n, "throttle")).orElse(0))
                    .loop(loop(m)).environment(environment(m, outer.environment))
                    .delegateTo(m.get("delegate_to").map(n -> string(n, "delegate_to"))).roleDefaults(defaultsFor(outer)).build());
        }

        /** {@return whether the task runs once for its batch: {@code run_once}, or {@code pause}, which Ansible runs once for all hosts} */
        boolean runOnce(YamlNode.Mapping m, ModuleCatalog.ModuleSpec module) {
            return bool(m.get("run_once"), "run_once", false) || module.canonicalName().equals("pause");
        }

        /** {@return the task's loop, if it has one} At most one of loop, with_items, with_list and with_dict. */
        Optional<Loop> loop(YamlNode.Mapping m) {
            List<String> given = LOOP_KEYS.stream().filter(m.entries()::containsKey).toList();
            if (given.size() > 1) {
                error(m.keyPosition(given.get(1)), "a task takes one loop, got '" + given.get(0) + "' and '" + given.get(1) + "'", null);
            }
            if (given.isEmpty()) {
                m.get("loop_control").ifPresent(n -> error(m.keyPosition("loop_control"), "'loop_control' needs a loop",
                        "add 'loop:' or remove 'loop_control:'"));
                return Optional.empty();
            }
            String keyword = given.get(0);
            YamlNode node = m.get(keyword).orElseThrow();
            Object items = node.toValue();
            boolean template = items instanceof String s && Templating.isTemplate(s);
            if (keyword.equals("with_dict") && !(items instanceof Map) && !template) {
                error(node.position(), "'with_dict' takes a mapping or a template, got " + node.kind(), null);
            } else if (keyword.equals("loop") && !(items instanceof List) && !template) {
                error(node.position(), "'loop' takes a list or a template giving one, got " + node.kind(),
                        "write 'loop: [" + node.toValue() + "]', or use with_items");
            } else if (items == null) {
                items = List.of();
            }
            String loopVar = "item";
            Optional<String> indexVar = Optional.empty();
            Optional<String> label = Optional.empty();
            Duration pause = Duration.ZERO;
            boolean extended = false;
            Optional<YamlNode> control = m.get("loop_control");
            if (control.isPresent() && control.get() instanceof YamlNode.Mapping c) {
                checkKeys(c, LOOP_CONTROL_KEYS, "loop_control");
                loopVar = c.get("loop_var").map(n -> variableName(n, "loop_var")).orElse("item");
                indexVar = c.get("index_var").map(n -> variableName(n, "index_var"));
                label = c.get("label").map(n -> string(n, "label"));
                pause = Duration.ofMillis(c.get("pause").map(n -> Math.round(1000 * number(n, "pause"))).orElse(0L));
                extended = bool(c.get("extended"), "extended", false);
            } else if (control.isPresent()) {
                error(control.get().position(), "'loop_control' must be a mapping, got " + control.get().kind(), null);
            }
            return Optional.of(new Loop(keyword, items == null ? List.of() : items, loopVar, indexVar, label, pause, extended));
        }

        private String variableName(YamlNode node, String field) {
            String name = string(node, field);
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                error(node.position(), "'" + field + "' needs a variable name, got '" + name + "'", null);
            }
            return name;
        }

        private double number(YamlNode node, String field) {
            if (node instanceof YamlNode.Scalar s && s.text().strip().matches("\\d+(\\.\\d+)?")) {
                return Double.parseDouble(s.text().strip());
            }
            error(node.position(), "'" + field + "' must be a number of seconds, got " + node.kind(), null);
            return 0;
        }

        /** {@return the environment the task sees: its blocks' and play's, overridden by its own} */
        Map<String, Object> environment(YamlNode.Mapping m, Map<String, Object> outer) {
            Map<String, Object> env = new LinkedHashMap<>(outer);
            Optional<YamlNode> node = m.get("environment");
            if (node.isPresent()) {
                env.putAll(vars(node));
                env.keySet().stream().filter(k -> !k.matches("[A-Za-z_][A-Za-z0-9_]*")).forEach(k -> error(m.keyPosition("environment"),
                        "environment variable name '" + k + "' is not a valid shell name", null));
            }
            return env;
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
                // a YAML true, false or number is a condition that parses: no need to start the parser for it
                if (item instanceof YamlNode.Scalar && ((YamlNode.Scalar) item).type() == YamlNode.Scalar.Type.STRING) {
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
            for (String raw : strings(Optional.of(node), "vars_files")) {
                String name = raw;
                if (Templating.isTemplate(raw)) {
                    try {
                        name = String.valueOf(new Templating().render(raw, Templating.lazyVars(vars)));
                    } catch (TemplateException e) {
                        error(node.position(), "vars_files: cannot render '" + raw + "' when the playbook loads: " + e.getMessage(),
                                "a vars_files name may use the play's vars and the files read before it, not inventory or extra vars");
                        continue;
                    }
                }
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
