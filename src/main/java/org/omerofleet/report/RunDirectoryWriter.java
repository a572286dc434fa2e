package org.omerofleet.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.omerofleet.executor.RunListener;
import org.omerofleet.playbook.Task;
import org.omerofleet.result.HostState;
import org.omerofleet.result.RunSummary;
import org.omerofleet.result.TaskResult;

/**
 * Write a run's directory: {@code hosts/<host>.log} as the run goes, then {@code report.json} and
 * {@code junit.xml} when it ends. Everything it receives is already redacted; what a host said is
 * escaped ({@link Printable}). Every file is created 0600 and {@code hosts/} 0700: readable by this
 * user only from the moment it exists.
 */
public final class RunDirectoryWriter implements RunListener {

    private static final FileAttribute<?> PRIVATE = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final ToIntFunction<RunSummary> exitCodes;
    private volatile Path runDir;

    public RunDirectoryWriter(ToIntFunction<RunSummary> exitCodes) {
        this.exitCodes = exitCodes;
    }

    @Override
    public void runStarted(String runId, Path dir) {
        this.runDir = dir;
        try {
            Path hosts = dir.resolve("hosts");
            if (!Files.isDirectory(hosts)) {
                Files.createDirectories(hosts, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void taskFinished(String host, Task task, TaskResult result, Duration elapsed, boolean ignored) {
        StringBuilder b = new StringBuilder();
        b.append("TASK [").append(task.name()).append("] ").append(result.status()).append(ignored ? " (ignored)" : "")
                .append(" in ").append(elapsed.toMillis()).append(" ms\n");
        if (!result.message().isEmpty()) {
            b.append("  msg: ").append(result.message()).append('\n');
        }
        for (String stream : new String[] {"cmd", "stdout", "stderr"}) {
            Object value = result.data().get(stream);
            if (value != null && !String.valueOf(value).isEmpty()) {
                b.append("  ").append(stream).append(": ").append(String.valueOf(value).replace("\n", "\n    ")).append('\n');
            }
        }
        append(host, b.toString());
    }

    @Override
    public void hostLog(String host, String line) {
        append(host, "  " + line + "\n");
    }

    @Override
    public void runFinished(RunSummary summary) {
        write(summary.runDir().resolve("report.json"), new ReportJson().render(summary, exitCodes.applyAsInt(summary)));
        write(summary.runDir().resolve("junit.xml"), new JunitXml().render(summary));
        StringBuilder retry = new StringBuilder();
        summary.hosts().stream().filter(h -> h.state() != HostState.SUCCEEDED && h.state() != HostState.UP_TO_DATE)
                .forEach(h -> retry.append(h.host()).append('\n'));
        // like Ansible's .retry file: --limit @runs/<id>/retry runs again on the hosts that did not make it
        write(summary.runDir().resolve("retry"), retry.toString());
    }

    private void append(String host, String text) {
        Path file = runDir.resolve("hosts").resolve(host + ".log");
        // one host is driven by one thread at a time, so appends for a host never interleave
        try (SeekableByteChannel out = Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND), PRIVATE)) {
            writeFully(out, Printable.of(text));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp); // a leftover of a crash keeps its mode; a new file gets ours
            try (SeekableByteChannel out = Files.newByteChannel(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), PRIVATE)) {
                writeFully(out, text);
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void writeFully(SeekableByteChannel out, String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
    }
}
