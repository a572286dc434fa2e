package org.omerofleet.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.omerofleet.input.InputError;
import org.omerofleet.input.InvalidInputException;
import org.omerofleet.input.ShellWords;
import org.omerofleet.input.SourcePosition;
import org.omerofleet.yaml.YamlNode;
import org.omerofleet.yaml.YamlReader;

/**
 * Parse {@code -e} values as Ansible does: {@code k=v k2=v2} (values stay strings), {@code @file.yml},
 * or an inline JSON/YAML mapping. Later values win.
 */
final class ExtraVars {

    private ExtraVars() {
    }

    static Map<String, Object> parse(List<String> values) throws InvalidInputException {
        return parse(values, org.omerofleet.yaml.Vault.none());
    }

    /** {@return the variables of every -e}, an {@code @file} decrypted with {@code vault} when it is vault-encrypted */
    static Map<String, Object> parse(List<String> values, org.omerofleet.yaml.Vault vault) throws InvalidInputException {
        Map<String, Object> vars = new LinkedHashMap<>();
        for (String value : values) {
            String v = value.strip();
            if (v.startsWith("@")) {
                vars.putAll(mapping(YamlReader.read(Path.of(v.substring(1)), vault), v));
            } else if (v.startsWith("{")) {
                vars.putAll(mapping(YamlReader.parse(Path.of("-e"), v), v));
            } else {
                vars.putAll(pairs(v));
            }
        }
        return vars;
    }

    private static Map<String, Object> mapping(YamlNode node, String source) throws InvalidInputException {
        if (!(node instanceof YamlNode.Mapping)) {
            throw new InvalidInputException(new InputError(node.position(), "-e " + source + ": expected a mapping, got " + node.kind()));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) node.toValue();
        return map;
    }

    /** Split {@code k=v k2='v 2'}: quotes group, backslashes are kept, as Ansible's key=value parser does. */
    static Map<String, Object> pairs(String text) throws InvalidInputException {
        Map<String, Object> vars = new LinkedHashMap<>();
        List<String> words;
        try {
            words = ShellWords.texts(text, ShellWords.Syntax.QUOTES_ONLY);
        } catch (ShellWords.UnclosedQuote e) {
            throw new InvalidInputException(new InputError(SourcePosition.of(Path.of("-e")), "unclosed quote in '" + text + "'"));
        }
        for (String word : words) {
            put(vars, word);
        }
        return vars;
    }

    private static void put(Map<String, Object> vars, String pair) throws InvalidInputException {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
            throw new InvalidInputException(new InputError(SourcePosition.of(Path.of("-e")),
                    "expected key=value, got '" + pair + "'", "use -e key=value, -e @file.yml or -e '{\"key\": 1}'"));
        }
        String key = pair.substring(0, eq);
        if (!key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new InvalidInputException(new InputError(SourcePosition.of(Path.of("-e")), "'" + key + "' is not a valid variable name"));
        }
        vars.put(key, pair.substring(eq + 1));
    }
}
