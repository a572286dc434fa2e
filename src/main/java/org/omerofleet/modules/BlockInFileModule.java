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
 * Keep a block of lines between two marker lines in a file of the host, as Ansible's
 * {@code blockinfile}: the block between the markers is replaced (or removed with {@code state: absent}
 * or an empty {@code block}); without markers yet, it goes after the last line {@code insertafter}
 * matches (default {@code EOF}) or before the last line {@code insertbefore} matches ({@code BOF} too).
 * {@code marker} holds {@code {mark}}, replaced by {@code marker_begin}/{@code marker_end}.
 * {@code create}, {@code backup}, {@code validate}, {@code mode}, {@code owner}, {@code group}; check
 * and diff modes.
 */
public final class BlockInFileModule implements Module {

    @Override
    public String name() {
        return "blockinfile";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("path", "dest", "destfile", "name", "state", "marker", "block", "content", "insertafter", "insertbefore", "create",
                "backup", "validate", "marker_begin", "marker_end", "mode", "owner", "group", "unsafe_writes");
    }

    @Override
    public boolean supportsCheckMode() {
        return true;
    }

    @Override
    public boolean safeToRepeat() {
        return true;
    }

    @Override
    public TaskResult run(TaskContext context, Args args) throws TransportException {
        String path = LineInFileModule.path(args, name());
        String state = args.string("state", "present");
        if (!state.equals("present") && !state.equals("absent")) {
            return new TaskResult.Failed("blockinfile: state must be present or absent, got '" + state + "'");
        }
        String insertAfter = args.optionalString("insertafter").orElse(null);
        String insertBefore = args.optionalString("insertbefore").orElse(null);
        if (insertAfter != null && insertBefore != null) {
            return new TaskResult.Failed("parameters are mutually exclusive: insertbefore|insertafter");
        }
        HostFile.State before = HostFile.read(context, path);
        if (before.kind().equals("directory")) {
            return new TaskResult.Failed("Path " + path + " is a directory !", Map.of("rc", 256));
        }
        if (before.kind().equals("big")) {
            return new TaskResult.Failed("blockinfile: " + path + " is over " + HostFile.MAX_SIZE + " bytes");
        }
        if (!before.exists() && !args.bool("create", false)) {
            return new TaskResult.Failed("Path " + path + " does not exist !", Map.of("rc", 257));
        }
        boolean present = state.equals("present");
        if (!present && !before.exists()) {
            String msg = "File " + path + " not present";
            return new TaskResult.Ok(false, msg, Map.of("changed", false, "msg", msg));
        }
        String marker = args.string("marker", "# {mark} ANSIBLE MANAGED BLOCK");
        String block = args.optionalString("block").or(() -> args.optionalString("content")).orElse("");
        String begin = marker.replace("{mark}", args.string("marker_begin", "BEGIN")) + "\n";
        String end = marker.replace("{mark}", args.string("marker_end", "END")) + "\n";
        String original = before.text();
        List<String> lines = LineInFileModule.lines(original);
        List<String> blockLines = new ArrayList<>();
        if (present && !block.isEmpty()) {
            blockLines.add(begin);
            blockLines.addAll(LineInFileModule.lines(block.endsWith("\n") ? block : block + "\n"));
            blockLines.add(end);
        }
        int n0 = -1;
        int n1 = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).equals(begin)) {
                n0 = i;
            }
            if (lines.get(i).equals(end)) {
                n1 = i;
            }
        }
        if (n0 == -1 || n1 == -1) {
            n0 = insertionPoint(lines, original, insertAfter, insertBefore);
        } else if (n0 < n1) {
            lines.subList(n0, n1 + 1).clear();
        } else {
            lines.subList(n1, n0 + 1).clear();
            n0 = n1;
        }
        if (n0 > 0 && !lines.get(n0 - 1).endsWith("\n")) {
            lines.set(n0 - 1, lines.get(n0 - 1) + "\n");
        }
        lines.addAll(n0, blockLines);
        String result = String.join("", lines);
        String msg;
        if (before.exists() && original.equals(result)) {
            msg = "";
        } else if (!before.exists()) {
            msg = "File created";
        } else if (blockLines.isEmpty()) {
            msg = "Block removed";
        } else {
            msg = "Block inserted";
        }
        return new FileEdit(path, before, result.getBytes(StandardCharsets.UTF_8), msg, "backup_file").apply(context, args, new LinkedHashMap<>());
    }

    private int insertionPoint(List<String> lines, String original, String insertAfter, String insertBefore) {
        String after = insertAfter == null && insertBefore == null ? "EOF" : insertAfter;
        Pattern re = null;
        if (after != null && !after.equals("EOF")) {
            re = PyRegex.compile(name(), "insertafter", after, 0);
        } else if (insertBefore != null && !insertBefore.equals("BOF")) {
            re = PyRegex.compile(name(), "insertbefore", insertBefore, 0);
        }
        if (re == null) {
            return insertBefore != null ? 0 : lines.size();
        }
        int n0 = -1;
        if ((re.flags() & Pattern.MULTILINE) != 0 || re.pattern().startsWith("(?m")) {
            Matcher m = re.matcher(original);
            if (m.find()) {
                n0 = count(original, after != null ? m.end() : m.start());
            }
        } else {
            for (int i = 0; i < lines.size(); i++) {
                if (re.matcher(lines.get(i)).find()) {
                    n0 = i;
                }
            }
        }
        if (n0 == -1) {
            return lines.size();
        }
        return after != null ? n0 + 1 : n0;
    }

    private static int count(String text, int upTo) {
        int n = 0;
        for (int i = 0; i < upTo; i++) {
            if (text.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }
}
