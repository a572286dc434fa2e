package org.omerofleet.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.omerofleet.testing.PasswordSudoer;

/**
 * A login of this machine made for a case with a {@code become-password} file: a user whose sudo asks
 * for that password, as on a host where the login is no NOPASSWD sudoer. The lane's sshd accept the
 * lane's client key for any user (see {@link #reachable}); Ansible runs pipelined ({@link Tools}), so the login needs no
 * directory of its own: a case's tasks that write to {@code fleet_dir} must become root. Needs root.
 */
final class SudoLogin implements AutoCloseable {

    private final PasswordSudoer login;

    private SudoLogin(PasswordSudoer login) {
        this.login = login;
    }

    /** {@return whether logins can be made here (root, sudo, useradd)} */
    static boolean possible() {
        return PasswordSudoer.impossible() == null && Files.isExecutable(Path.of("/usr/sbin/useradd"));
    }

    /** {@return a new login whose sudo asks for {@code password}} */
    static SudoLogin create(String password) throws IOException, InterruptedException {
        return new SudoLogin(PasswordSudoer.homeless("ofc", password));
    }

    String name() {
        return login.name();
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

    @Override
    public void close() {
        login.close();
    }
}
