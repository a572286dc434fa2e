package org.omerofleet.transport.mina;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.forward.ExplicitPortForwardingTracker;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.omerofleet.transport.BoundedCapture;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.Connection;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.FileTransfers;
import org.omerofleet.transport.PortForward;
import org.omerofleet.transport.TransportException;

/**
 * One authenticated MINA SSHD session to one host. Each command gets its own exec channel; both
 * output streams are drained by the session's I/O threads into bounded captures.
 */
final class MinaConnection implements Connection {

    private static final int SFTP_BUFFER = 64 * 1024;

    private final ClientSession session;
    private final String host;
    private final SecureRandom random = new SecureRandom();

    MinaConnection(ClientSession session, String host) {
        this.session = session;
        this.host = host;
    }

    @Override
    public CommandResult exec(ExecRequest request) throws TransportException {
        long started = System.nanoTime();
        BoundedCapture out = new BoundedCapture(request.captureLimit());
        BoundedCapture err = new BoundedCapture(request.captureLimit());
        ChannelExec channel;
        try {
            channel = session.createExecChannel(request.command());
            channel.setOut(out);
            channel.setErr(err);
            channel.open().verify(Duration.ofSeconds(30).toMillis());
        } catch (IOException | RuntimeException e) {
            // the command did not start: nothing ran on the host
            throw new TransportException(host + ": cannot open a channel: " + e.getMessage(), e, false);
        }
        try {
            sendStdin(channel, request.stdin());
            Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), request.timeout().toMillis());
            if (events.contains(ClientChannelEvent.TIMEOUT)) {
                channel.close(true);
                throw new TransportException(host + ": command still running after " + request.timeout()
                        + "; its outcome is unknown", null, true);
            }
            Integer status = channel.getExitStatus();
            String signal = channel.getExitSignal();
            if (status == null && signal == null && !session.isOpen()) {
                throw new TransportException(host + ": connection lost while a command ran; its outcome is unknown", null, true);
            }
            return new CommandResult(status == null ? OptionalInt.empty() : OptionalInt.of(status), Optional.ofNullable(signal),
                    out.text(), err.text(), out.truncated() || err.truncated(), Duration.ofNanos(System.nanoTime() - started));
        } finally {
            channel.close(false);
        }
    }

    /**
     * Write the input and then EOF. A command may finish (and its channel close) before reading it,
     * as with a pipe; that is not a failure here: the exit status decides.
     */
    private static void sendStdin(ChannelExec channel, byte[] input) {
        try (OutputStream stdin = channel.getInvertedIn()) {
            stdin.write(input);
        } catch (IOException ignored) {
            // the channel closed first: waitFor and the exit status tell what happened
        }
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
        try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session);
             InputStream in = FileTransfers.open(local, sha256, sent);
             OutputStream out = sftp.write(partial, SFTP_BUFFER, SftpClient.OpenMode.Write, SftpClient.OpenMode.Truncate)) {
            in.transferTo(out);
            out.close();
            digest = FileTransfers.digestOf(in, sha256);
            SftpClient.Attributes attributes = new SftpClient.Attributes();
            attributes.setPermissions(mode);
            sftp.setStat(partial, attributes);
        } catch (IOException e) {
            FileTransfers.removeQuietly(this, partial);
            throw new TransportException(host + ": upload of " + local + " to " + remotePath + " failed: " + e.getMessage(), e);
        }
        return FileTransfers.finishUpload(this, host, new FileTransfers.Upload(local, partial, remotePath), digest);
    }

    @Override
    public String download(String remotePath, Path local) throws TransportException {
        Path partial = FileTransfers.localPartial(local, random.nextLong());
        String digest;
        try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session);
             InputStream in = sftp.read(remotePath, SFTP_BUFFER);
             DigestOutputStream out = new DigestOutputStream(Files.newOutputStream(partial), FileTransfers.sha256())) {
            in.transferTo(out);
            out.flush();
            digest = FileTransfers.hex(out.getMessageDigest());
        } catch (IOException e) {
            FileTransfers.deleteQuietly(partial);
            throw new TransportException(host + ": download of " + remotePath + " failed: " + e.getMessage(), e);
        }
        return FileTransfers.finishDownload(this, host, new FileTransfers.Download(remotePath, partial, local), digest);
    }

    @Override
    public PortForward forwardLocal(String remoteHost, int remotePort) throws TransportException {
        try {
            ExplicitPortForwardingTracker tracker = session.createLocalPortForwardingTracker(
                    new SshdSocketAddress("127.0.0.1", 0), new SshdSocketAddress(remoteHost, remotePort));
            return new PortForward() {
                @Override
                public int localPort() {
                    return tracker.getBoundAddress().getPort();
                }

                @Override
                public void close() {
                    try {
                        tracker.close();
                    } catch (IOException ignored) {
                        // the session may already be gone, which also ends the forward
                    }
                }
            };
        } catch (IOException e) {
            throw new TransportException(host + ": cannot forward a port to " + remoteHost + ":" + remotePort + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean isOpen() {
        return session.isOpen() && !session.isClosing();
    }

    @Override
    public String negotiated() {
        return "kex=" + session.getNegotiatedKexParameter(KexProposalOption.ALGORITHMS)
                + " hostkey=" + session.getNegotiatedKexParameter(KexProposalOption.SERVERKEYS)
                + " cipher=" + session.getNegotiatedKexParameter(KexProposalOption.C2SENC)
                + " mac=" + session.getNegotiatedKexParameter(KexProposalOption.C2SMAC);
    }

    @Override
    public void close() {
        session.close(false);
    }






}
