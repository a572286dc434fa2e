package org.omerofleet.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * Run one exec request through the real {@code /bin/sh -c}, in the host's home directory, as an
 * SSH server does: standard input from the channel, both output streams back to it, the exit status
 * (or 128+signal) reported when the shell and its output are done.
 */
final class ShellCommand implements Command {

    private final String command;
    private final Path home;
    private final Map<String, String> environment;
    private final ExecutorService pumps;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private Process process;

    ShellCommand(String command, Path home, Map<String, String> environment, ExecutorService pumps) {
        this.command = command;
        this.home = home;
        this.environment = environment;
        this.pumps = pumps;
    }

    @Override
    public void setInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command).directory(home.toFile());
        builder.environment().putAll(environment);
        process = builder.start();
        CountDownLatch outputs = new CountDownLatch(2);
        pumps.execute(() -> copy(process.getInputStream(), out, outputs));
        pumps.execute(() -> copy(process.getErrorStream(), err, outputs));
        pumps.execute(this::feedStdin);
        pumps.execute(() -> {
            try {
                int status = process.waitFor();
                outputs.await();
                exit.onExit(status);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exit.onExit(255, "interrupted");
            }
        });
    }

    private void feedStdin() {
        try (OutputStream stdin = process.getOutputStream()) {
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                stdin.write(buffer, 0, n);
                stdin.flush();
            }
        } catch (IOException ignored) {
            // the command exited without reading all of its input, as a pipe would report
        }
    }

    private static void copy(InputStream from, OutputStream to, CountDownLatch done) {
        try (from) {
            byte[] buffer = new byte[8192];
            for (int n; (n = from.read(buffer)) >= 0; ) {
                to.write(buffer, 0, n);
                to.flush();
            }
        } catch (IOException ignored) {
            // the channel closed under us (client gone): the process is destroyed with it
        } finally {
            done.countDown();
        }
    }

    @Override
    public void destroy(ChannelSession channel) {
        if (process != null && process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
