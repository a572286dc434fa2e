package org.omerofleet.yaml;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Read YAML safely into a tree of positioned {@link YamlNode}s.
 *
 * <p>Only the node graph is composed: no object is ever constructed from a tag, so {@code !!java...}
 * and other global tags are rejected rather than obeyed (reliability.md IN-01). Aliases are limited,
 * duplicate keys are errors, and files over {@link #MAX_BYTES} are refused.
 *
 * <p>Why SnakeYAML's composer rather than Jackson's tree: Jackson's {@code JsonNode} drops positions,
 * and every later check must name file, line and column. SnakeYAML is already on the classpath as
 * Jackson YAML's parser.
 */
public final class YamlReader {

    /** Inventories and playbooks larger than this are refused. */
    public static final int MAX_BYTES = 8 * 1024 * 1024;
    private static final int MAX_ALIASES = 50;
    private static final Set<Tag> ALLOWED_TAGS = Set.of(Tag.MAP, Tag.SEQ, Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL,
            Tag.TIMESTAMP);

    private YamlReader() {
    }

    /** {@return the single document in {@code file}; an empty file gives an empty mapping} */
    public static YamlNode read(Path file) throws InvalidInputException {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new InvalidInputException(new InputError(SourcePosition.of(file), "cannot read file: " + e.getMessage()));
        }
        if (size > MAX_BYTES) {
            throw new InvalidInputException(new InputError(SourcePosition.of(file),
                    "file is " + size + " bytes, over the limit of " + MAX_BYTES));
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInputException(new InputError(SourcePosition.of(file), "cannot read file as UTF-8: " + e.getMessage()));
        }
        return parse(file, text);
    }

    /** {@return the single document in {@code text}, with positions naming {@code file}} */
    public static YamlNode parse(Path file, String text) throws InvalidInputException {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        options.setCodePointLimit(MAX_BYTES);
        Node root;
        try (Reader reader = new StringReader(text)) {
            Composer composer = new Composer(new ParserImpl(new StreamReader(reader), options), new Resolver(), options);
            root = composer.getSingleNode();
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new InvalidInputException(new InputError(position(file, mark),
                    "YAML syntax error: " + oneLine(e.getProblem() != null ? e.getProblem() : e.getMessage())));
        } catch (YAMLException | IOException e) {
            throw new InvalidInputException(new InputError(SourcePosition.of(file), "YAML error: " + oneLine(e.getMessage())));
        }
        if (root == null) {
            return new YamlNode.Mapping(SourcePosition.of(file), Map.of(), Map.of());
        }
        List<InputError> errors = new ArrayList<>();
        int[] aliasBudget = {MAX_ALIASES * 20};
        YamlNode tree = convert(file, root, errors, aliasBudget);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return tree;
    }

    private static YamlNode convert(Path file, Node node, List<InputError> errors, int[] budget) {
        SourcePosition where = position(file, node.getStartMark());
        if (--budget[0] < 0 && budget[0] == -1) {
            errors.add(new InputError(where, "too many nodes through aliases (alias bomb?)"));
        }
        if (budget[0] < 0) {
            return new YamlNode.Scalar(where, "", YamlNode.Scalar.Type.NULL);
        }
        if (!ALLOWED_TAGS.contains(node.getTag())) {
            errors.add(new InputError(where, "tag '" + node.getTag().getValue() + "' is not allowed",
                    "only plain YAML types are accepted; remove the tag"));
            return new YamlNode.Scalar(where, "", YamlNode.Scalar.Type.NULL);
        }
        if (node instanceof MappingNode) {
            MappingNode mapping = (MappingNode) node;
            Map<String, YamlNode> entries = new LinkedHashMap<>();
            Map<String, SourcePosition> keys = new LinkedHashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                Node keyNode = tuple.getKeyNode();
                SourcePosition keyWhere = position(file, keyNode.getStartMark());
                if (keyNode.getTag().equals(Tag.MERGE)) {
                    errors.add(new InputError(keyWhere, "merge keys ('<<') are not supported", "write the keys out"));
                    continue;
                }
                if (!(keyNode instanceof ScalarNode)) {
                    errors.add(new InputError(keyWhere, "a mapping key must be a plain value"));
                    continue;
                }
                String key = ((ScalarNode) keyNode).getValue();
                if (entries.containsKey(key)) {
                    errors.add(new InputError(keyWhere, "duplicate key '" + key + "'",
                            "first defined at line " + keys.get(key).line()));
                    continue;
                }
                keys.put(key, keyWhere);
                entries.put(key, convert(file, tuple.getValueNode(), errors, budget));
            }
            return new YamlNode.Mapping(where, entries, keys);
        }
        if (node instanceof SequenceNode) {
            List<YamlNode> items = new ArrayList<>();
            for (Node item : ((SequenceNode) node).getValue()) {
                items.add(convert(file, item, errors, budget));
            }
            return new YamlNode.Sequence(where, items);
        }
        ScalarNode scalar = (ScalarNode) node;
        return new YamlNode.Scalar(where, scalar.getValue(), typeOf(scalar));
    }

    private static YamlNode.Scalar.Type typeOf(ScalarNode scalar) {
        Tag tag = scalar.getTag();
        if (tag.equals(Tag.INT)) {
            return YamlNode.Scalar.Type.INTEGER;
        }
        if (tag.equals(Tag.FLOAT)) {
            return YamlNode.Scalar.Type.FLOAT;
        }
        if (tag.equals(Tag.BOOL)) {
            return YamlNode.Scalar.Type.BOOLEAN;
        }
        if (tag.equals(Tag.NULL)) {
            return YamlNode.Scalar.Type.NULL;
        }
        return YamlNode.Scalar.Type.STRING;
    }

    static Boolean parseBoolean(String text) {
        String t = text.toLowerCase(java.util.Locale.ROOT);
        return t.equals("true") || t.equals("yes") || t.equals("on") || t.equals("y");
    }

    static Object parseInteger(String text) {
        String t = text.replace("_", "");
        try {
            if (t.startsWith("0x") || t.startsWith("-0x")) {
                return Long.decode(t);
            }
            if (t.length() > 1 && t.startsWith("0") && !t.contains(":")) {
                return Long.parseLong(t.substring(1), 8);
            }
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            return text;
        }
    }

    static Object parseFloat(String text) {
        try {
            return Double.parseDouble(text.replace("_", ""));
        } catch (NumberFormatException e) {
            return text;
        }
    }

    private static SourcePosition position(Path file, Mark mark) {
        return mark == null ? SourcePosition.of(file) : new SourcePosition(file, mark.getLine() + 1, mark.getColumn() + 1);
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replace('\n', ' ').trim();
    }
}
