package org.omerofleet.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A login of this machine whose sudo asks for its password (a sudoer without NOPASSWD) every time
 * ({@code timestamp_timeout=0}: no credentials kept between two sudo), with its own home directory, for tests that log in as it through OpenSSH sshd. Making it needs root.
 */
public final class PasswordSudoer implements AutoCloseable {

    private final String name;
    private final Path home;

    private PasswordSudoer(String name, Path home) {
        this.name = name;
        this.home = home;
    }

    /** {@return why such a login cannot be made here, or null when it can (root, sudo, useradd)} */
    public static String impossible() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "making a login whose sudo asks for a password needs root (useradd, chpasswd, /etc/sudoers.d); CI runs as root";
        }
        if (!Files.isExecutable(Path.of("/usr/bin/sudo")) || !Files.isDirectory(Path.of("/etc/sudoers.d"))) {
            return "no sudo: install sudo (.ci/run does)";
        }
        return null;
    }

    /** {@return a new login whose sudo asks for {@code password}, its home {@code home} (made, owned by it)} */
    public static PasswordSudoer create(Path home, String password) throws IOException, InterruptedException {
        Files.createDirectories(home);
        PasswordSudoer login = create("ofs", home, password, "\"Defaults:$1 timestamp_timeout=0\" ");
        try {
            UserPrincipal owner = home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(login.name);
            Files.setOwner(home, owner);
        } catch (IOException | RuntimeException e) {
            login.close();
            throw e;
        }
        return login;
    }

    /**
     * {@return a new login named {@code prefix} and a random suffix, whose sudo asks for {@code password} (keeping its
     * credentials for sudo's default time), with {@code /} as its home: for logins that only run commands}
     */
    public static PasswordSudoer homeless(String prefix, String password) throws IOException, InterruptedException {
        return create(prefix, Path.of("/"), password, "");
    }

    private static PasswordSudoer create(String prefix, Path home, String password, String defaults) throws IOException, InterruptedException {
        String name = prefix + HexFormat.of().formatHex(new SecureRandom().generateSeed(5));
        run(List.of("useradd", "-M", "-d", home.toString(), "-s", "/bin/sh", name), "");
        PasswordSudoer login = new PasswordSudoer(name, home);
        try {
            run(List.of("chpasswd"), name + ":" + password + "\n");
            run(List.of("sh", "-c", "umask 337 && printf '%s\\n' " + defaults + "\"$1 ALL=(ALL:ALL) ALL\" > /etc/sudoers.d/$1"
                    + " && visudo -cf /etc/sudoers.d/$1", "sh", name), "");
        } catch (IOException | RuntimeException e) {
            login.close();
            throw e;
        }
        return login;
    }

    public String name() {
        return name;
    }

    public Path home() {
        return home;
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
            run(List.of("userdel", "-f", name), ""); // -f: an ssh ControlPersist master may still hold a session
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
