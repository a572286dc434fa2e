package org.omerofleet.modules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Read a module's templated arguments with typed accessors whose errors name the argument.
 */
public final class Args {

    /** The key holding a free-form argument string ({@code command: echo hi}). */
    public static final String RAW = "_raw_params";

    private final String module;
    private final Map<String, Object> values;

    public Args(String module, Map<String, Object> values) {
        this.module = module;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public Map<String, Object> asMap() {
        return values;
    }

    public boolean has(String key) {
        return values.containsKey(key) && values.get(key) != null;
    }

    public String string(String key) {
        return optionalString(key).orElseThrow(() -> new IllegalArgumentException(module + ": missing required argument '" + key + "'"));
    }

    public Optional<String> optionalString(String key) {
        Object v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Map || v instanceof List) {
            throw new IllegalArgumentException(module + ": argument '" + key + "' must be a string");
        }
        if (v instanceof Boolean) {
            return Optional.of((Boolean) v ? "True" : "False"); // as Ansible turns a boolean into a string argument
        }
        return Optional.of(String.valueOf(v));
    }

    public String string(String key, String fallback) {
        return optionalString(key).orElse(fallback);
    }

    public boolean bool(String key, boolean fallback) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean) {
            return (Boolean) v;
        }
        String s = String.valueOf(v).trim().toLowerCase(java.util.Locale.ROOT);
        switch (s) {
            case "true": case "yes": case "on": case "1": case "y":
                return true;
            case "false": case "no": case "off": case "0": case "n": case "":
                return false;
            default:
                throw new IllegalArgumentException(module + ": argument '" + key + "' must be a boolean, got '" + v + "'");
        }
    }

    public long number(String key, long fallback) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number) {
            return ((Number) v).longValue();
        }
        try {
            return Long.parseLong(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(module + ": argument '" + key + "' must be a whole number, got '" + v + "'");
        }
    }

    /**
     * {@return a size in bytes: a whole number, or one followed by K, M, G or T (powers of 1024; {@code 20G},
     * {@code 512MiB} and {@code 1.5G} are all read)}
     */
    public long bytes(String key, long fallback) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number && ((Number) v).doubleValue() >= 0) {
            return ((Number) v).longValue();
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)\\s*(\\d+(?:\\.\\d+)?)\\s*(?:([KMGT])(?:I?B)?|B)?\\s*")
                .matcher(String.valueOf(v));
        if (!m.matches()) {
            throw new IllegalArgumentException(module + ": argument '" + key + "' must be a size such as 1073741824, 512M or 20G, got '"
                    + v + "'");
        }
        int power = m.group(2) == null ? 0 : "KMGT".indexOf(Character.toUpperCase(m.group(2).charAt(0))) + 1;
        return new java.math.BigDecimal(m.group(1)).multiply(java.math.BigDecimal.valueOf(1024).pow(power)).longValue();
    }

    /** {@return a list argument; a single string becomes a one-element list} */
    public List<Object> list(String key) {
        Object v = values.get(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List) {
            return Collections.unmodifiableList(new ArrayList<>((List<?>) v));
        }
        return List.of(v);
    }

    /**
     * {@return a file mode given as octal text ({@code "0644"}, {@code "644"}) or a YAML integer} A YAML
     * {@code 0644} is already octal (YAML 1.1); a bare {@code 644} integer is read as octal digits too.
     */
    public Optional<Integer> mode(String key) {
        Object v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        String digits = v instanceof Number ? Long.toOctalString(((Number) v).longValue()) : String.valueOf(v).trim();
        if (v instanceof Number && ((Number) v).longValue() > 0777 && ((Number) v).longValue() <= 7777) {
            digits = String.valueOf(v); // written as 644 without a leading 0
        }
        if (!digits.matches("0?[0-7]{3,4}")) {
            throw new IllegalArgumentException(module + ": argument '" + key + "' must be an octal mode like '0644', got '" + v + "'");
        }
        return Optional.of(Integer.parseInt(digits, 8));
    }
}
