package org.omerofleet.inventory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.omerofleet.input.InputError;
import org.omerofleet.input.InputFiles;
import org.omerofleet.input.InvalidInputException;
import org.omerofleet.input.SourcePosition;
import org.omerofleet.input.Suggestions;

/**
 * Select hosts by an Ansible host pattern, as in {@code hosts:} and {@code --limit}.
 *
 * <p>Items are separated by {@code ,}; a pattern without a comma is split at {@code :} and whitespace
 * outside {@code [...]}, unless the whole pattern is a host name or an IPv6 address. An item is {@code all} or {@code *}, a
 * group, a host, a glob ({@code *}, {@code ?}, {@code [...]}), a regular expression after {@code ~}
 * (matched from the start of the name, as Python's {@code re.match}), optionally with a subscript
 * ({@code webservers[0]}, {@code webservers[-1]}, {@code webservers[0:2]}, inclusive), or
 * {@code @file} with one item per line. As in Ansible, plain items are joined first, then
 * {@code &item} intersections apply, then {@code !item} exclusions; with only {@code &}/{@code !}
 * items the start is {@code all}.
 *
 * <p>Unlike Ansible, which warns and carries on, an item that matches no host or group is an error:
 * a typo in {@code --limit 'all:!omero-prod'} must not run on the host it meant to exclude.
 */
public final class HostPattern {

    /** Ansible's subscript: {@code name[3]}, {@code name[-1]}, {@code name[1:3]}, {@code name[1:]}. */
    private static final Pattern SUBSCRIPT = Pattern.compile("^(.+)\\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\\]$");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%\\S+)?");
    private static final int MAX_LIMIT_FILE_BYTES = 1024 * 1024;

    private HostPattern() {
    }

    /**
     * {@return the names of the hosts {@code pattern} selects, in inventory order}
     *
     * @param baseDir where {@code @file} items are resolved from
     */
    public static List<String> select(Inventory inventory, String pattern, Path baseDir) throws InvalidInputException {
        return new Selection(inventory, baseDir).select(pattern);
    }

    /** One item of a pattern and where it came from, for error messages. */
    private record Item(String text, SourcePosition where) {
    }

    /** The state of one {@link #select} call. */
    private static final class Selection {
        private final Inventory inventory;
        private final Path baseDir;
        private final SourcePosition where;
        private final List<InputError> errors = new ArrayList<>();
        private final Map<String, Set<String>> groupHosts = new LinkedHashMap<>();

        Selection(Inventory inventory, Path baseDir) {
            this.inventory = inventory;
            this.baseDir = baseDir;
            this.where = SourcePosition.of(inventory.source());
            inventory.groups().keySet().forEach(g -> groupHosts.put(g, new LinkedHashSet<>()));
            inventory.hosts().values().forEach(h -> h.groups()
                    .forEach(g -> groupHosts.computeIfAbsent(g, x -> new LinkedHashSet<>()).add(h.name())));
        }

        List<String> select(String pattern) throws InvalidInputException {
            List<Item> items = new ArrayList<>();
            for (String part : split(pattern)) {
                if (part.startsWith("@")) {
                    items.addAll(readLimitFile(part.substring(1)));
                } else {
                    items.add(new Item(part, where));
                }
            }
            if (items.isEmpty() && errors.isEmpty()) {
                errors.add(new InputError(where, "empty host pattern", "use 'all' to select every host"));
            }
            List<Item> plain = new ArrayList<>();
            List<Item> intersect = new ArrayList<>();
            List<Item> exclude = new ArrayList<>();
            for (Item item : items) {
                if (item.text().startsWith("!")) {
                    exclude.add(item);
                } else if (item.text().startsWith("&")) {
                    intersect.add(item);
                } else {
                    plain.add(item);
                }
            }
            if (plain.isEmpty()) {
                plain.add(new Item("all", where));
            }
            Set<String> selected = new LinkedHashSet<>();
            for (Item item : plain) {
                selected.addAll(match(item, item.text()));
            }
            for (Item item : intersect) {
                selected.retainAll(match(item, item.text().substring(1)));
            }
            for (Item item : exclude) {
                selected.removeAll(match(item, item.text().substring(1)));
            }
            if (!errors.isEmpty()) {
                throw new InvalidInputException(errors);
            }
            List<String> result = new ArrayList<>();
            inventory.hosts().keySet().stream().filter(selected::contains).forEach(result::add);
            return result;
        }

        private List<String> split(String pattern) {
            List<String> parts = new ArrayList<>();
            String trimmed = pattern.strip();
            if (trimmed.contains(",")) {
                parts.addAll(List.of(trimmed.split(",", -1)));
            } else if (inventory.hosts().containsKey(trimmed) || IPV6.matcher(trimmed).matches()) {
                parts.add(trimmed);
            } else {
                parts.addAll(splitOnColons(trimmed));
            }
            List<String> out = new ArrayList<>();
            parts.stream().map(String::strip).filter(p -> !p.isEmpty()).forEach(out::add);
            return out;
        }

        /**
         * Split at ':' and whitespace outside {@code [...]}, as Ansible's fallback splitter does, but keep
         * an unclosed '[' (Ansible silently drops it).
         */
        private static List<String> splitOnColons(String pattern) {
            List<String> parts = new ArrayList<>();
            StringBuilder part = new StringBuilder();
            for (int i = 0; i < pattern.length(); i++) {
                char c = pattern.charAt(i);
                int close = c == '[' ? pattern.indexOf(']', i) : -1;
                if (close > 0) {
                    part.append(pattern, i, close + 1);
                    i = close;
                } else if (c == ':' || Character.isWhitespace(c)) {
                    parts.add(part.toString());
                    part.setLength(0);
                } else {
                    part.append(c);
                }
            }
            parts.add(part.toString());
            return parts;
        }

        private List<Item> readLimitFile(String name) {
            Path file = baseDir.resolve(name);
            List<Item> items = new ArrayList<>();
            if (!Files.exists(file)) {
                errors.add(new InputError(SourcePosition.of(file), "limit file not found",
                        "'@' is followed by a file of host names, one per line, relative to " + baseDir));
                return items;
            }
            try {
                List<String> lines = InputFiles.read(file, MAX_LIMIT_FILE_BYTES).lines().toList();
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    String text = line.strip();
                    if (!text.isEmpty()) {
                        items.add(new Item(text, new SourcePosition(file, i + 1, line.indexOf(text) + 1)));
                    }
                }
            } catch (InvalidInputException e) {
                errors.addAll(e.errors());
            }
            return items;
        }

        /** {@return the hosts one item (without its {@code &} or {@code !}) matches; records an error if none} */
        private Set<String> match(Item item, String text) {
            if (inventory.hosts().containsKey(text)) {
                return Set.of(text);
            }
            String base = text;
            int[] subscript = null;
            Matcher sub = SUBSCRIPT.matcher(text);
            if (!text.startsWith("~") && sub.matches()) {
                base = sub.group(1);
                subscript = sub.group(2) != null
                        ? new int[] {Integer.parseInt(sub.group(2))}
                        : new int[] {Integer.parseInt(sub.group(3)), sub.group(5).isEmpty() ? -1 : Integer.parseInt(sub.group(5))};
            }
            Optional<Predicate<String>> matcher = matcher(item, base);
            if (matcher.isEmpty()) {
                return Set.of();
            }
            Set<String> found = new LinkedHashSet<>();
            boolean groupMatched = false;
            for (String group : inventory.groups().keySet()) {
                if (matcher.get().test(group)) {
                    groupMatched = true;
                    found.addAll(groupHosts.get(group));
                }
            }
            if (!groupMatched || base.startsWith("~") || base.chars().anyMatch(c -> ".?*[".indexOf(c) >= 0)) {
                inventory.hosts().keySet().stream().filter(matcher.get()).forEach(found::add);
            }
            if (found.isEmpty() && !groupMatched) {
                List<String> names = new ArrayList<>(inventory.groups().keySet());
                names.addAll(inventory.hosts().keySet());
                errors.add(new InputError(item.where(), "no host or group matches '" + text + "'",
                        Suggestions.didYouMean(base, names).orElse(null)));
                return Set.of();
            }
            List<String> ordered = new ArrayList<>();
            inventory.hosts().keySet().stream().filter(found::contains).forEach(ordered::add);
            return subscript == null ? new LinkedHashSet<>(ordered) : slice(item, text, ordered, subscript);
        }

        private Set<String> slice(Item item, String text, List<String> hosts, int[] subscript) {
            int size = hosts.size();
            if (subscript.length == 1) {
                int index = subscript[0] < 0 ? size + subscript[0] : subscript[0];
                if (index < 0 || index >= size) {
                    errors.add(new InputError(item.where(), "subscript in '" + text + "' is out of range: it matches "
                            + size + " host" + (size == 1 ? "" : "s")));
                    return Set.of();
                }
                return Set.of(hosts.get(index));
            }
            int from = Math.min(subscript[0], size);
            int to = subscript[1] < 0 ? size - 1 : Math.min(subscript[1], size - 1);
            return from > to ? Set.of() : new LinkedHashSet<>(hosts.subList(from, to + 1));
        }

        private Optional<Predicate<String>> matcher(Item item, String text) {
            if (text.startsWith("~")) {
                try {
                    Pattern regex = Pattern.compile(text.substring(1));
                    return Optional.of(name -> regex.matcher(name).lookingAt());
                } catch (PatternSyntaxException e) {
                    errors.add(new InputError(item.where(), "invalid regular expression in '" + text + "'",
                            e.getDescription()));
                    return Optional.empty();
                }
            }
            Pattern glob = Pattern.compile(globToRegex(text));
            return Optional.of(name -> glob.matcher(name).matches());
        }
    }

    /** Translate a glob as Python's {@code fnmatch.translate} does: {@code *}, {@code ?}, {@code [seq]}, {@code [!seq]}. */
    static String globToRegex(String glob) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        int n = glob.length();
        while (i < n) {
            char c = glob.charAt(i++);
            if (c == '*') {
                out.append(".*");
            } else if (c == '?') {
                out.append('.');
            } else if (c == '[') {
                int j = i;
                if (j < n && glob.charAt(j) == '!') {
                    j++;
                }
                if (j < n && glob.charAt(j) == ']') {
                    j++;
                }
                while (j < n && glob.charAt(j) != ']') {
                    j++;
                }
                if (j >= n) {
                    out.append("\\[");
                } else {
                    String set = glob.substring(i, j);
                    i = j + 1;
                    StringBuilder cls = new StringBuilder("[");
                    int k = 0;
                    if (set.startsWith("!")) {
                        cls.append('^');
                        k = 1;
                    }
                    for (; k < set.length(); k++) {
                        char s = set.charAt(k);
                        cls.append(s == '\\' || s == '[' || s == '&' || s == '^' ? "\\" + s : String.valueOf(s));
                    }
                    out.append(cls).append(']');
                }
            } else {
                out.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return out.toString();
    }
}
