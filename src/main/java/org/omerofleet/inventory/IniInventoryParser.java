package org.omerofleet.inventory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.omerofleet.input.InputError;
import org.omerofleet.input.ShellWords.Word;
import org.omerofleet.input.ShellWords;
import org.omerofleet.input.SourcePosition;
import org.omerofleet.input.Suggestions;
import org.omerofleet.inventory.RawInventory.RawGroup;
import org.omerofleet.inventory.RawInventory.RawHost;

/**
 * Read an inventory in the format of Ansible's INI plugin ({@code lib/ansible/plugins/inventory/ini.py}).
 *
 * <p>As there: hosts before any section belong to {@code ungrouped}; {@code [g]}, {@code [g:vars]}
 * and {@code [g:children]} sections; full-line comments start with {@code #} or {@code ;}; host lines
 * are split like {@code shlex} (quotes, backslashes, {@code #} comments); values are read as Python
 * literals; a {@code [g:vars]} section needs {@code g} declared somewhere by {@code [g]} or
 * {@code [g:children]}, and a child group must be declared too.
 *
 * <p>Unlike there: a quoted inline scalar stays a string ({@code v="5.10"} stays {@code "5.10"};
 * Ansible strips the quotes first and makes it the number 5.1), and every error is collected rather
 * than stopping at the first.
 */
final class IniInventoryParser {

    private static final Pattern SECTION = Pattern.compile("^\\[([^:\\]\\s]+)(?::(\\w+))?\\]\\s*(?:#.*)?$");
    private static final Pattern GROUP_LINE = Pattern.compile("^([^:\\]\\s]+)\\s*(?:#.*)?$");
    private static final List<String> KINDS = List.of("hosts", "vars", "children");
    private static final String SKIP = "skip";

    private final Path file;
    private final RawInventory inventory;
    private final List<InputError> errors;
    /** Groups used before they were declared: a [g:vars] section, or a child named under [p:children]. */
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private String group = RawInventory.UNGROUPED;
    private String state = "hosts";
    private int lineNumber;

    /** A group named before its declaration: its kind of use, and the parents that list it as a child. */
    private static final class Pending {
        final String kind;
        final SourcePosition where;
        final Map<String, SourcePosition> parents = new LinkedHashMap<>();

        Pending(String kind, SourcePosition where) {
            this.kind = kind;
            this.where = where;
        }
    }

    IniInventoryParser(Path file, RawInventory inventory, List<InputError> errors) {
        this.file = file;
        this.inventory = inventory;
        this.errors = errors;
    }

    void parse(String text) {
        String[] lines = text.split("\r\n|\r|\n", -1);
        if (lines.length > 0 && lines[0].startsWith("\uFEFF")) {
            lines[0] = lines[0].substring(1);
        }
        for (String line : lines) {
            lineNumber++;
            parseLine(line);
        }
        reportUndeclared();
    }

    private void parseLine(String line) {
        String stripped = line.strip();
        if (stripped.isEmpty() || stripped.charAt(0) == '#' || stripped.charAt(0) == ';') {
            return;
        }
        int indent = line.indexOf(stripped.charAt(0));
        Matcher section = SECTION.matcher(stripped);
        if (section.matches()) {
            section(section, indent);
            return;
        }
        if (stripped.startsWith("[") && stripped.endsWith("]")) {
            error(indent, "invalid section header '" + stripped + "'",
                    "write [group], [group:vars] or [group:children], with no spaces inside the brackets");
            state = SKIP;
            return;
        }
        switch (state) {
            case "hosts":
                hostLine(line);
                break;
            case "vars":
                varLine(stripped, indent);
                break;
            case "children":
                childLine(stripped, indent);
                break;
            default:
                break;
        }
    }

    private void section(Matcher section, int indent) {
        String name = section.group(1);
        String kind = section.group(2) == null ? "hosts" : section.group(2);
        SourcePosition where = at(indent + 1);
        state = SKIP;
        if (!KINDS.contains(kind)) {
            errors.add(new InputError(at(indent + 3 + name.length()), "section [" + name + ":" + kind
                    + "] has unknown type '" + kind + "'",
                    Suggestions.didYouMean(kind, KINDS).orElse("use [" + name + "], [" + name + ":vars] or ["
                            + name + ":children]")));
            return;
        }
        Optional<InputError> bad = Rules.groupName(name, at(indent + 2));
        if (bad.isPresent()) {
            errors.add(bad.get());
            return;
        }
        if (!inventory.groups.containsKey(name) && kind.equals("vars") && !pending.containsKey(name)) {
            pending.put(name, new Pending("vars", where));
        }
        inventory.group(name, where);
        Pending waiting = pending.get(name);
        if (waiting != null && !kind.equals("vars")) {
            pending.remove(name);
            waiting.parents.forEach((parent, listed) -> inventory.groups.get(parent).children.putIfAbsent(name, listed));
        }
        group = name;
        state = kind;
    }

    private void hostLine(String line) {
        List<Word> tokens;
        try {
            tokens = ShellWords.split(line, ShellWords.Syntax.SHLEX_COMMENTS);
        } catch (ShellWords.UnclosedQuote e) {
            error(e.column() - 1, e.getMessage(), "close the quote, or escape it with a backslash");
            return;
        }
        if (tokens.isEmpty()) {
            return;
        }
        Word first = tokens.get(0);
        HostEntry entry;
        try {
            entry = HostEntry.parse(first.text());
        } catch (HostEntry.BadEntry e) {
            errors.add(new InputError(at(first.columnOf(e.offset)), e.getMessage(), e.hint));
            return;
        }
        Map<String, Var> vars = new LinkedHashMap<>();
        if (entry.port().isPresent()) {
            String digits = entry.port().get();
            Object port = PythonLiteral.valueOr(digits, digits);
            vars.put(Rules.PORT, new Var(port, digits, at(first.columnOf(entry.portOffset())), Var.Syntax.INI));
        }
        for (Word token : tokens.subList(1, tokens.size())) {
            int eq = token.text().indexOf('=');
            if (eq < 0) {
                errors.add(new InputError(at(token.column()), "expected key=value after the host name, got '"
                        + Rules.printable(token.text()) + "'", "one host per line; quote values that contain spaces"));
                continue;
            }
            String key = token.text().substring(0, eq);
            Optional<InputError> badKey = Rules.varName(key, at(token.column()));
            if (badKey.isPresent()) {
                errors.add(badKey.get());
                continue;
            }
            String raw = token.text().substring(eq + 1);
            Object value = PythonLiteral.valueOr(raw, raw);
            // a quoted scalar stays a string (Ansible would make "5.10" the number 5.1); quoted lists and dicts are kept
            if (token.quotedAfter(eq) && !(value instanceof String || value instanceof List || value instanceof Map)) {
                value = raw;
            }
            vars.put(key, new Var(value, raw, at(token.columnOf(eq + 1)), Var.Syntax.INI));
        }
        SourcePosition where = at(first.column());
        for (String name : entry.names()) {
            Optional<InputError> bad = Rules.hostName(name, where);
            if (bad.isPresent()) {
                errors.add(bad.get());
                continue;
            }
            RawHost host = inventory.host(name, where);
            inventory.addHost(inventory.groups.get(group), host);
            host.vars.putAll(vars);
        }
    }

    private void varLine(String stripped, int indent) {
        int eq = stripped.indexOf('=');
        if (eq < 0) {
            error(indent, "expected key=value in [" + group + ":vars], got '" + Rules.printable(stripped) + "'",
                    "hosts belong in [" + group + "], variables in [" + group + ":vars]");
            return;
        }
        String key = stripped.substring(0, eq).strip();
        String raw = stripped.substring(eq + 1).strip();
        Optional<InputError> badKey = Rules.varName(key, at(indent + 1));
        if (badKey.isPresent()) {
            errors.add(badKey.get());
            return;
        }
        String afterEquals = stripped.substring(eq + 1);
        int valueColumn = indent + eq + 2 + (afterEquals.length() - afterEquals.stripLeading().length());
        Var var = new Var(PythonLiteral.valueOr(raw, raw), raw, at(valueColumn), Var.Syntax.INI);
        RawGroup target = inventory.groups.get(group);
        if (key.equals(Rules.GROUP_PRIORITY)) {
            Optional<Integer> priority = priority(var.value());
            if (priority.isEmpty()) {
                errors.add(new InputError(var.where(), Rules.GROUP_PRIORITY + " must be a whole number, got '"
                        + Rules.printable(raw) + "'"));
            } else {
                target.priority = priority.get();
            }
            return;
        }
        target.vars.put(key, var);
    }

    /** {@return Ansible's {@code int(value)} for a group priority} */
    static Optional<Integer> priority(Object value) {
        if (value instanceof Long && Math.abs((Long) value) <= Integer.MAX_VALUE) {
            return Optional.of(((Long) value).intValue());
        }
        if (value instanceof String && ((String) value).strip().matches("[+-]?[0-9]{1,9}")) {
            return Optional.of(Integer.parseInt(((String) value).strip()));
        }
        return Optional.empty();
    }

    private void childLine(String stripped, int indent) {
        Matcher m = GROUP_LINE.matcher(stripped);
        if (!m.matches()) {
            error(indent, "expected one group name per line in [" + group + ":children], got '"
                    + Rules.printable(stripped) + "'", null);
            return;
        }
        String child = m.group(1);
        SourcePosition where = at(indent + 1);
        Optional<InputError> bad = Rules.groupName(child, where);
        if (bad.isPresent()) {
            errors.add(bad.get());
            return;
        }
        if (inventory.groups.containsKey(child)) {
            inventory.groups.get(group).children.putIfAbsent(child, where);
            return;
        }
        Pending waiting = pending.computeIfAbsent(child, c -> new Pending("children", where));
        if (waiting.kind.equals("children")) {
            waiting.parents.putIfAbsent(group, where);
        }
    }

    private void reportUndeclared() {
        List<String> declared = new ArrayList<>(inventory.groups.keySet());
        pending.forEach((name, waiting) -> {
            if (waiting.kind.equals("vars")) {
                declared.remove(name);
                errors.add(new InputError(waiting.where, "section [" + name + ":vars] is for group '" + name
                        + "', which is never declared", Suggestions.didYouMean(name, declared)
                        .orElse("declare it with a [" + name + "] or [" + name + ":children] section")));
                return;
            }
            waiting.parents.forEach((parent, listed) -> {
                String declare = "declare it with a [" + name + "] section, which may be empty";
                String hint = inventory.hosts.containsKey(name)
                        ? "'" + name + "' is a host; list it under [" + parent + "] instead"
                        : Suggestions.didYouMean(name, declared).map(d -> d + " Otherwise " + declare).orElse(declare);
                errors.add(new InputError(listed, "section [" + parent + ":children] includes undefined group '"
                        + name + "'", hint));
            });
        });
    }

    private SourcePosition at(int column) {
        return new SourcePosition(file, lineNumber, column);
    }

    private void error(int indent, String message, String hint) {
        errors.add(new InputError(at(indent + 1), message, hint));
    }
}
