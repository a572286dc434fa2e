package org.omerofleet.modules;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.ShellQuote;
import org.omerofleet.transport.TransportException;

/**
 * The unified diff that {@code --diff} shows for a file about to change: the host's copy against the
 * new content (a local file, or another file on the host), for text files up to 256 KiB (larger or
 * binary files are only said to differ). The values of secret-named properties in either text
 * ({@link ConfigSecrets}) are declared to the run first, so the diff shows them masked.
 */
public final class TextDiff {

    private static final int LIMIT = 256 * 1024;

    private TextDiff() {
    }

    /** {@return the diff from the host's {@code remotePath} (empty when absent) to the local file} */
    static Optional<String> between(TaskContext context, String remotePath, Path local) throws TransportException {
        try {
            if (Files.size(local) > LIMIT) {
                return Optional.of("(" + local.getFileName() + " is larger than 256 KiB: no diff shown)");
            }
            return diff(context, remotePath, read(context, remotePath), text(Files.readAllBytes(local)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return the diff from the host's {@code remotePath} (empty when absent) to the host's {@code replacement}} */
    public static Optional<String> onHost(TaskContext context, String remotePath, String replacement) throws TransportException {
        return diff(context, remotePath, read(context, remotePath), read(context, replacement));
    }

    /** {@return the diff between two texts of the host's file {@code path}, before and after a module's edit} */
    public static String texts(TaskContext context, String path, String before, String after) {
        return diff(context, path, Optional.of(before), Optional.of(after)).orElse("");
    }

    private static Optional<String> read(TaskContext context, String remotePath) throws TransportException {
        CommandResult remote = context.connection().exec(new ExecRequest("if [ -f " + ShellQuote.quote(remotePath)
                + " ]; then head -c " + (LIMIT + 1) + " -- " + ShellQuote.quote(remotePath) + "; fi",
                new byte[0], ExecRequest.DEFAULT_TIMEOUT, 2 * LIMIT + 4));
        return remote.stdout().length() > LIMIT ? Optional.empty() : text(remote.stdout().getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<String> diff(TaskContext context, String path, Optional<String> before, Optional<String> after) {
        before.ifPresent(text -> ConfigSecrets.in(text).forEach(context::addSecret));
        after.ifPresent(text -> ConfigSecrets.in(text).forEach(context::addSecret));
        if (after.isEmpty() || before.isEmpty()) {
            return Optional.of("(binary or large file: no diff shown)");
        }
        List<String> a = lines(before.get());
        List<String> b = lines(after.get());
        return Optional.of(String.join("\n", UnifiedDiffUtils.generateUnifiedDiff("before: " + path, "after: " + path, a, DiffUtils.diff(a, b), 3)));
    }

    private static Optional<String> text(byte[] bytes) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            return s.indexOf('\0') >= 0 ? Optional.empty() : Optional.of(s);
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static List<String> lines(String text) {
        return text.isEmpty() ? List.of() : Arrays.asList(text.split("\n", -1));
    }
}
