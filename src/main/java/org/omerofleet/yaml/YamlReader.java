package org.omerofleet.yaml;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.omerofleet.input.InputError;
import org.omerofleet.input.InputFiles;
import org.omerofleet.input.InvalidInputException;
import org.omerofleet.input.SourcePosition;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Read YAML safely into a tree of positioned {@link YamlNode}s.
 *
 * <p>Only the node graph is composed: no object is ever constructed from a tag, so {@code !!java...}
 * and other global tags are rejected rather than obeyed (reliability.md IN-01). Aliases are limited,
 * duplicate keys are errors, and files are read through {@link InputFiles} with its limits.
 *
 * <p>Why SnakeYAML's composer rather than Jackson's tree: Jackson's {@code JsonNode} drops positions,
 * and every later check must name file, line and column. SnakeYAML is already on the classpath as
 * Jackson YAML's parser.
 */
public final class YamlReader {

    private static final int MAX_ALIASES = 50;
    /** Nodes that aliases may add on top of those written out; guards against "billion laughs". */
    static final int MAX_ALIAS_EXPANSION = 10_000;
    private static final Set<Tag> ALLOWED_TAGS = Set.of(Tag.MAP, Tag.SEQ, Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL,
            Tag.TIMESTAMP);

    private YamlReader() {
    }

    /** The tag of an inline Ansible Vault value. */
    public static final String VAULT_TAG = "!vault";

    /** {@return the single document in {@code file}; an empty file gives an empty mapping} */
    public static YamlNode read(Path file) throws InvalidInputException {
        return parse(file, InputFiles.read(file));
    }

    /** {@return the single document in {@code text}, with positions naming {@code file}} */
    public static YamlNode parse(Path file, String text) throws InvalidInputException {
        return parse(file, text, Vault.none());
    }

    /**
     * {@return the single document in {@code file}}, decrypted with {@code vault} when the whole file is
     * vault-encrypted, with {@code !vault} values decrypted to strings. The string values of an encrypted
     * file, and every {@code !vault} value, join the vault's revealed secrets.
     */
    public static YamlNode read(Path file, Vault vault) throws InvalidInputException {
        return parse(file, InputFiles.read(file), vault);
    }

    /** {@return the single document in {@code text}}, as {@link #read(Path, Vault)} */
    public static YamlNode parse(Path file, String text, Vault vault) throws InvalidInputException {
        if (Vault.isEncrypted(text)) {
            YamlNode tree = parsePlain(file, vault.decryptFile(text, SourcePosition.of(file)), vault);
            revealStrings(tree, vault);
            return tree;
        }
        return parsePlain(file, text, vault);
    }

    /** {@return the text of {@code file}, decrypted when the whole file is vault-encrypted (for INI inventories)} */
    public static String readText(Path file, Vault vault) throws InvalidInputException {
        String text = InputFiles.read(file);
        return Vault.isEncrypted(text) ? vault.decryptFile(text, SourcePosition.of(file)) : text;
    }

    private static void revealStrings(YamlNode node, Vault vault) {
        if (node instanceof YamlNode.Mapping) {
            ((YamlNode.Mapping) node).entries().values().forEach(n -> revealStrings(n, vault));
        } else if (node instanceof YamlNode.Sequence) {
            ((YamlNode.Sequence) node).items().forEach(n -> revealStrings(n, vault));
        } else if (((YamlNode.Scalar) node).type() == YamlNode.Scalar.Type.STRING) {
            vault.reveal(((YamlNode.Scalar) node).text());
        }
    }

    private static YamlNode parsePlain(Path file, String text, Vault vault) throws InvalidInputException {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        options.setCodePointLimit(InputFiles.MAX_BYTES);
        // Let the composer keep global tags (!!java...) so that convert() rejects every disallowed tag in
        // one place, with a hint; only nodes are composed, so no tag is ever acted on.
        options.setTagInspector(tag -> true);
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
        YamlNode tree = new Converter(file, errors, vault).convert(root);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return tree;
    }

    /**
     * Turn SnakeYAML's node graph into a tree. An alias shares its anchor's node object, so a node met a
     * second time is an alias expansion: those are counted against {@link #MAX_ALIAS_EXPANSION}, and a
     * node met again while still inside itself is a recursive alias.
     */
    private static final class Converter {
        private final Path file;
        private final List<InputError> errors;
        private final Vault vault;
        private final Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        private final Set<Node> open = Collections.newSetFromMap(new IdentityHashMap<>());
        private int expanded;
        private boolean overBudget;

        Converter(Path file, List<InputError> errors, Vault vault) {
            this.file = file;
            this.errors = errors;
            this.vault = vault;
        }

        YamlNode convert(Node node) {
            SourcePosition where = position(file, node.getStartMark());
            YamlNode empty = new YamlNode.Scalar(where, "", YamlNode.Scalar.Type.NULL);
            if (open.contains(node)) {
                errors.add(new InputError(where, "recursive alias: a node contains itself",
                        "write the structure out without the self-reference"));
                return empty;
            }
            if (!seen.add(node) && ++expanded > MAX_ALIAS_EXPANSION) {
                if (!overBudget) {
                    errors.add(new InputError(where, "aliases expand to more than " + MAX_ALIAS_EXPANSION
                            + " nodes (alias bomb?)", "write the repeated values out or use fewer aliases"));
                    overBudget = true;
                }
                return empty;
            }
            open.add(node);
            try {
                return convertNode(node, where, empty);
            } finally {
                open.remove(node);
            }
        }

        private YamlNode convertNode(Node node, SourcePosition where, YamlNode empty) {
            if (node.getTag().getValue().equals(VAULT_TAG)) {
                return vaultValue(node, where, empty);
            }
            if (!ALLOWED_TAGS.contains(node.getTag())) {
                errors.add(new InputError(where, "tag '" + node.getTag().getValue() + "' is not allowed",
                        "only plain YAML types are accepted; remove the tag"));
                return empty;
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
                    if (!ALLOWED_TAGS.contains(keyNode.getTag())) {
                        errors.add(new InputError(keyWhere, "tag '" + keyNode.getTag().getValue() + "' is not allowed",
                                "only plain YAML types are accepted; remove the tag"));
                        continue;
                    }
                    if (!(keyNode instanceof ScalarNode)) {
                        errors.add(new InputError(keyWhere, "a mapping key must be a plain value"));
                        continue;
                    }
                    String key = ((ScalarNode) keyNode).getValue();
                    if (entries.containsKey(key)) {
                        errors.add(new InputError(keyWhere, "duplicate key '" + key + "'",
                                "first defined at line " + keys.get(key).line() + ", column " + keys.get(key).column()));
                        continue;
                    }
                    keys.put(key, keyWhere);
                    entries.put(key, convert(tuple.getValueNode()));
                }
                return new YamlNode.Mapping(where, entries, keys);
            }
            if (node instanceof SequenceNode) {
                List<YamlNode> items = new ArrayList<>();
                for (Node item : ((SequenceNode) node).getValue()) {
                    items.add(convert(item));
                }
                return new YamlNode.Sequence(where, items);
            }
            ScalarNode scalar = (ScalarNode) node;
            return new YamlNode.Scalar(where, scalar.getValue(), typeOf(scalar));
        }

        /** An inline {@code !vault |} value: always a string once decrypted, as in Ansible. */
        private YamlNode vaultValue(Node node, SourcePosition where, YamlNode empty) {
            if (!(node instanceof ScalarNode)) {
                errors.add(new InputError(where, "!vault must tag a scalar holding vault text, got a " + node.getNodeId(),
                        "paste the output of 'ansible-vault encrypt_string' as it is"));
                return empty;
            }
            try {
                return new YamlNode.Scalar(where, vault.decrypt(((ScalarNode) node).getValue(), where), YamlNode.Scalar.Type.STRING);
            } catch (InvalidInputException e) {
                errors.addAll(e.errors());
                return empty;
            }
        }
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

    /**
     * Read a YAML 1.1 integer as PyYAML does: optional sign, then {@code 0x} hex, {@code 0b} binary,
     * a leading {@code 0} for octal, {@code a:b:c} base 60, or decimal; underscores are ignored.
     * Out-of-range values stay text.
     */
    static Object parseInteger(String text) {
        String t = text.replace("_", "");
        boolean negative = t.startsWith("-");
        if (t.startsWith("-") || t.startsWith("+")) {
            t = t.substring(1);
        }
        try {
            long value;
            if (t.startsWith("0x")) {
                value = Long.parseLong(t.substring(2), 16);
            } else if (t.startsWith("0b")) {
                value = Long.parseLong(t.substring(2), 2);
            } else if (t.contains(":")) {
                value = 0;
                for (String digits : t.split(":", -1)) {
                    value = Math.addExact(Math.multiplyExact(value, 60), Long.parseLong(digits));
                }
            } else if (t.length() > 1 && t.startsWith("0")) {
                value = Long.parseLong(t.substring(1), 8);
            } else {
                value = Long.parseLong(t);
            }
            return negative ? -value : value;
        } catch (NumberFormatException | ArithmeticException e) {
            return text;
        }
    }

    /** Read a YAML 1.1 float, including {@code .inf}, {@code -.inf} and {@code .nan}. */
    static Object parseFloat(String text) {
        String t = text.replace("_", "");
        String lower = t.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals(".nan")) {
            return Double.NaN;
        }
        if (lower.endsWith(".inf")) {
            return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        try {
            return Double.parseDouble(t);
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
