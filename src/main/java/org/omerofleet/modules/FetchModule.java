package org.omerofleet.modules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.omerofleet.result.TaskResult;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.FileTransfers;
import org.omerofleet.transport.TransportException;

/**
 * Copy a file from the host to the controller by SFTP, checked by SHA-256. As in Ansible, it lands in
 * {@code dest/<host>/<src>} unless {@code flat: true}, in which case {@code dest} is the file itself.
 * Idempotent: nothing is transferred when the local copy already has the host's checksum.
 */
public final class FetchModule implements Module {

    @Override
    public String name() {
        return "fetch";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("src", "dest", "flat", "fail_on_missing");
    }

    @Override
    public Set<String> required() {
        return Set.of("src", "dest");
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
        String src = args.string("src");
        Path dest = target(context, args, src);
        CommandResult sum = context.connection().exec(ExecRequest.argv(List.of("sha256sum", "--", src)));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("src", src);
        data.put("dest", dest.toString());
        if (!sum.succeeded()) {
            String why = "fetch: cannot read " + src + " on the host: " + sum.stderr().strip();
            return args.bool("fail_on_missing", true) ? new TaskResult.Failed(why, data) : new TaskResult.Ok(false, why, data);
        }
        String remote = sum.stdout().substring(0, Math.min(64, sum.stdout().length()));
        data.put("checksum", remote);
        if (Files.isRegularFile(dest) && FileTransfers.fileSha256(dest).equals(remote)) {
            return new TaskResult.Ok(false, "", data);
        }
        if (context.checkMode()) {
            return new TaskResult.Ok(true, "would fetch " + src + " to " + dest, data);
        }
        try {
            Files.createDirectories(dest.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory of " + dest, e);
        }
        data.put("checksum", context.connection().download(src, dest));
        return new TaskResult.Ok(true, "", data);
    }

    private static Path target(TaskContext context, Args args, String src) {
        Path dest = context.baseDir().resolve(args.string("dest"));
        if (args.bool("flat", false)) {
            return dest;
        }
        String relative = src.replaceFirst("^/+", "");
        Path under = dest.resolve(context.host()).normalize();
        Path file = under.resolve(relative).normalize();
        if (!file.startsWith(under)) {
            throw new IllegalArgumentException("fetch: src '" + src + "' would land outside " + under);
        }
        return file;
    }
}
