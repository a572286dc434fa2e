package org.omerofleet.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A real OpenSSH {@code ssh-agent}, in the foreground on a socket of its own, stopped on close. */
public final class SshAgent implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(10);

    private final Process process;
    private final Path socket;

    private SshAgent(Process process, Path socket) {
        this.process = process;
        this.socket = socket;
    }

    /** {@return an agent listening on {@code dir/agent.sock}} (a unix socket path must stay under 108 bytes) */
    public static SshAgent start(Path dir) throws IOException, InterruptedException {
        Path socket = dir.resolve("agent.sock");
        Process process = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile()).start();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (!Files.exists(socket)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IOException("ssh-agent did not start: " + Files.readString(dir.resolve("agent.log")));
            }
            Thread.sleep(20);
        }
        return new SshAgent(process, socket);
    }

    public Path socket() {
        return socket;
    }

    /** Load a private key into the agent with {@code ssh-add}. */
    public void add(Path key) throws IOException, InterruptedException {
        ProcessBuilder add = new ProcessBuilder("ssh-add", key.toString()).redirectErrorStream(true);
        add.environment().put("SSH_AUTH_SOCK", socket.toString());
        Process p = add.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("ssh-add " + key + " failed: " + output);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
