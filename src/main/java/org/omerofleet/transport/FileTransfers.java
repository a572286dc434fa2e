package org.omerofleet.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * What both transports do around an SFTP transfer: the temporary {@code .part} name, SHA-256 on
 * either side, and best-effort cleanup. Every remote path goes through argv quoting and {@code --}.
 */
public final class FileTransfers {

    private static final Duration CHECKSUM_TIMEOUT = Duration.ofMinutes(30);

    private FileTransfers() {
    }

    /** {@return a hidden temporary name beside {@code remotePath}: {@code dir/.name.part-<random>}} */
    public static String partialName(String remotePath, long random) {
        int slash = remotePath.lastIndexOf('/');
        String dir = slash < 0 ? "" : remotePath.substring(0, slash + 1);
        String name = remotePath.substring(slash + 1);
        return dir + "." + name + ".part-" + Long.toHexString(random);
    }

    /** {@return a temporary name beside a local file: {@code name.part-<random>}} */
    public static Path localPartial(Path local, long random) {
        return local.resolveSibling(local.getFileName() + ".part-" + Long.toHexString(random));
    }

    /**
     * Create the empty file an upload is written into, readable by the user only: 0600 from the moment it
     * exists, so that content on its way (a {@code copy: content:} secret) is never readable by others.
     * The final mode is set once all of it is in. The file must not exist ({@code set -C} creates with
     * {@code O_EXCL}, which also refuses a symlink planted at the name). Both transports then open it for
     * writing without creating it: neither SFTP client lets the mode be given at create time in a way
     * both share, and a server's default mode is whatever its umask leaves.
     */
    public static void createPrivate(Connection connection, String host, String partial) throws TransportException {
        CommandResult created = connection.exec(ExecRequest.shell("umask 077 && set -C && : > " + ShellQuote.quote(partial)));
        if (!created.succeeded()) {
            throw new TransportException(host + ": cannot create " + partial + " for an upload: " + created.stderr().strip());
        }
    }

    /** An upload of {@code local} written to the host's {@code partial} name, to be renamed over {@code remotePath}. */
    public record Upload(Path local, String partial, String remotePath) {
    }

    /** A download of the host's {@code remotePath} written to the local {@code partial} name, to be moved over {@code local}. */
    public record Download(String remotePath, Path partial, Path local) {
    }

    /**
     * Finish an upload that landed at its partial name with {@code digest} as sent: check the host's
     * SHA-256 of it, then rename it over the remote path; on any failure the partial file is removed.
     *
     * @return the digest
     */
    public static String finishUpload(Connection connection, String host, Upload upload, String digest) throws TransportException {
        Path local = upload.local();
        String partial = upload.partial();
        String remotePath = upload.remotePath();
        String remoteDigest = remoteSha256(connection, host, partial);
        if (!digest.equals(remoteDigest)) {
            removeQuietly(connection, partial);
            throw new TransportException(host + ": upload of " + local + " arrived damaged (SHA-256 " + remoteDigest + ", sent " + digest + ")");
        }
        CommandResult moved = connection.exec(ExecRequest.argv(List.of("mv", "-f", "--", partial, remotePath)));
        if (!moved.succeeded()) {
            removeQuietly(connection, partial);
            throw new TransportException(host + ": cannot move the upload into " + remotePath + ": " + moved.stderr().strip());
        }
        return digest;
    }

    /**
     * Finish a download that landed at its partial name with {@code digest} as received: check it against
     * the host's SHA-256 of the remote path, then move it over the local one; the partial file never stays.
     *
     * @return the digest
     */
    public static String finishDownload(Connection connection, String host, Download download, String digest) throws TransportException {
        String remotePath = download.remotePath();
        Path partial = download.partial();
        Path local = download.local();
        try {
            String remoteDigest = remoteSha256(connection, host, remotePath);
            if (!digest.equals(remoteDigest)) {
                throw new TransportException(host + ": download of " + remotePath + " arrived damaged (SHA-256 " + digest
                        + ", host has " + remoteDigest + ")");
            }
            Files.move(partial, local, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return digest;
        } catch (IOException e) {
            throw new TransportException(host + ": cannot store " + local + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(partial);
        }
    }

    /** {@return the SHA-256 of {@code path} as the host computes it (lower-case hex)} */
    public static String remoteSha256(Connection connection, String host, String path) throws TransportException {
        CommandResult sum = connection.exec(ExecRequest.argv(List.of("sha256sum", "--", path)).withTimeout(CHECKSUM_TIMEOUT));
        if (!sum.succeeded() || sum.stdout().length() < 64) {
            throw new TransportException(host + ": cannot checksum " + path + " on the host: " + sum.stderr().strip());
        }
        return sum.stdout().substring(0, 64);
    }

    /** Remove a remote file, ignoring failure: a stray {@code .part} file never collides with a real name. */
    public static void removeQuietly(Connection connection, String remotePath) {
        try {
            connection.exec(ExecRequest.argv(List.of("rm", "-f", "--", remotePath)));
        } catch (TransportException ignored) {
            // best effort, see above
        }
    }

    /** Delete a local file, ignoring failure: a leftover {@code .part} file is never mistaken for the real one. */
    public static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // best effort, see above
        }
    }

    /** {@return the local file to send, hashed on the way unless its SHA-256 is already {@code known}} */
    public static java.io.InputStream open(Path local, java.util.Optional<String> known) throws java.io.IOException {
        return open(local, known, sent -> { });
    }

    /** {@link #open(Path, java.util.Optional)}, telling {@code sent} how many bytes were read for sending so far */
    public static java.io.InputStream open(Path local, java.util.Optional<String> known, java.util.function.LongConsumer sent)
            throws java.io.IOException {
        java.io.InputStream in = new java.io.FilterInputStream(java.nio.file.Files.newInputStream(local)) {
            private long count;

            @Override
            public int read() throws java.io.IOException {
                int b = super.read();
                if (b >= 0) {
                    sent.accept(++count);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int off, int len) throws java.io.IOException {
                int n = super.read(buffer, off, len);
                if (n > 0) {
                    count += n;
                    sent.accept(count);
                }
                return n;
            }
        };
        return known.isPresent() ? in : new java.security.DigestInputStream(in, sha256());
    }

    /** {@return the SHA-256 of what {@link #open} sent: the known one, or the one computed on the way} */
    public static String digestOf(java.io.InputStream sent, java.util.Optional<String> known) {
        return known.orElseGet(() -> hex(((java.security.DigestInputStream) sent).getMessageDigest()));
    }

    /** {@return the SHA-256 (lower-case hex) of a local file, read in 64 KiB blocks, never whole into memory} */
    public static String fileSha256(Path file) {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[64 * 1024];
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file, e);
        }
        return hex(digest);
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    /** {@return the message of the innermost cause, for error messages a user can act on} */
    public static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null ? root.getClass().getSimpleName() : m;
    }
}
