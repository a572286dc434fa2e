package org.omerofleet.modules;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.ShellQuote;
import org.omerofleet.transport.TransportException;

/**
 * List the files under {@code paths} that match, as Ansible's {@code find}: {@code patterns} and
 * {@code excludes} on the base name (shell globs, or Python regexes anchored at the start with
 * {@code use_regex}), {@code file_type} (file, directory, link, any), {@code recurse}, {@code depth},
 * {@code hidden}, {@code follow}, {@code age} ({@code 2d}, {@code -1h}: older, or newer when
 * negative; {@code age_stamp}) and {@code size} ({@code 10m}: at least, {@code -10m}: at most). The host
 * runs one {@code find} per path; the filtering happens here. Returns {@code files} (path, mode, isdir,
 * isreg, islnk, size, uid, gid, pw_name, gr_name, mtime, atime, ctime), {@code matched},
 * {@code examined}, {@code skipped_paths}. Never changed.
 */
public final class FindModule implements Module {

    private static final Pattern AGE = Pattern.compile("(-?\\d+)([smhdw]?)", Pattern.CASE_INSENSITIVE);
    private static final Pattern SIZE = Pattern.compile("(-?\\d+)([bkmgt]?)", Pattern.CASE_INSENSITIVE);

    @Override
    public String name() {
        return "find";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("paths", "path", "name", "patterns", "pattern", "excludes", "exclude", "file_type", "recurse", "depth", "hidden",
                "follow", "age", "age_stamp", "size", "use_regex", "get_checksum");
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
        List<String> paths = strings(args, "paths", "path", "name");
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("find: missing required argument 'paths'");
        }
        String type = args.string("file_type", "file");
        if (!List.of("file", "directory", "link", "any").contains(type)) {
            throw new IllegalArgumentException("find: file_type must be one of: any, directory, file, link, got '" + type + "'");
        }
        Predicate<String> patterns = names(args, strings(args, "patterns", "pattern"), true);
        Predicate<String> excludes = names(args, strings(args, "excludes", "exclude"), false);
        boolean hidden = args.bool("hidden", false);
        long now = context.clock().instant().getEpochSecond();
        Predicate<Map<String, Object>> age = age(args, now);
        Predicate<Map<String, Object>> size = size(args);
        List<Map<String, Object>> files = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        int examined = 0;
        for (String path : paths) {
            CommandResult r = context.connection().exec(new ExecRequest(command(path, args), new byte[0], ExecRequest.DEFAULT_TIMEOUT, 256 * 1024 * 1024));
            if (r.stdout().startsWith("__fleet_not_a_dir__")) {
                skipped.add(path);
                continue;
            }
            for (String record : r.stdout().split("\0")) {
                if (record.isBlank()) {
                    continue;
                }
                Map<String, Object> f = parse(record.strip());
                examined++;
                String base = Path.of((String) f.get("path")).getFileName().toString();
                boolean typeOk = type.equals("any") || type.equals("file") && (Boolean) f.get("isreg") || type.equals("directory") && (Boolean) f.get("isdir")
                        || type.equals("link") && (Boolean) f.get("islnk");
                if (typeOk && (hidden || !base.startsWith(".")) && patterns.test(base) && !excludes.test(base) && age.test(f) && size.test(f)) {
                    files.add(f);
                }
            }
        }
        files.sort((a, b) -> ((String) a.get("path")).compareTo((String) b.get("path")));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("files", files);
        data.put("matched", files.size());
        data.put("examined", examined);
        data.put("skipped_paths", skipped.stream().collect(java.util.stream.Collectors.toMap(p -> p, p -> p + " was skipped as it does not seem to be a valid directory or it cannot be accessed")));
        data.put("msg", "All paths examined");
        return new TaskResult.Ok(false, "", data);
    }

    private static String command(String path, Args args) {
        String p = ShellQuote.quote(path);
        long depth = args.number("depth", 0);
        String max = !args.bool("recurse", false) ? " -maxdepth 1" : depth > 0 ? " -maxdepth " + depth : "";
        return "if [ ! -d " + p + " ]; then echo __fleet_not_a_dir__; exit 0; fi; find " + (args.bool("follow", false) ? "-L " : "") + p
                + " -mindepth 1" + max + " -printf '%y\\t%m\\t%s\\t%U\\t%G\\t%u\\t%g\\t%T@\\t%A@\\t%C@\\t%p\\0'";
    }

    private static Map<String, Object> parse(String record) {
        String[] f = record.split("\t", 11);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("path", f[10]);
        out.put("mode", String.format("%04o", Integer.parseInt(f[1], 8)));
        out.put("isdir", f[0].equals("d"));
        out.put("isreg", f[0].equals("f"));
        out.put("islnk", f[0].equals("l"));
        out.put("size", Long.parseLong(f[2]));
        out.put("uid", Integer.parseInt(f[3]));
        out.put("gid", Integer.parseInt(f[4]));
        out.put("pw_name", f[5]);
        out.put("gr_name", f[6]);
        out.put("mtime", Double.parseDouble(f[7]));
        out.put("atime", Double.parseDouble(f[8]));
        out.put("ctime", Double.parseDouble(f[9]));
        return out;
    }

    private static List<String> strings(Args args, String... keys) {
        for (String key : keys) {
            if (args.has(key)) {
                List<String> out = new ArrayList<>();
                for (Object o : args.list(key)) {
                    for (String s : String.valueOf(o).split(",")) {
                        if (!s.isBlank()) {
                            out.add(s.strip());
                        }
                    }
                }
                return out;
            }
        }
        return List.of();
    }

    private static Predicate<String> names(Args args, List<String> patterns, boolean emptyMatches) {
        if (patterns.isEmpty()) {
            return name -> emptyMatches;
        }
        List<Predicate<String>> tests = new ArrayList<>();
        for (String p : patterns) {
            if (args.bool("use_regex", false)) {
                Pattern re = PyRegex.compile("find", "patterns", p, 0);
                tests.add(name -> re.matcher(name).lookingAt());
            } else {
                PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + p.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}"));
                tests.add(name -> glob.matches(Path.of(name)));
            }
        }
        return name -> tests.stream().anyMatch(t -> t.test(name));
    }

    private static Predicate<Map<String, Object>> age(Args args, long now) {
        if (!args.has("age")) {
            return f -> true;
        }
        Matcher m = AGE.matcher(args.string("age").strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("find: failed to process age '" + args.string("age") + "'");
        }
        long n = Long.parseLong(m.group(1));
        long unit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "m" -> 60;
            case "h" -> 3600;
            case "d" -> 86400;
            case "w" -> 604800;
            default -> 1;
        };
        long seconds = n * unit;
        String stamp = args.string("age_stamp", "mtime");
        return f -> {
            double ageNow = now - (Double) f.get(stamp);
            return seconds >= 0 ? ageNow >= seconds : ageNow <= -seconds;
        };
    }

    private static Predicate<Map<String, Object>> size(Args args) {
        if (!args.has("size")) {
            return f -> true;
        }
        Matcher m = SIZE.matcher(args.string("size").strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("find: failed to process size '" + args.string("size") + "'");
        }
        long n = Long.parseLong(m.group(1));
        int power = "bkmgt".indexOf(m.group(2).isEmpty() ? 'b' : Character.toLowerCase(m.group(2).charAt(0)));
        long bytes = Math.abs(n) * (1L << (10 * power));
        return f -> {
            long s = (Long) f.get("size");
            return n >= 0 ? s >= bytes : s <= bytes;
        };
    }
}
