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
 * copy already has the same checksum (and mode).
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
        return Set.of("src", "content", "dest", "mode");
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
        String dest = args.string("dest");
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
            source = context.baseDir().resolve(args.string("src"));
            if (!Files.isRegularFile(source)) {
                return new TaskResult.Failed("copy: source " + source + " is not a file");
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
                return new TaskResult.Ok(false, "", data);
            }
            if (context.diffMode()) {
                TextDiff.between(context, dest, source).ifPresent(d -> data.put("diff", d));
            }
            if (context.checkMode()) {
                return new TaskResult.Ok(true, "would copy " + source.getFileName() + " to " + dest, data);
            }
            UploadProgress progress = new UploadProgress(context, source.toFile().length());
            String landed = context.connection().upload(source, dest, mode, java.util.Optional.of(local), progress);
            progress.finished();
            data.put("checksum", landed);
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
