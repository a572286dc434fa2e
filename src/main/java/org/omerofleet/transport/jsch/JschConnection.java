package org.omerofleet.transport.jsch;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.omerofleet.transport.BoundedCapture;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.Connection;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.FileTransfers;
import org.omerofleet.transport.PortForward;
import org.omerofleet.transport.TransportException;

/**
 * One authenticated JSch session to one host. Each command gets its own exec channel; the session's
 * reader thread writes both output streams straight into bounded in-memory captures, so a command that
 * floods stdout and stderr at once can never stall on a full pipe. Several threads may run commands
 * at once: JSch multiplexes channels over the session.
 */
final class JschConnection implements Connection {

    private static final Duration CHANNEL_OPEN_TIMEOUT = Duration.ofSeconds(30);
    /** How long a channel closed without exit status waits for the session to show it died too. */
    private static final Duration DROP_GRACE = Duration.ofSeconds(1);
    private static final long MAX_POLL_NANOS = Duration.ofMillis(20).toNanos();

    private final Session session;
    private final String host;
    /** Closes the forward that carries {@link #session} through its jump hosts and lets go of their session; nothing when direct. */
    private final Runnable afterClose;
    private final SecureRandom random = new SecureRandom();

    JschConnection(Session session, String host, Runnable afterClose) {
        this.session = session;
        this.host = host;
        this.afterClose = afterClose;
    }

    @Override
    public CommandResult exec(ExecRequest request) throws TransportException {
        long started = System.nanoTime();
        BoundedCapture out = new BoundedCapture(request.captureLimit());
        BoundedCapture err = new BoundedCapture(request.captureLimit());
        ChannelExec channel;
        try {
            channel = (ChannelExec) session.openChannel("exec");
            channel.setCommand(request.command().getBytes(StandardCharsets.UTF_8));
            channel.setOutputStream(out, true);
            channel.setErrStream(err, true);
            // JSch pumps this on a thread of its own and sends EOF at its end; a command that exits
            // without reading it is no failure here: the exit status decides
            channel.setInputStream(new ByteArrayInputStream(request.stdin()), false);
            channel.connect(Math.toIntExact(CHANNEL_OPEN_TIMEOUT.toMillis()));
        } catch (JSchException | RuntimeException e) {
            // the command did not start: nothing ran on the host
            throw new TransportException(host + ": cannot open a channel: " + e.getMessage(), e, false);
        }
        try {
            if (!awaitClosed(channel, started + request.timeout().toNanos())) {
                kill(channel);
                throw new TransportException(host + ": command still running after " + request.timeout()
                        + "; its outcome is unknown", null, true);
            }
            int status = channel.getExitStatus();
            String signal = channel.getExitSignal();
            if (status < 0 && signal == null && sessionDropped()) {
                throw new TransportException(host + ": connection lost while a command ran; its outcome is unknown", null, true);
            }
            return new CommandResult(status < 0 ? OptionalInt.empty() : OptionalInt.of(status), Optional.ofNullable(signal),
                    out.text(), err.text(), out.truncated() || err.truncated(), Duration.ofNanos(System.nanoTime() - started));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(channel);
            throw new TransportException(host + ": interrupted while a command ran; its outcome is unknown", e, true);
        } finally {
            channel.disconnect();
        }
    }

    /** Wait for the channel to close, polling (JSch has no completion callback) with a growing pause. */
    private static boolean awaitClosed(ChannelExec channel, long deadline) throws InterruptedException {
        long pause = Duration.ofMillis(1).toNanos();
        while (!channel.isClosed()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            Thread.sleep(Duration.ofNanos(Math.min(pause, left)).toMillis(), 0);
            pause = Math.min(pause * 2, MAX_POLL_NANOS);
        }
        return true;
    }

    /**
     * Whether the session is gone. JSch closes a dead session's channels before it marks the session
     * disconnected, so a channel that closed without an exit status gives the session a moment to say so.
     */
    private boolean sessionDropped() throws InterruptedException {
        long deadline = System.nanoTime() + DROP_GRACE.toNanos();
        while (session.isConnected()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    private static void kill(ChannelExec channel) {
        try {
            channel.sendSignal("KILL");
        } catch (Exception ignored) {
            // servers may refuse signals; closing the channel below is the fallback
        }
        channel.disconnect();
    }

    @Override
    public String upload(Path local, String remotePath, int mode, java.util.Optional<String> sha256) throws TransportException {
        return upload(local, remotePath, mode, sha256, sent -> { });
    }

    @Override
    public String upload(Path local, String remotePath, int mode, java.util.Optional<String> sha256, java.util.function.LongConsumer sent)
            throws TransportException {
        String partial = FileTransfers.partialName(remotePath, random.nextLong());
        FileTransfers.createPrivate(this, host, partial);
        String digest;
        ChannelSftp sftp = sftp();
        try (InputStream in = FileTransfers.open(local, sha256, sent)) {
            sftp.put(in, sftpPath(partial), ChannelSftp.OVERWRITE); // the file exists (0600): truncated, its mode kept
            digest = FileTransfers.digestOf(in, sha256);
            sftp.chmod(mode, sftpPath(partial));
        } catch (IOException | SftpException e) {
            FileTransfers.removeQuietly(this, partial);
            throw new TransportException(host + ": upload of " + local + " to " + remotePath + " failed: " + e.getMessage(), e);
        } finally {
            sftp.disconnect();
        }
        return FileTransfers.finishUpload(this, host, new FileTransfers.Upload(local, partial, remotePath), digest);
    }

    @Override
    public String download(String remotePath, Path local) throws TransportException {
        Path partial = FileTransfers.localPartial(local, random.nextLong());
        String digest;
        ChannelSftp sftp = sftp();
        try (DigestOutputStream out = new DigestOutputStream(Files.newOutputStream(partial), FileTransfers.sha256())) {
            sftp.get(sftpPath(remotePath), out);
            out.flush();
            digest = FileTransfers.hex(out.getMessageDigest());
        } catch (IOException | SftpException e) {
            FileTransfers.deleteQuietly(partial);
            throw new TransportException(host + ": download of " + remotePath + " failed: " + e.getMessage(), e);
        } finally {
            sftp.disconnect();
        }
        return FileTransfers.finishDownload(this, host, new FileTransfers.Download(remotePath, partial, local), digest);
    }

    private ChannelSftp sftp() throws TransportException {
        try {
            ChannelSftp sftp = (ChannelSftp) session.openChannel("sftp");
            sftp.connect(Math.toIntExact(CHANNEL_OPEN_TIMEOUT.toMillis()));
            return sftp;
        } catch (JSchException | RuntimeException e) {
            throw new TransportException(host + ": cannot open an SFTP channel: " + e.getMessage(), e);
        }
    }

    /**
     * Escape the characters JSch's SFTP channel reads as glob patterns ({@code * ?}) and its escape
     * character, so that every path names exactly one file, byte for byte.
     */
    static String sftpPath(String path) {
        StringBuilder b = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '*' || c == '?' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    @Override
    public PortForward forwardLocal(String remoteHost, int remotePort) throws TransportException {
        int localPort;
        try {
            localPort = session.setPortForwardingL("127.0.0.1", 0, remoteHost, remotePort);
        } catch (JSchException e) {
            throw new TransportException(host + ": cannot forward a port to " + remoteHost + ":" + remotePort + ": " + e.getMessage(), e);
        }
        return new PortForward() {
            @Override
            public int localPort() {
                return localPort;
            }

            @Override
            public void close() {
                try {
                    session.delPortForwardingL("127.0.0.1", localPort);
                } catch (JSchException ignored) {
                    // the session may already be gone, which also ends the forward
                }
            }
        };
    }

    @Override
    public boolean isOpen() {
        return session.isConnected();
    }

    @Override
    public String negotiated() {
        return "kex=" + session.getKexAlgorithm()
                + " hostkey=" + session.getServerHostKeyAlgorithm()
                + " cipher=" + session.getCipherAlgorithmC2S()
                // an AEAD cipher (GCM, ChaCha20-Poly1305) authenticates by itself and negotiates no MAC
                + " mac=" + Optional.ofNullable(session.getMacAlgorithmC2S()).orElse("aead");
    }

    @Override
    public void close() {
        try {
            session.disconnect();
        } finally {
            afterClose.run();
        }
    }






}
