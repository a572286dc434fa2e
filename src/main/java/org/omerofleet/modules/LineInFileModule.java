package org.omerofleet.modules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.TransportException;

/**
 * Make sure one line is in a file of the host, or is not, as Ansible's {@code lineinfile}: the line
 * found by {@code regexp} (the last match, or the first with {@code firstmatch}), by
 * {@code search_string} or by being equal is replaced; otherwise the line goes after or before the
 * line {@code insertafter}/{@code insertbefore} matches ({@code EOF} and {@code BOF} too), and only
 * when it is not already there; {@code backrefs} fills in the groups of {@code regexp} and adds nothing
 * when it does not match. {@code state: absent} removes every line that matches. {@code create},
 * {@code backup}, {@code validate}, {@code mode}, {@code owner}, {@code group}; check and diff modes.
 * The file is read and written whole on the controller side, so the host needs no Python.
 */
public final class LineInFileModule implements Module {

    @Override
    public String name() {
        return "lineinfile";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("path", "dest", "destfile", "name", "regexp", "regex", "search_string", "state", "line", "value", "backrefs",
                "insertafter", "insertbefore", "create", "backup", "firstmatch", "validate", "mode", "owner", "group", "unsafe_writes");
    }

    @Override
    public boolean supportsCheckMode() {
        return true;
    }

    @Override
    public boolean safeToRepeat() {
        return true;
    }

    /** The options of one task, read once. */
    record Options(Pattern regexp, String search, String line, String insertAfter, String insertBefore, boolean backrefs,
                           boolean firstMatch) {
    }

    static String path(Args args, String module) {
        for (String key : List.of("path", "dest", "destfile", "name")) {
            if (args.has(key)) {
                return args.string(key);
            }
        }
        throw new IllegalArgumentException(module + ": missing required argument 'path'");
    }

    @Override
    public TaskResult run(TaskContext context, Args args) throws TransportException {
        String path = path(args, name());
        String state = args.string("state", "present");
        String regex = args.optionalString("regexp").or(() -> args.optionalString("regex")).orElse(null);
        String line = args.optionalString("line").or(() -> args.optionalString("value")).orElse(null);
        Options o = new Options(regex == null ? null : PyRegex.compile(name(), "regexp", regex, 0), args.optionalString("search_string").orElse(null),
                line, args.optionalString("insertafter").orElse(null), args.optionalString("insertbefore").orElse(null),
                args.bool("backrefs", false), args.bool("firstmatch", false));
        Failure invalid = validate(state, o, regex);
        if (invalid != null) {
            return new TaskResult.Failed(invalid.message());
        }
        HostFile.State before = HostFile.read(context, path);
        if (before.kind().equals("directory")) {
            return new TaskResult.Failed("Path " + path + " is a directory !", Map.of("rc", 256));
        }
        if (before.kind().equals("big")) {
            return new TaskResult.Failed("lineinfile: " + path + " is over " + HostFile.MAX_SIZE + " bytes");
        }
        List<String> lines = lines(before.text());
        Map<String, Object> data = new LinkedHashMap<>();
        if (state.equals("absent")) {
            if (!before.exists()) {
                return new TaskResult.Ok(false, "file not present", Map.of("changed", false, "msg", "file not present"));
            }
            int count = lines.size();
            lines.removeIf(l -> matches(o, l));
            int found = count - lines.size();
            data.put("found", found);
            data.put("backup", "");
            return new FileEdit(path, before, join(lines), found > 0 ? found + " line(s) removed" : "", "backup").apply(context, args, data);
        }
        if (!before.exists() && !args.bool("create", false)) {
            return new TaskResult.Failed("Destination " + path + " does not exist !", Map.of("rc", 257));
        }
        data.put("backup", "");
        String msg = present(lines, o);
        return new FileEdit(path, before, join(lines), msg, "backup").apply(context, args, data);
    }

    private record Failure(String message) {
    }

    private static Failure validate(String state, Options o, String regex) {
        if (!state.equals("present") && !state.equals("absent")) {
            return new Failure("lineinfile: state must be present or absent, got '" + state + "'");
        }
        if (regex != null && o.search() != null) {
            return new Failure("parameters are mutually exclusive: regexp|search_string");
        }
        if (o.insertAfter() != null && o.insertBefore() != null) {
            return new Failure("parameters are mutually exclusive: insertbefore|insertafter");
        }
        if (state.equals("present") && o.line() == null) {
            return new Failure("state is present but all of the following are missing: line");
        }
        if (state.equals("present") && o.backrefs() && regex == null) {
            return new Failure("regexp is required with backrefs=true");
        }
        if (state.equals("absent") && regex == null && o.search() == null && o.line() == null) {
            return new Failure("one of line, search_string, or regexp is required with state=absent");
        }
        return null;
    }

    private static boolean matches(Options o, String l) {
        if (o.regexp() != null) {
            return o.regexp().matcher(l).find();
        }
        if (o.search() != null) {
            return l.contains(o.search());
        }
        return o.line().equals(stripEol(l));
    }

    /** Apply {@code state: present} to {@code lines}; {@return Ansible's message, empty when nothing changed} */
    static String present(List<String> lines, Options o) {
        Pattern insert = null;
        if (o.insertAfter() != null && !o.insertAfter().equals("BOF") && !o.insertAfter().equals("EOF")) {
            insert = PyRegex.compile("lineinfile", "insertafter", o.insertAfter(), 0);
        } else if (o.insertBefore() != null && !o.insertBefore().equals("BOF")) {
            insert = PyRegex.compile("lineinfile", "insertbefore", o.insertBefore(), 0);
        }
        int found = -1;
        int at = -1;
        Matcher match = null;
        boolean exact = false;
        for (int i = 0; i < lines.size() && (o.regexp() != null || o.search() != null); i++) {
            Matcher m = o.regexp() != null ? o.regexp().matcher(lines.get(i)) : null;
            if (m != null ? m.find() : lines.get(i).contains(o.search())) {
                found = i;
                match = m;
                if (o.firstMatch()) {
                    break;
                }
            }
        }
        if (found == -1) {
            for (int i = 0; i < lines.size(); i++) {
                if (o.line().equals(stripEol(lines.get(i)))) {
                    found = i;
                    exact = true;
                } else if (insert != null && insert.matcher(lines.get(i)).find()) {
                    at = o.insertAfter() != null ? i + 1 : i;
                    if (o.firstMatch()) {
                        break;
                    }
                }
            }
        }
        boolean patternFound = o.regexp() != null || o.search() != null;
        String nl = o.line() + "\n";
        if (found != -1) {
            String newLine = o.backrefs() && match != null ? PyRegex.expand(o.line(), match) : o.line();
            newLine = newLine.endsWith("\n") ? newLine : newLine + "\n";
            if (!patternFound && !exact) {
                return ""; // unreachable: without a pattern a found line is an exact one
            }
            if (!lines.get(found).equals(newLine)) {
                lines.set(found, newLine);
                return "line replaced";
            }
            return "";
        }
        if (o.backrefs()) {
            return "";
        }
        if ("BOF".equals(o.insertBefore()) || "BOF".equals(o.insertAfter())) {
            lines.add(0, nl);
            return "line added";
        }
        if ("EOF".equals(o.insertAfter()) || at == -1) {
            endWithNewline(lines);
            lines.add(nl);
            return "line added";
        }
        if (o.insertAfter() != null) {
            if (lines.size() == at) {
                if (!stripEol(lines.get(at - 1)).equals(o.line())) {
                    endWithNewline(lines);
                    lines.add(nl);
                    return "line added";
                }
                return "";
            }
            if (!o.line().equals(stripEol(lines.get(at)))) {
                lines.add(at, nl);
                return "line added";
            }
            return "";
        }
        lines.add(at, nl);
        return "line added";
    }

    private static void endWithNewline(List<String> lines) {
        if (!lines.isEmpty()) {
            String last = lines.get(lines.size() - 1);
            if (!last.endsWith("\n") && !last.endsWith("\r")) {
                lines.set(lines.size() - 1, last + "\n");
            }
        }
    }

    static String stripEol(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == '\n' || line.charAt(end - 1) == '\r')) {
            end--;
        }
        return line.substring(0, end);
    }

    /** {@return the lines of {@code text}, each with its newline, as Python's {@code readlines}} */
    static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                out.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < text.length()) {
            out.add(text.substring(start));
        }
        return out;
    }

    static byte[] join(List<String> lines) {
        return String.join("", lines).getBytes(StandardCharsets.UTF_8);
    }
}
