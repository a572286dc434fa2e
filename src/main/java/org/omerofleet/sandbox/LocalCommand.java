package org.omerofleet.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Run a local command to completion with a deadline, both streams drained concurrently. */
final class LocalCommand {

    private LocalCommand() {
    }

    static ExecResult run(List<String> argv, Path cwd, Map<String, String> env, Duration timeout)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(argv).directory(cwd.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<String> out = drain(process.getInputStream());
        CompletableFuture<String> err = drain(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("timed out after " + timeout + ": " + argv);
            }
            return new ExecResult(process.exitValue(), out.get(), err.get());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + argv, e);
        } catch (ExecutionException e) {
            throw new IOException("could not read output of " + argv, e.getCause());
        }
    }

    /** Same as {@link #run} but fail unless the exit status is 0. */
    static ExecResult check(List<String> argv, Path cwd, Map<String, String> env, Duration timeout)
            throws IOException {
        ExecResult result = run(argv, cwd, env, timeout);
        if (!result.ok()) {
            throw new IOException("command failed (exit " + result.exitCode() + "): " + argv
                    + "\n" + result.stderr() + result.stdout());
        }
        return result;
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        // A thread per stream: the common pool may have a single worker, which could deadlock.
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (stream) {
                result.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                result.completeExceptionally(new UncheckedIOException(e));
            }
        }, "sandbox-drain");
        reader.setDaemon(true);
        reader.start();
        return result;
    }
}
