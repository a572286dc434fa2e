package org.omerofleet.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.Connection;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.PortForward;
import org.omerofleet.transport.TransportException;

/**
 * Stand in for a host in module tests: record every command, upload and download, and answer commands
 * from a script of rules (the first rule whose fragment occurs in the command answers; a rule made with
 * {@link #once} answers one command only). A command no rule answers fails the test, so a module cannot
 * send anything the test did not expect. Uploads land in an in-memory file table that downloads read.
 */
public final class RecordingConnection implements Connection {

    /** One file sent by SFTP: where it went, with which mode, and what it held. */
    public record Upload(String remotePath, int mode, byte[] content) {
    }

    private record Rule(String fragment, CommandResult answer, boolean once) {
    }

    private final List<Rule> rules = new ArrayList<>();
    private final List<ExecRequest> requests = new ArrayList<>();
    private final List<Upload> uploads = new ArrayList<>();
    private final List<String> downloads = new ArrayList<>();
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private boolean open = true;

    /** Answer every command containing {@code fragment} with this exit status and output. */
    public synchronized RecordingConnection on(String fragment, int rc, String stdout, String stderr) {
        rules.add(new Rule(fragment, result(rc, stdout, stderr), false));
        return this;
    }

    /** Answer the next command containing {@code fragment} (only that one) with this exit status and output. */
    public synchronized RecordingConnection once(String fragment, int rc, String stdout, String stderr) {
        rules.add(new Rule(fragment, result(rc, stdout, stderr), true));
        return this;
    }

    /** Put a file on the "host", for downloads. */
    public synchronized RecordingConnection file(String remotePath, byte[] content) {
        files.put(remotePath, content.clone());
        return this;
    }

    /** {@return every command sent, in order} */
    public synchronized List<String> commands() {
        return requests.stream().map(ExecRequest::command).toList();
    }

    /** {@return every request sent, in order, with its stdin and timeout} */
    public synchronized List<ExecRequest> requests() {
        return List.copyOf(requests);
    }

    public synchronized List<Upload> uploads() {
        return List.copyOf(uploads);
    }

    public synchronized List<String> downloads() {
        return List.copyOf(downloads);
    }

    @Override
    public synchronized CommandResult exec(ExecRequest request) {
        requests.add(request);
        for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
            Rule rule = it.next();
            if (request.command().contains(rule.fragment())) {
                if (rule.once()) {
                    it.remove();
                }
                return rule.answer();
            }
        }
        throw new AssertionError("the test scripted no answer for: " + request.command());
    }

    @Override
    public synchronized String upload(Path local, String remotePath, int mode, Optional<String> sha256) throws TransportException {
        byte[] content;
        try {
            content = Files.readAllBytes(local);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String sum = sha256(content);
        if (sha256.isPresent() && !sha256.get().equals(sum)) {
            throw new TransportException("checksum mismatch for " + remotePath, null);
        }
        uploads.add(new Upload(remotePath, mode, content));
        files.put(remotePath, content);
        return sum;
    }

    @Override
    public synchronized String download(String remotePath, Path local) throws TransportException {
        downloads.add(remotePath);
        byte[] content = files.get(remotePath);
        if (content == null) {
            throw new TransportException("no such file on the host: " + remotePath, null);
        }
        try {
            Files.write(local, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sha256(content);
    }

    @Override
    public PortForward forwardLocal(String host, int port) {
        throw new UnsupportedOperationException("no port forwards in module tests");
    }

    @Override
    public synchronized boolean isOpen() {
        return open;
    }

    @Override
    public synchronized void close() {
        open = false;
    }

    /** {@return the lower-case hex SHA-256 of {@code content}} */
    public static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CommandResult result(int rc, String stdout, String stderr) {
        return new CommandResult(OptionalInt.of(rc), Optional.empty(), stdout, stderr, false, Duration.ZERO);
    }
}
