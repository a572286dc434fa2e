package org.omerofleet.modules.omero;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.omerofleet.modules.Args;
import org.omerofleet.modules.Module;
import org.omerofleet.modules.TaskContext;
import org.omerofleet.modules.TextDiff;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.TransportException;

/**
 * Point the profile entries that named the old install at the new one. In each of {@code files}
 * (default {@code ~/.bashrc}, {@code ~/.profile}, {@code ~/.bash_profile}, {@code /etc/profile.d/omero.sh},
 * plus {@code extra_file}), a line setting PATH, PYTHONPATH, LD_LIBRARY_PATH, ICE_HOME, OMERODIR or
 * OMERO_HOME that names the directory {@code from} (written out, or as {@code $HOME/...}, {@code ${HOME}/...}
 * or {@code ~/...}) gets {@code to} in the same spelling; nothing else changes. Each changed file is shown
 * under {@code --diff}, copied to {@code backup_dir} first and rewritten in place (a symbolic link is
 * followed, mode kept); {@code backups} in the result lists file and copy. A file the login cannot write is
 * listed in {@code not_written} with a warning. {@code state: restored} copies {@code backups} back: the
 * upgrade's rescue.
 */
public final class OmeroProfile implements Module {

    private static final List<String> FILES = List.of(".bashrc", ".profile", ".bash_profile", "/etc/profile.d/omero.sh");
    private static final Pattern SETS = Pattern.compile("\\b(PATH|PYTHONPATH|LD_LIBRARY_PATH|ICE_HOME|OMERODIR|OMERO_HOME)\\b");
    private static final String END = "(?=[/:\"'\\s;}]|$)";

    @Override
    public String name() {
        return "omero_profile";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("from", "to", "files", "extra_file", "backup_dir", "state", "backups");
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
        String state = args.string("state", "present");
        if (state.equals("restored")) {
            return restore(context, args.has("backups") ? args.list("backups") : List.of());
        }
        if (!state.equals("present") || !args.has("from") || !args.has("to")) {
            return new TaskResult.Failed("omero_profile: state present needs from and to (state must be present or restored, got '" + state + "')");
        }
        List<String> files = new ArrayList<>();
        (args.has("files") && !args.list("files").isEmpty() ? args.list("files") : List.<Object>copyOf(FILES)).forEach(f -> files.add(String.valueOf(f)));
        String extra = args.string("extra_file", "");
        if (!extra.isBlank() && !files.contains(extra)) {
            files.add(extra);
        }
        String home = context.connection().exec(ExecRequest.shell("printf '%s' \"$HOME\"")).stdout();
        Rewrite rewrite = new Rewrite(home, strip(args.string("from")), strip(args.string("to")));
        Map<String, Object> data = new LinkedHashMap<>();
        List<String> changed = new ArrayList<>();
        List<Object> backups = new ArrayList<>();
        List<String> notWritten = new ArrayList<>();
        StringBuilder diffs = new StringBuilder();
        String dir = args.string("backup_dir", "omero-backups");
        for (String file : files) {
            Text text = Text.read(context, file);
            if (!text.exists()) {
                continue;
            }
            String after = rewrite.apply(text.content());
            if (after.equals(text.content())) {
                // a repeat of this step after the controller stopped: what it rewrote before is still to be put back by a rescue
                keptBefore(context, file, dir).ifPresent(copy -> backups.add(Map.of("file", file, "backup", copy)));
                continue;
            }
            changed.add(file);
            if (context.diffMode()) {
                diffs.append(TextDiff.texts(context, file, text.content(), after)).append('\n');
            }
            if (!context.checkMode()) {
                String copy = install(context, file, after, dir);
                if (copy.isEmpty()) {
                    notWritten.add(file);
                } else {
                    backups.add(Map.of("file", file, "backup", copy));
                }
            }
        }
        data.put("files", changed);
        data.put("backups", backups);
        data.put("not_written", notWritten);
        if (diffs.length() > 0) {
            data.put("diff", diffs.toString().strip());
        }
        if (!notWritten.isEmpty()) {
            data.put("warnings", List.of("cannot write " + String.join(", ", notWritten) + " as the login: point its entries at " + args.string("to") + " by hand"));
        }
        return new TaskResult.Ok(!changed.isEmpty() && (context.checkMode() || !backups.isEmpty()),
                context.checkMode() && !changed.isEmpty() ? "would point " + String.join(", ", changed) + " at " + args.string("to") : "", data);
    }

    private static String strip(String dir) {
        return dir.replaceFirst("/+$", "");
    }

    private static String backupName(TaskContext context, String file) {
        return file.replaceAll("[^A-Za-z0-9._-]", "_").replaceFirst("^_*", "") + ".before-" + shortKey(context.stepKey());
    }

    /** {@return the copy this very step kept of {@code file}, if it rewrote it before} */
    private static java.util.Optional<String> keptBefore(TaskContext context, String file, String dir) throws TransportException {
        String b = OmeroShell.q(dir) + "/" + OmeroShell.q(backupName(context, file));
        CommandResult r = context.connection().exec(ExecRequest.shell("if [ -f " + b + " ]; then printf '%s' \"$(cd -- " + OmeroShell.q(dir)
                + " && pwd -P)\"/" + OmeroShell.q(backupName(context, file)) + "; fi"));
        return r.succeeded() && !r.stdout().isEmpty() ? java.util.Optional.of(r.stdout()) : java.util.Optional.empty();
    }

    /** {@return the copy kept of {@code file} before it was rewritten with {@code content}; empty when it cannot be written} */
    private static String install(TaskContext context, String file, String content, String dir) throws TransportException {
        String f = OmeroShell.q(file);
        String name = backupName(context, file);
        String script = "t=$(readlink -f -- " + f + ") || exit 3; [ -w \"$t\" ] && [ -w \"$(dirname -- \"$t\")\" ] || exit 4; set -e; mkdir -p -- " + OmeroShell.q(dir)
                + "; b=$(cd -- " + OmeroShell.q(dir) + " && pwd -P)/" + OmeroShell.q(name) + "; [ -e \"$b\" ] || { cp -p -- \"$t\" \"$b.part\"; mv -f -- \"$b.part\" \"$b\"; }; "
                + "cat > \"$t.fleet-new\"; chmod --reference=\"$t\" -- \"$t.fleet-new\"; mv -f -- \"$t.fleet-new\" \"$t\"; printf '%s' \"$b\"";
        CommandResult r = context.connection().exec(ExecRequest.shell(script).withStdin(content.getBytes(StandardCharsets.UTF_8)));
        if (r.rc() == 4) {
            return "";
        }
        if (!r.succeeded()) {
            throw new IllegalStateException("omero_profile: cannot rewrite " + file + ": " + r.stderr().strip());
        }
        return r.stdout();
    }

    private TaskResult restore(TaskContext context, List<Object> backups) throws TransportException {
        List<String> restored = new ArrayList<>();
        for (Object entry : backups) {
            if (!(entry instanceof Map<?, ?> m) || m.get("file") == null || m.get("backup") == null) {
                return new TaskResult.Failed("omero_profile: backups must be the list of {file, backup} a present step registered");
            }
            String f = OmeroShell.q(String.valueOf(m.get("file")));
            String b = OmeroShell.q(String.valueOf(m.get("backup")));
            String script = "t=$(readlink -f -- " + f + ") || exit 3; if cmp -s -- " + b + " \"$t\"; then echo same; exit 0; fi; "
                    + (context.checkMode() ? "echo differs" : "set -e; cat -- " + b + " > \"$t.fleet-new\"; chmod --reference=" + b + " -- \"$t.fleet-new\"; "
                            + "mv -f -- \"$t.fleet-new\" \"$t\"; echo restored");
            CommandResult r = context.connection().exec(ExecRequest.shell(script));
            if (!r.succeeded()) {
                return new TaskResult.Failed(!restored.isEmpty(), "omero_profile: cannot put " + m.get("file") + " back from " + m.get("backup") + ": "
                        + r.stderr().strip(), Map.of("restored", restored), Map.of());
            }
            if (!r.stdout().strip().equals("same")) {
                restored.add(String.valueOf(m.get("file")));
            }
        }
        return new TaskResult.Ok(!restored.isEmpty(), "", Map.of("restored", restored));
    }

    private static String shortKey(String stepKey) {
        return Integer.toHexString(stepKey.hashCode());
    }

    /** A file on the host, read whole as the login ({@code exists} false: absent or unreadable). */
    private record Text(boolean exists, String content) {
        static Text read(TaskContext context, String path) throws TransportException {
            String p = OmeroShell.q(path);
            CommandResult r = context.connection().exec(ExecRequest.shell("if [ -f " + p + " ] && [ -r " + p + " ]; then echo present; cat -- " + p
                    + "; else echo absent; fi"));
            String out = r.stdout();
            int nl = out.indexOf('\n');
            boolean exists = nl > 0 && out.substring(0, nl).equals("present");
            return new Text(exists, exists ? out.substring(nl + 1) : "");
        }
    }

    /** The old directory's spellings, each with the new directory in the same spelling. */
    record Rewrite(String home, String from, String to) {
        String apply(String text) {
            StringBuilder out = new StringBuilder();
            for (String line : text.split("(?<=\n)", -1)) {
                out.append(SETS.matcher(line).find() ? replace(line) : line);
            }
            return out.toString();
        }

        private String replace(String line) {
            String result = line.replaceAll(Pattern.quote(from) + END, Matcher.quoteReplacement(to));
            if (!home.isEmpty() && from.startsWith(home + "/") && to.startsWith(home + "/")) {
                String oldRel = from.substring(home.length() + 1);
                String newRel = to.substring(home.length() + 1);
                for (String prefix : List.of("$HOME/", "${HOME}/", "~/")) {
                    result = result.replaceAll(Pattern.quote(prefix + oldRel) + END, Matcher.quoteReplacement(prefix + newRel));
                }
            }
            return result;
        }
    }
}
