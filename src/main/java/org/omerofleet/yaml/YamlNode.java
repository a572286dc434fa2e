package org.omerofleet.yaml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.omerofleet.input.SourcePosition;

/**
 * Hold one YAML node with the position it was read from, so that every later check can name
 * file, line and column.
 */
public sealed interface YamlNode permits YamlNode.Mapping, YamlNode.Sequence, YamlNode.Scalar {

    SourcePosition position();

    /** {@return the plain Java value: Map, List, String, Long, Double, Boolean or null} */
    Object toValue();

    /** {@return a short name for the node's kind, for "expected a mapping, got a list"} */
    String kind();

    /** A mapping whose keys are strings, in file order, each key with its own position. */
    record Mapping(SourcePosition position, Map<String, YamlNode> entries, Map<String, SourcePosition> keyPositions)
            implements YamlNode {
        public Mapping {
            Objects.requireNonNull(position, "position");
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
            keyPositions = Collections.unmodifiableMap(new LinkedHashMap<>(keyPositions));
        }

        public Optional<YamlNode> get(String key) {
            return Optional.ofNullable(entries.get(key));
        }

        public SourcePosition keyPosition(String key) {
            return keyPositions.getOrDefault(key, position);
        }

        @Override
        public Object toValue() {
            Map<String, Object> map = new LinkedHashMap<>();
            entries.forEach((k, v) -> map.put(k, v.toValue()));
            return map;
        }

        @Override
        public String kind() {
            return "a mapping";
        }
    }

    /** A list. */
    record Sequence(SourcePosition position, List<YamlNode> items) implements YamlNode {
        public Sequence {
            Objects.requireNonNull(position, "position");
            items = List.copyOf(items);
        }

        @Override
        public Object toValue() {
            List<Object> list = new ArrayList<>();
            items.forEach(i -> list.add(i.toValue()));
            return list;
        }

        @Override
        public String kind() {
            return "a list";
        }
    }

    /**
     * A scalar with its text as written and the type YAML 1.1 resolves it to (as Ansible's PyYAML does).
     */
    record Scalar(SourcePosition position, String text, Type type) implements YamlNode {

        /** The resolved scalar type. */
        public enum Type { STRING, INTEGER, FLOAT, BOOLEAN, NULL }

        public Scalar {
            Objects.requireNonNull(position, "position");
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(type, "type");
        }

        @Override
        public Object toValue() {
            switch (type) {
                case NULL:
                    return null;
                case BOOLEAN:
                    return YamlReader.parseBoolean(text);
                case INTEGER:
                    return YamlReader.parseInteger(text);
                case FLOAT:
                    return YamlReader.parseFloat(text);
                case STRING:
                default:
                    return text;
            }
        }

        @Override
        public String kind() {
            switch (type) {
                case NULL:
                    return "null";
                case BOOLEAN:
                    return "a boolean";
                case INTEGER:
                    return "an integer";
                case FLOAT:
                    return "a float";
                case STRING:
                default:
                    return "a string";
            }
        }
    }
}
