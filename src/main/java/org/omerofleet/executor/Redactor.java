package org.omerofleet.executor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Replace secret values with {@code ********} in everything a run writes (reliability.md INV-6, SEC-05).
 *
 * <p>Secrets are the values of variables whose names say so ({@code *password*}, {@code *pass},
 * {@code *secret*}, {@code *token*}, {@code *passphrase*}), collected from inventory and extra vars.
 * Longer secrets are replaced first so that one secret being a substring of another leaks neither.
 * Secrets that modules read from hosts during the run ({@link org.omerofleet.modules.TaskContext#addSecret})
 * join through {@link #add(String)} and are masked in everything written after that.
 *
 * <p>Safe for use from many threads at once.
 */
public final class Redactor {

    public static final String MASK = "********";
    /** Ansible's words for a {@code no_log} result. */
    public static final String HIDDEN = "the output has been hidden due to the fact that 'no_log: true' was specified for this result";
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(pass(word|wd|phrase)?|secret|token)$|(?i).*(password|passphrase|secret|token).*");
    private static final int MIN_LENGTH = 3;

    private static final Comparator<String> LONGEST_FIRST = Comparator.comparingInt(String::length).reversed()
            .thenComparing(Comparator.naturalOrder());

    /** Longest first; replaced as a whole when a secret joins, so readers never lock. */
    private volatile List<String> secrets;

    public Redactor(Set<String> secretValues) {
        TreeSet<String> sorted = new TreeSet<>(LONGEST_FIRST);
        for (String s : secretValues) {
            if (s != null && s.length() >= MIN_LENGTH) {
                sorted.add(s);
            }
        }
        this.secrets = List.copyOf(sorted);
    }

    /** Mask {@code secret} too, from now on (values shorter than three characters are not masked). */
    public synchronized void add(String secret) {
        if (secret == null || secret.length() < MIN_LENGTH || secrets.contains(secret)) {
            return;
        }
        TreeSet<String> sorted = new TreeSet<>(LONGEST_FIRST);
        sorted.addAll(secrets);
        sorted.add(secret);
        secrets = List.copyOf(sorted);
    }

    public static Redactor none() {
        return new Redactor(Set.of());
    }

    /** {@return whether a variable with this name holds a secret} */
    public static boolean isSecretName(String name) {
        return SECRET_NAME.matcher(name).matches();
    }

    /** {@return the secret values among {@code vars} (top level and nested maps)} */
    public static Set<String> secretsIn(Map<String, ?> vars) {
        Set<String> found = new TreeSet<>();
        collect(vars, found);
        return found;
    }

    private static void collect(Map<String, ?> vars, Set<String> found) {
        for (Map.Entry<String, ?> e : vars.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Map) {
                @SuppressWarnings("unchecked")
                Map<String, ?> nested = (Map<String, ?>) v;
                collect(nested, found);
            } else if (v != null && !(v instanceof List) && isSecretName(e.getKey())) {
                found.add(String.valueOf(v));
            }
        }
    }

    /** {@return {@code text} with every secret masked} */
    public String redact(String text) {
        List<String> known = secrets;
        if (text == null || known.isEmpty()) {
            return text;
        }
        String out = text;
        for (String secret : known) {
            if (out.contains(secret)) {
                out = out.replace(secret, MASK);
            }
        }
        return out;
    }

    /** {@return a deep copy of {@code value} with every string masked} */
    public Object redactValue(Object value) {
        if (value instanceof String) {
            return redact((String) value);
        }
        if (value instanceof Map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<?, ?>) value).forEach((k, v) -> copy.put(redact(String.valueOf(k)),
                    isSecretName(String.valueOf(k)) && v != null ? MASK : redactValue(v)));
            return copy;
        }
        if (value instanceof List) {
            List<Object> copy = new ArrayList<>();
            ((List<?>) value).forEach(v -> copy.add(redactValue(v)));
            return copy;
        }
        return value;
    }

    /**
     * {@return a result safe to show} Secrets are masked everywhere; with {@code no_log} the message and
     * data are replaced, as Ansible does, while the status and the module's report fields stay.
     */
    public org.omerofleet.result.TaskResult forDisplay(org.omerofleet.result.TaskResult result, boolean hidden) {
        String message = hidden ? HIDDEN : redact(result.message());
        Map<String, Object> data = hidden ? Map.of("censored", HIDDEN) : redactMap(result.data());
        Map<String, Object> report = redactMap(result.report());
        switch (result.status()) {
            case OK:
            case CHANGED:
                return new org.omerofleet.result.TaskResult.Ok(result.status() == org.omerofleet.result.TaskResult.Status.CHANGED,
                        message, data, report);
            case FAILED:
                return new org.omerofleet.result.TaskResult.Failed(((org.omerofleet.result.TaskResult.Failed) result).changed(),
                        message, data, report);
            case SKIPPED:
                return new org.omerofleet.result.TaskResult.Skipped(message);
            case UNREACHABLE:
            default:
                return new org.omerofleet.result.TaskResult.Unreachable(message);
        }
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> redactMap(Map<String, Object> map) {
        return (Map<String, Object>) redactValue(map);
    }
}
