package org.omerofleet.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The controller itself as a host ({@code delegate_to: localhost}, {@code local_action}): commands run
 * through {@code /bin/sh -c} as the controller's user, files are copied on the local file system.
 */
public final class LocalConnection implements Connection {

    @Override
    public CommandResult exec(ExecRequest request) throws TransportException {
        long t0 = System.nanoTime();
        Process process;
        try {
            process = new ProcessBuilder("/bin/sh", "-c", request.command()).start();
        } catch (IOException e) {
            throw new TransportException("cannot start /bin/sh on the controller: " + e.getMessage(), e);
        }
        BoundedCapture out = new BoundedCapture(request.captureLimit());
        BoundedCapture err = new BoundedCapture(request.captureLimit());
        Thread outPump = pump(process.getInputStream(), out);
        Thread errPump = pump(process.getErrorStream(), err);
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(request.stdin());
        } catch (IOException e) {
            // the command did not read its input: its exit status tells the rest
        }
        try {
            if (!process.waitFor(request.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new TransportException("local command timed out after " + request.timeout(), null, true);
            }
            outPump.join();
            errPump.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new TransportException("interrupted while the local command ran", e, true);
        }
        return new CommandResult(OptionalInt.of(process.exitValue()), Optional.empty(), out.text(), err.text(),
                out.truncated() || err.truncated(), Duration.ofNanos(System.nanoTime() - t0));
    }

    private static Thread pump(InputStream in, OutputStream to) {
        Thread t = new Thread(() -> {
            try (in) {
                in.transferTo(to);
            } catch (IOException e) {
                // the stream closed with the process
            }
        }, "local-exec-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public String upload(Path local, String remotePath, int mode, Optional<String> sha256) throws TransportException {
        Path target = Path.of(remotePath);
        try {
            Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), ".omero-fleet-", ".tmp");
            Files.copy(local, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(tmp, permissions(mode));
            String sum = sha256(tmp);
            if (sha256.isPresent() && !sha256.get().equalsIgnoreCase(sum)) {
                Files.deleteIfExists(tmp);
                throw new TransportException("the copy of " + local + " does not match its SHA-256");
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return sum;
        } catch (IOException e) {
            throw new TransportException("cannot copy " + local + " to " + remotePath + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String download(String remotePath, Path local) throws TransportException {
        try {
            Files.copy(Path.of(remotePath), local, StandardCopyOption.REPLACE_EXISTING);
            return sha256(local);
        } catch (IOException e) {
            throw new TransportException("cannot copy " + remotePath + " to " + local + ": " + e.getMessage(), e);
        }
    }

    @Override
    public PortForward forwardLocal(String host, int port) throws TransportException {
        throw new TransportException("port forwarding is not available on the controller itself");
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public String negotiated() {
        return "local";
    }

    @Override
    public void close() {
        // nothing to close
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        return set;
    }

    private static String sha256(Path file) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[65536];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
