package org.omerofleet.inventory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.omerofleet.input.SourcePosition;
import org.omerofleet.yaml.YamlNode;

/**
 * Hold one variable value as loaded, with the text it was written as and where, so that checks made
 * after merging can still name file, line and column.
 *
 * @param value  the typed value (String, Long, Double, Boolean, null, or unmodifiable List / Map)
 * @param text   the scalar as written, or {@code ""} for lists and mappings
 * @param where  position of the value
 * @param syntax the file format it came from, for hints that show how to quote
 */
record Var(Object value, String text, SourcePosition where, Syntax syntax) {

    /** The syntax a value was written in. */
    enum Syntax { YAML, INI }

    Var {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(syntax, "syntax");
        value = freeze(value);
    }

    static Var of(YamlNode node) {
        String text = node instanceof YamlNode.Scalar ? ((YamlNode.Scalar) node).text() : "";
        return new Var(node.toValue(), text, node.position(), Syntax.YAML);
    }

    /** Copy nested lists and maps into unmodifiable ones: hosts share values, so no host may change another's. */
    private static Object freeze(Object value) {
        if (value instanceof Map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<?, ?>) value).forEach((k, v) -> copy.put(String.valueOf(k), freeze(v)));
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List) {
            List<Object> copy = new ArrayList<>();
            ((List<?>) value).forEach(v -> copy.add(freeze(v)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }
}
