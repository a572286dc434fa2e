package org.omerofleet.playbook;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * Add Ansible's tests: {@code failed}, {@code succeeded}/{@code success}, {@code changed},
 * {@code skipped} on registered results, and {@code version(other, op)} with Ansible's loose comparison.
 */
final class AnsibleTests {

    private AnsibleTests() {
    }

    static List<ExpTest> all() {
        return List.of(
                test("failed", (v, args) -> flag(v, "failed")),
                test("succeeded", (v, args) -> !flag(v, "failed")),
                test("success", (v, args) -> !flag(v, "failed")),
                test("changed", (v, args) -> flag(v, "changed")),
                test("skipped", (v, args) -> flag(v, "skipped")),
                test("version", (v, args) -> version(String.valueOf(v), args)));
    }

    private static boolean flag(Object result, String key) {
        if (!(result instanceof Map)) {
            throw new IllegalArgumentException("the '" + key + "' test needs a registered result, got " + result);
        }
        return Templating.truthy(((Map<?, ?>) result).get(key));
    }

    private static boolean version(String left, Object[] args) {
        if (args.length < 1) {
            throw new IllegalArgumentException("version test needs a version to compare with");
        }
        String op = args.length > 1 ? String.valueOf(args[1]) : "==";
        int c = compare(left, String.valueOf(args[0]));
        switch (op) {
            case "<": case "lt":
                return c < 0;
            case "<=": case "le":
                return c <= 0;
            case ">": case "gt":
                return c > 0;
            case ">=": case "ge":
                return c >= 0;
            case "!=": case "<>": case "ne":
                return c != 0;
            case "==": case "=": case "eq":
                return c == 0;
            default:
                throw new IllegalArgumentException("version test: unknown operator '" + op + "'");
        }
    }

    /** Loose version comparison (Python's LooseVersion): numbers compare as numbers, words as text. */
    static int compare(String a, String b) {
        List<Object> x = parts(a);
        List<Object> y = parts(b);
        for (int i = 0; i < Math.max(x.size(), y.size()); i++) {
            if (i >= x.size()) {
                return -1;
            }
            if (i >= y.size()) {
                return 1;
            }
            Object p = x.get(i);
            Object q = y.get(i);
            int c;
            if (p instanceof Long && q instanceof Long) {
                c = Long.compare((Long) p, (Long) q);
            } else {
                c = String.valueOf(p).compareTo(String.valueOf(q));
            }
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static List<Object> parts(String v) {
        List<Object> out = new ArrayList<>();
        for (String part : v.split("(?<=\\d)(?=\\D)|(?<=\\D)(?=\\d)|[._\\-+]")) {
            if (part.isEmpty()) {
                continue;
            }
            out.add(part.chars().allMatch(Character::isDigit) ? (Object) Long.parseLong(part) : part);
        }
        return out;
    }

    private static ExpTest test(String name, BiPredicate<Object, Object[]> body) {
        return new ExpTest() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
                // Jinjava hands "is version('4.4.0', '<')" over as one tuple argument
                Object[] unpacked = args.length == 1 && args[0] instanceof List ? ((List<?>) args[0]).toArray() : args;
                return body.test(var, unpacked);
            }
        };
    }
}
