package org.omerofleet.playbook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Add the Ansible filters that Jinjava lacks: {@code quote}, {@code basename}, {@code dirname},
 * {@code to_json}, {@code from_json}, {@code mandatory}, {@code regex_search}.
 */
final class AnsibleFilters {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AnsibleFilters() {
    }

    static List<Filter> all() {
        return List.of(
                filter("quote", (v, args) -> quote(v == null ? "" : String.valueOf(v))),
                filter("basename", (v, args) -> {
                    String s = String.valueOf(v);
                    return s.substring(s.lastIndexOf('/') + 1);
                }),
                filter("dirname", (v, args) -> {
                    String s = String.valueOf(v);
                    int i = s.lastIndexOf('/');
                    return i < 0 ? "" : i == 0 ? "/" : s.substring(0, i);
                }),
                filter("to_json", (v, args) -> {
                    try {
                        return JSON.writeValueAsString(v);
                    } catch (JsonProcessingException e) {
                        throw new IllegalArgumentException("to_json: " + e.getOriginalMessage());
                    }
                }),
                filter("from_json", (v, args) -> {
                    try {
                        return JSON.readValue(String.valueOf(v), Object.class);
                    } catch (JsonProcessingException e) {
                        throw new IllegalArgumentException("from_json: " + e.getOriginalMessage());
                    }
                }),
                filter("mandatory", (v, args) -> {
                    if (v == null) {
                        throw new IllegalArgumentException(args.length > 0 ? args[0] : "mandatory variable not defined");
                    }
                    return v;
                }),
                filter("regex_search", (v, args) -> {
                    Matcher m = Pattern.compile(args.length > 0 ? args[0] : "").matcher(String.valueOf(v));
                    return m.find() ? m.group() : null;
                }));
    }

    /** {@return {@code value} quoted for a POSIX shell, as Python's shlex.quote does} */
    static String quote(String value) {
        if (!value.isEmpty() && value.matches("[A-Za-z0-9_@%+=:,./-]+")) {
            return value;
        }
        return "'" + value.replace("'", "'\"'\"'") + "'";
    }

    private interface Body {
        Object apply(Object value, String[] args);
    }

    private static Filter filter(String name, Body body) {
        return new Filter() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
                return body.apply(var, args);
            }
        };
    }
}
