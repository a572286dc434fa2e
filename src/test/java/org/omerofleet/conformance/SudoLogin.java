package org.omerofleet.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A login of this machine made for a case with a {@code become-password} file: a user whose sudo asks
 * for that password, as on a host where the login is no NOPASSWD sudoer. The lane's sshd accept the
 * lane's client key for any user (see {@link #reachable}); Ansible runs pipelined ({@link Tools}), so the login needs no
 * directory of its own: a case's tasks that write to {@code fleet_dir} must become root. Needs root.
 */
final class SudoLogin implements AutoCloseable {

    private final String name;

    private SudoLogin(String name) {
        this.name = name;
    }

    /** {@return whether logins can be made here (root, sudo, useradd)} */
    static boolean possible() {
        return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/sudo"))
                && Files.isDirectory(Path.of("/etc/sudoers.d")) && Files.isExecutable(Path.of("/usr/sbin/useradd"));
    }

    /** {@return a new login whose sudo asks for {@code password}} */
    static SudoLogin create(String password) throws IOException, InterruptedException {
        String name = "ofc" + HexFormat.of().formatHex(new SecureRandom().generateSeed(5));
        run(List.of("useradd", "-M", "-d", "/", "-s", "/bin/sh", name), "");
        SudoLogin login = new SudoLogin(name);
        try {
            run(List.of("chpasswd"), name + ":" + password + "\n");
            run(List.of("sh", "-c", "umask 337 && printf '%s\\n' \"$1 ALL=(ALL:ALL) ALL\" > /etc/sudoers.d/$1 && visudo -cf /etc/sudoers.d/$1", "sh", name), "");
        } catch (IOException | RuntimeException e) {
            login.close();
            throw e;
        }
        return login;
    }

    String name() {
        return name;
    }

    /** Let every user reach {@code file}: each directory above it searchable. */
    static void reachable(Path file) throws IOException {
        for (Path p = file.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            if (perms.add(PosixFilePermission.OTHERS_EXECUTE)) {
                Files.setPosixFilePermissions(p, perms);
            }
        }
    }

    private static void run(List<String> command, String stdin) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(command.get(0) + " failed: " + output);
        }
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(Path.of("/etc/sudoers.d", name));
            run(List.of("userdel", "-f", name), ""); // -f: Ansible's ssh ControlPersist master may still hold a session
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
