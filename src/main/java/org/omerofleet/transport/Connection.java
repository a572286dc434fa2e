package org.omerofleet.transport;

import java.nio.file.Path;

/**
 * Talk to one host over one SSH session that is reused for every task of a run.
 *
 * <p>Implementations are thread-safe: several channels may be open on one connection at once.
 * A non-zero remote exit status is data in {@link CommandResult}, never an exception; a
 * {@link TransportException} means the work could not be done (or its outcome is unknown).
 */
public interface Connection extends AutoCloseable {

    /** {@return the result of running {@code request} on the host} */
    CommandResult exec(ExecRequest request) throws TransportException;

    /**
     * Upload a local file by SFTP to {@code remotePath} with the given mode, writing to a temporary name
     * first and renaming it into place once its SHA-256 read back from the host matches.
     *
     * @param sha256 the local file's SHA-256, when the caller already has it: the file is then not hashed
     *               again while it is sent, and the host's copy must match this value
     * @return the SHA-256 (lower-case hex) of what landed on the host
     */
    String upload(Path local, String remotePath, int mode, java.util.Optional<String> sha256) throws TransportException;

    /**
     * {@link #upload(Path, String, int, java.util.Optional)}, telling {@code sent} how many bytes of the file
     * have gone so far (called often, from the uploading thread; a transport that cannot count never calls it).
     */
    default String upload(Path local, String remotePath, int mode, java.util.Optional<String> sha256, java.util.function.LongConsumer sent)
            throws TransportException {
        return upload(local, remotePath, mode, sha256);
    }

    /**
     * Download {@code remotePath} by SFTP to {@code local}, checking its SHA-256 against the host's.
     *
     * @return the SHA-256 (lower-case hex) of the downloaded file
     */
    String download(String remotePath, Path local) throws TransportException;

    /**
     * Forward a local loopback port to {@code host:port} as seen from the remote side (ssh -L).
     * Closing the returned forward stops it.
     */
    PortForward forwardLocal(String host, int port) throws TransportException;

    /** {@return whether the session is still open} */
    boolean isOpen();

    /** {@return a description of the negotiated algorithms (kex, cipher, MAC, host key type)} */
    default String negotiated() {
        return "";
    }

    @Override
    void close();
}
