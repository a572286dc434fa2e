package org.omerofleet.modules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.FileTransfers;
import org.omerofleet.transport.ShellQuote;
import org.omerofleet.transport.TransportException;

/**
 * Copy a controller file ({@code src}, relative to the playbook) or literal {@code content} to
 * {@code dest} on the host by SFTP, checked by SHA-256. Idempotent: nothing is sent when the host's
 * copy already has the same checksum (and mode). {@code owner}, {@code group}, {@code backup},
 * {@code force: false} (only when {@code dest} is absent); with {@code remote_src: true}, {@code src} is a
 * file on the host.
 */
public final class CopyModule implements Module {

    /** One hash of a release zip per run, not one per host: the same file goes to every host. */
    private final FileDigests digests = new FileDigests();

    @Override
    public String name() {
        return "copy";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("src", "content", "dest", "mode", "remote_src", "owner", "group", "force", "backup");
    }

    @Override
    public Set<String> required() {
        return Set.of("dest");
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
        if (args.bool("remote_src", false)) {
            return onHost(context, args);
        }
        String dest = args.string("dest");
        if (!args.bool("force", true) && context.connection().exec(ExecRequest.argv(java.util.List.of("test", "-e", dest))).succeeded()) {
            return new TaskResult.Ok(false, "", Map.of("dest", dest, "changed", false));
        }
        Path source;
        boolean temporary = false;
        if (args.has("content")) {
            try {
                // content may be a secret: the temporary copy is private to this user
                source = Files.createTempFile("fleet-copy", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(source, args.string("content"), StandardCharsets.UTF_8);
                temporary = true;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            source = ControllerFiles.find(context, args.string("src"), "files");
            if (source == null) {
                return new TaskResult.Failed("copy: source " + context.baseDir().resolve(args.string("src")) + " is not a file");
            }
        }
        try {
            String local = temporary ? FileTransfers.fileSha256(source) : digests.of(source);
            int mode = args.mode("mode").orElse(0644);
            CommandResult remote = context.connection().exec(ExecRequest.shell("if [ -f " + ShellQuote.quote(dest) + " ]; then sha256sum -- "
                    + ShellQuote.quote(dest) + " | cut -d' ' -f1; stat -c %a -- " + ShellQuote.quote(dest) + "; fi"));
            String[] lines = remote.stdout().strip().split("\n");
            boolean same = lines.length == 2 && lines[0].equals(local) && Integer.parseInt(lines[1], 8) == mode;
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("dest", dest);
            data.put("checksum", local);
            if (same) {
                boolean attributes = HostFile.applyAttributes(context, dest, HostFile.Attributes.of(args).withoutMode());
                return new TaskResult.Ok(attributes, "", data);
            }
            if (context.diffMode()) {
                TextDiff.between(context, dest, source).ifPresent(d -> data.put("diff", d));
            }
            if (context.checkMode()) {
                return new TaskResult.Ok(true, "would copy " + source.getFileName() + " to " + dest, data);
            }
            if (args.bool("backup", false) && lines.length == 2) {
                data.put("backup_file", HostFile.backup(context, dest));
            }
            UploadProgress progress = new UploadProgress(context, source.toFile().length());
            String landed = context.connection().upload(source, dest, mode, java.util.Optional.of(local), progress);
            progress.finished();
            data.put("checksum", landed);
            HostFile.applyAttributes(context, dest, HostFile.Attributes.of(args).withoutMode());
            return new TaskResult.Ok(true, "", data);
        } finally {
            if (temporary) {
                try {
                    Files.deleteIfExists(source);
                } catch (IOException ignored) {
                    // a leftover temp file of our own content is harmless
                }
            }
        }
    }

    /**
     * {@code remote_src: true}: {@code src} is a file on the host, copied beside {@code dest} and renamed
     * into place when its SHA-256 (or the mode asked for) differs; {@code dest} may be a directory.
     */
    private static TaskResult onHost(TaskContext context, Args args) throws TransportException {
        String dest = args.string("dest");
        String src = args.optionalString("src").orElseThrow(() -> new IllegalArgumentException("copy: remote_src needs src"));
        String mode = args.mode("mode").map(Integer::toOctalString).orElse("");
        boolean force = args.bool("force", true);
        String script = "s=" + ShellQuote.quote(src) + "; d=" + ShellQuote.quote(dest) + "; m=" + ShellQuote.quote(mode) + "; "
                + "if [ -d \"$s\" ]; then echo 'copy: a directory src with remote_src is not supported' >&2; exit 3; fi; "
                + "[ -f \"$s\" ] || { echo \"Source $s not found\" >&2; exit 3; }; "
                + "if [ -d \"$d\" ]; then d=\"${d%/}/$(basename -- \"$s\")\"; fi; "
                + "sum=$(sha256sum < \"$s\" | cut -d' ' -f1); echo \"$d\"; echo \"$sum\"; "
                + "if [ -e \"$d\" ]; then " + (force ? "" : "echo same; exit 0; ")
                + "if [ \"$(sha256sum < \"$d\" | cut -d' ' -f1)\" = \"$sum\" ] && { [ -z \"$m\" ] || [ \"$(stat -c %a -- \"$d\")\" = \"$m\" ]; }; "
                + "then echo same; exit 0; fi; fi; "
                + (context.checkMode() ? "echo would; exit 0; " : "")
                + (args.bool("backup", false) ? "if [ -e \"$d\" ]; then b=\"$d.$$.$(date +%Y-%m-%d@%H:%M:%S)~\"; cp -p -- \"$d\" \"$b\"; echo \"backup $b\"; fi; " : "")
                + "t=$(mktemp \"$(dirname -- \"$d\")/.fleet-tmp.XXXXXXXX\") && cp -- \"$s\" \"$t\" && "
                + "if [ -n \"$m\" ]; then chmod \"$m\" -- \"$t\"; elif [ -e \"$d\" ]; then chmod --reference=\"$d\" -- \"$t\"; "
                + "else chmod \"$(stat -c %a -- \"$s\")\" -- \"$t\"; fi && mv -f -- \"$t\" \"$d\" && echo copied || { rm -f -- \"$t\"; exit 1; }";
        CommandResult r = context.connection().exec(ExecRequest.shell(script));
        if (!r.succeeded()) {
            return new TaskResult.Failed((r.stderr() + r.stdout()).strip(), Map.of("rc", r.rc(), "src", src, "dest", dest));
        }
        java.util.List<String> out = r.stdout().lines().toList();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("dest", out.get(0));
        data.put("src", src);
        data.put("checksum", out.get(1));
        out.stream().filter(l -> l.startsWith("backup ")).findFirst().ifPresent(l -> data.put("backup_file", l.substring(7)));
        boolean changed = !out.get(out.size() - 1).equals("same");
        boolean attributes = !(context.checkMode() && changed)
                && HostFile.applyAttributes(context, out.get(0), HostFile.Attributes.of(args).withoutMode());
        return new TaskResult.Ok(changed || attributes, "", data);
    }

    /** SHA-256 of controller files, remembered by path, size and modification time. */
    private static final class FileDigests {
        private record Key(Path path, long size, FileTime modified) {
        }

        private final Map<Key, String> known = new ConcurrentHashMap<>();

        String of(Path file) {
            try {
                Key key = new Key(file.toAbsolutePath(), Files.size(file), Files.getLastModifiedTime(file));
                return known.computeIfAbsent(key, k -> FileTransfers.fileSha256(file));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
    }
}
