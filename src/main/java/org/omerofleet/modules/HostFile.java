package org.omerofleet.modules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.omerofleet.input.ShellWords;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.ShellQuote;
import org.omerofleet.transport.TransportException;

/**
 * A file on the host as the file-editing modules ({@code template}, {@code lineinfile},
 * {@code blockinfile}, {@code replace}, {@code copy content}) see it: read whole over the command
 * channel (so that {@code become} applies), and written atomically: the new content goes to a
 * temporary file beside the target (a symbolic link is followed), takes the old file's mode and owner
 * (a new file: {@code 0666} less the umask), is validated when asked, and is renamed into place.
 */
final class HostFile {

    /** Files larger than this are not edited: they are not configuration files. */
    static final long MAX_SIZE = 32L * 1024 * 1024;
    /** What a failed {@code validate} command makes the write script exit with. */
    private static final int VALIDATE_FAILED = 86;

    private HostFile() {
    }

    /** What is at a path: {@code kind} is {@code absent}, {@code file}, {@code directory} or {@code big}. */
    record State(String kind, byte[] content, String mode, String owner, String group) {
        boolean exists() {
            return !kind.equals("absent");
        }

        boolean isFile() {
            return kind.equals("file");
        }

        String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    /** The {@code mode}, {@code owner} and {@code group} a task asks for (each optional). */
    record Attributes(Optional<Integer> mode, Optional<String> owner, Optional<String> group) {
        static Attributes of(Args args) {
            return new Attributes(args.mode("mode"), args.optionalString("owner"), args.optionalString("group"));
        }

        Attributes withoutMode() {
            return new Attributes(Optional.empty(), owner, group);
        }

        boolean any() {
            return mode.isPresent() || owner.isPresent() || group.isPresent();
        }
    }

    /** {@return what is at {@code path} on the host, with the content of a regular file} */
    static State read(TaskContext context, String path) throws TransportException {
        String script = "p=" + ShellQuote.quote(path) + "; if [ -d \"$p\" ]; then echo directory; exit 0; fi; "
                + "if [ ! -e \"$p\" ]; then echo absent; exit 0; fi; "
                + "if [ \"$(stat -L -c %s -- \"$p\")\" -gt " + MAX_SIZE + " ]; then echo big; exit 0; fi; "
                + "stat -L -c 'file %a %U %G' -- \"$p\" && base64 -w0 < \"$p\"";
        CommandResult r = context.connection().exec(new ExecRequest(script, new byte[0], ExecRequest.DEFAULT_TIMEOUT, (int) (3 * MAX_SIZE)));
        if (!r.succeeded()) {
            throw new IllegalStateException("cannot read " + path + " on the host: " + (r.stderr() + r.stdout()).strip());
        }
        String[] lines = r.stdout().split("\n", 2);
        String[] head = lines[0].strip().split(" ");
        if (!head[0].equals("file")) {
            return new State(head[0], new byte[0], "", "", "");
        }
        byte[] content = Base64.getDecoder().decode(lines.length > 1 ? lines[1].strip() : "");
        return new State("file", content, head[1], head[2], head[3]);
    }

    /**
     * Write {@code content} to {@code path} atomically; {@code validate} (a command with {@code %s} for the
     * temporary file) must succeed first.
     *
     * @return a failure, when the file could not be written or did not validate
     */
    static Optional<TaskResult> write(TaskContext context, String path, byte[] content, Optional<String> validate) throws TransportException {
        String check = validate.map(HostFile::validateCommand).map(v -> v + " || { rc=$?; echo \"validation exited $rc\" >&2; exit "
                + VALIDATE_FAILED + "; }; ").orElse("");
        String script = "set -e; p=" + ShellQuote.quote(path) + "; d=$(readlink -f -- \"$p\" 2>/dev/null) || d=$p; [ -n \"$d\" ] || d=$p; "
                + "t=$(mktemp \"$(dirname -- \"$d\")/.fleet-tmp.XXXXXXXX\"); trap 'rm -f -- \"$t\"' EXIT; cat > \"$t\"; "
                + "if [ -e \"$d\" ]; then chmod --reference=\"$d\" -- \"$t\"; chown --reference=\"$d\" -- \"$t\" 2>/dev/null || true; "
                + "else chmod \"$(printf %o $(( 0666 & ~$(umask) )))\" -- \"$t\"; fi; "
                + check + "mv -f -- \"$t\" \"$d\"; trap - EXIT";
        CommandResult r = context.connection().exec(ExecRequest.shell(script).withStdin(content));
        if (r.succeeded()) {
            return Optional.empty();
        }
        java.util.Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("rc", r.rc());
        data.put("stdout", r.stdout());
        data.put("stderr", r.stderr());
        if (r.rc() == VALIDATE_FAILED && validate.isPresent()) {
            data.put("exit_status", r.stderr().replaceAll("(?s).*validation exited (\\d+).*", "$1").strip());
            return Optional.of(new TaskResult.Failed(false, "failed to validate", data, java.util.Map.of()));
        }
        return Optional.of(new TaskResult.Failed(false, "cannot write " + path + ": " + (r.stderr() + r.stdout()).strip(), data,
                java.util.Map.of()));
    }

    /** {@return the validate command with each word quoted and every {@code %s} the temporary file} */
    static String validateCommand(String validate) {
        if (!validate.contains("%s")) {
            throw new IllegalArgumentException("validate must contain %s: " + validate);
        }
        List<String> words = new ArrayList<>();
        for (String word : ShellWords.shlex(validate)) {
            String[] parts = word.split("%s", -1);
            StringBuilder w = new StringBuilder();
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) {
                    w.append("\"$t\"");
                }
                if (!parts[i].isEmpty() || parts.length == 1) {
                    w.append(ShellQuote.quote(parts[i]));
                }
            }
            words.add(w.toString());
        }
        return String.join(" ", words);
    }

    /** {@return the name of a copy of {@code path} made beside it, named as Ansible names backups} */
    static String backup(TaskContext context, String path) throws TransportException {
        String script = "p=" + ShellQuote.quote(path) + "; b=\"$p.$$.$(date +%Y-%m-%d@%H:%M:%S)~\"; cp -p -- \"$p\" \"$b\" && printf '%s' \"$b\"";
        CommandResult r = context.connection().exec(ExecRequest.shell(script));
        if (!r.succeeded()) {
            throw new IllegalStateException("cannot back up " + path + ": " + r.stderr().strip());
        }
        return r.stdout();
    }

    /** Create the parent directories of {@code path} when missing (as {@code create: true} does). */
    static void makeParents(TaskContext context, String path) throws TransportException {
        String script = "d=$(dirname -- " + ShellQuote.quote(path) + "); [ -d \"$d\" ] || mkdir -p -- \"$d\"";
        CommandResult r = context.connection().exec(ExecRequest.shell(script));
        if (!r.succeeded()) {
            throw new IllegalStateException("cannot create the directory of " + path + ": " + r.stderr().strip());
        }
    }

    /**
     * {@return whether the file's mode, owner or group differed from what {@code attributes} asks} They
     * are set unless in check mode. An owner or group may be given as a name or a number.
     */
    static boolean applyAttributes(TaskContext context, String path, Attributes attributes) throws TransportException {
        if (!attributes.any()) {
            return false;
        }
        boolean check = context.checkMode();
        StringBuilder s = new StringBuilder("set -e; p=" + ShellQuote.quote(path) + "; ch=0; ");
        if (check) {
            s.append("[ -e \"$p\" ] || { echo 1; exit 0; }; ");
        }
        attributes.mode().ifPresent(m -> s.append("[ \"$(stat -c %a -- \"$p\")\" = ").append(Integer.toOctalString(m)).append(" ] || { ch=1; ")
                .append(check ? "" : "chmod " + Integer.toOctalString(m) + " -- \"$p\"; ").append("}; "));
        attributes.owner().ifPresent(o -> s.append(idTest("%U", "%u", o)).append(" || { ch=1; ")
                .append(check ? "" : "chown " + ShellQuote.quote(o) + " -- \"$p\"; ").append("}; "));
        attributes.group().ifPresent(g -> s.append(idTest("%G", "%g", g)).append(" || { ch=1; ")
                .append(check ? "" : "chgrp " + ShellQuote.quote(g) + " -- \"$p\"; ").append("}; "));
        s.append("echo $ch");
        CommandResult r = context.connection().exec(ExecRequest.shell(s.toString()));
        if (!r.succeeded()) {
            throw new IllegalStateException("cannot set the mode, owner or group of " + path + ": " + r.stderr().strip());
        }
        return r.stdout().strip().equals("1");
    }

    private static String idTest(String name, String number, String wanted) {
        String w = ShellQuote.quote(wanted);
        return "{ [ \"$(stat -c " + name + " -- \"$p\")\" = " + w + " ] || [ \"$(stat -c " + number + " -- \"$p\")\" = " + w + " ]; }";
    }
}
