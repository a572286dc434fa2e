package org.omerofleet.modules;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.omerofleet.result.TaskResult;

/**
 * The modules that run on the controller only: {@code debug}, {@code set_fact}, {@code assert},
 * {@code fail}, {@code meta} (whose {@code flush_handlers} the executor acts on). {@code set_fact} returns its values under {@code ansible_facts}, which the executor
 * merges into the host's variables.
 */
final class LocalModules {

    private LocalModules() {
    }

    static List<Module> all() {
        return List.of(new Debug(), new SetFact(), new Assert(), new Fail(), new Meta());
    }

    private abstract static class Local implements Module {
        @Override
        public boolean supportsCheckMode() {
            return true;
        }

        @Override
        public boolean needsConnection() {
            return false;
        }
    }

    static final class Debug extends Local {
        @Override
        public String name() {
            return "debug";
        }

        @Override
        public Set<String> parameters() {
            return Set.of("msg", "var", "verbosity");
        }

        @Override
        public TaskResult run(TaskContext context, Args args) {
            Map<String, Object> data = new LinkedHashMap<>();
            if (args.has("var")) {
                String var = args.string("var");
                Object value = context.expressions().evaluate(var);
                data.put(var, value);
                data.put("debug", var + " = " + value);
            } else {
                Object msg = args.asMap().getOrDefault("msg", "Hello world!");
                data.put("msg", msg);
                data.put("debug", String.valueOf(msg));
            }
            return new TaskResult.Ok(false, String.valueOf(data.get("debug")), data);
        }
    }

    static final class SetFact extends Local {
        @Override
        public String name() {
            return "set_fact";
        }

        /** Any key is a fact name; the playbook loader reads {@code *} as "anything goes". */
        @Override
        public Set<String> parameters() {
            return Set.of("*");
        }

        @Override
        public TaskResult run(TaskContext context, Args args) {
            Map<String, Object> facts = new LinkedHashMap<>(args.asMap());
            facts.remove("cacheable");
            return new TaskResult.Ok(false, "", Map.of("ansible_facts", facts));
        }
    }

    static final class Assert extends Local {
        @Override
        public String name() {
            return "assert";
        }

        @Override
        public Set<String> parameters() {
            return Set.of("that", "msg", "fail_msg", "success_msg", "quiet");
        }

        @Override
        public Set<String> required() {
            return Set.of("that");
        }

        @Override
        public TaskResult run(TaskContext context, Args args) {
            for (Object condition : args.list("that")) {
                String c = String.valueOf(condition);
                if (!context.expressions().test(c)) {
                    String msg = args.optionalString("fail_msg").or(() -> args.optionalString("msg")).orElse("Assertion failed");
                    return new TaskResult.Failed(msg, Map.of("assertion", c, "evaluated_to", false, "msg", msg));
                }
            }
            String ok = args.string("success_msg", "All assertions passed");
            return new TaskResult.Ok(false, ok, Map.of("msg", ok));
        }
    }

    static final class Fail extends Local {
        @Override
        public String name() {
            return "fail";
        }

        @Override
        public Set<String> parameters() {
            return Set.of("msg");
        }

        @Override
        public TaskResult run(TaskContext context, Args args) {
            String msg = args.string("msg", "Failed as requested from task");
            return new TaskResult.Failed(msg, Map.of("msg", msg));
        }
    }

    /** {@code meta: flush_handlers} (the executor runs the notified handlers after it) and {@code meta: noop}. */
    static final class Meta extends Local {
        @Override
        public String name() {
            return "meta";
        }

        @Override
        public boolean freeForm() {
            return true;
        }

        @Override
        public Set<String> parameters() {
            return Set.of("_raw_params");
        }

        @Override
        public Set<String> required() {
            return Set.of("_raw_params");
        }

        @Override
        public TaskResult run(TaskContext context, Args args) {
            String action = args.string("_raw_params").strip();
            if (!Modules.META_ACTIONS.contains(action)) {
                return new TaskResult.Failed("meta: '" + action + "' is not supported; use one of " + new java.util.TreeSet<>(Modules.META_ACTIONS));
            }
            return new TaskResult.Ok(false, "", Map.of("meta", action));
        }
    }
}
