package org.omerofleet.modules;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.TransportException;

/**
 * Replace every match of {@code regexp} (multi-line: {@code ^} and {@code $} match at each line) in a
 * file of the host by {@code replace} (with {@code \1}, {@code \g<name>}), as Ansible's {@code replace};
 * {@code after} and {@code before} limit it to the text between the first match of each. Changed only
 * when the text changed. {@code backup}, {@code validate}, {@code mode}, {@code owner}, {@code group};
 * check and diff modes.
 */
public final class ReplaceModule implements Module {

    @Override
    public String name() {
        return "replace";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("path", "dest", "destfile", "name", "regexp", "replace", "after", "before", "backup", "validate", "encoding",
                "mode", "owner", "group", "unsafe_writes");
    }

    @Override
    public Set<String> required() {
        return Set.of("regexp");
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
        HostFile.State before = HostFile.read(context, path);
        if (before.kind().equals("directory")) {
            return new TaskResult.Failed("Path " + path + " is a directory !", Map.of("rc", 256));
        }
        if (!before.exists()) {
            return new TaskResult.Failed("Path " + path + " does not exist !", Map.of("rc", 257));
        }
        if (before.kind().equals("big")) {
            return new TaskResult.Failed("replace: " + path + " is over " + HostFile.MAX_SIZE + " bytes");
        }
        String contents = before.text();
        String after = args.optionalString("after").orElse("");
        String beforeText = args.optionalString("before").orElse("");
        String pattern = "";
        if (!after.isEmpty() && !beforeText.isEmpty()) {
            pattern = after + "(?P<subsection>.*?)" + beforeText;
        } else if (!after.isEmpty()) {
            pattern = after + "(?P<subsection>.*)";
        } else if (!beforeText.isEmpty()) {
            pattern = "(?P<subsection>.*)" + beforeText;
        }
        int start = 0;
        int end = contents.length();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("rc", 0);
        if (!pattern.isEmpty()) {
            Matcher section = PyRegex.compile(name(), "after/before", pattern, Pattern.DOTALL).matcher(contents);
            if (!section.find()) {
                String msg = "Pattern for before/after params did not match the given file: " + pattern;
                data.put("changed", false);
                data.put("msg", msg);
                return new TaskResult.Ok(false, msg, data);
            }
            start = section.start("subsection");
            end = section.end("subsection");
        }
        String section = contents.substring(start, end);
        Matcher m = PyRegex.compile(name(), "regexp", args.string("regexp"), Pattern.MULTILINE).matcher(section);
        String replacement = args.string("replace", "");
        StringBuilder out = new StringBuilder();
        int count = 0;
        int last = 0;
        while (m.find()) {
            out.append(section, last, m.start()).append(PyRegex.expand(replacement, m));
            last = m.end();
            count++;
        }
        out.append(section.substring(last));
        String replaced = out.toString();
        if (count == 0 || replaced.equals(section)) {
            return new FileEdit(path, before, before.content(), "", "backup_file").apply(context, args, data);
        }
        String result = contents.substring(0, start) + replaced + contents.substring(end);
        return new FileEdit(path, before, result.getBytes(StandardCharsets.UTF_8), count + " replacements made", "backup_file")
                .apply(context, args, data);
    }
}
