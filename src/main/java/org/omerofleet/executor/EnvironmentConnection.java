package org.omerofleet.executor;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.Connection;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.PortForward;
import org.omerofleet.transport.ShellQuote;
import org.omerofleet.transport.TransportException;

/**
 * Run every command with a task's {@code environment}: the {@code export} lines travel on the command's
 * standard input, ahead of its own input, and the remote shell reads exactly those bytes back with
 * {@code dd} and evaluates them. The values, secrets among them, are never part of a command line,
 * where any user of the host could read them in the process list. Wrap the become view, not the other
 * way round: sudo clears the environment, so the exports must run in the shell sudo starts.
 */
final class EnvironmentConnection implements Connection {

    private final Connection connection;
    private final byte[] exports;

    EnvironmentConnection(Connection connection, Map<String, String> environment) {
        this.connection = connection;
        StringBuilder script = new StringBuilder();
        environment.forEach((name, value) -> {
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("environment variable name '" + name + "' is not a valid shell name");
            }
            script.append("export ").append(name).append('=').append(ShellQuote.quote(value)).append('\n');
        });
        this.exports = script.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public CommandResult exec(ExecRequest request) throws TransportException {
        if (exports.length == 0) {
            return connection.exec(request);
        }
        String command = "eval \"$(dd bs=1 count=" + exports.length + " 2>/dev/null)\" && " + request.command();
        byte[] own = request.stdin();
        byte[] stdin = new byte[exports.length + own.length];
        System.arraycopy(exports, 0, stdin, 0, exports.length);
        System.arraycopy(own, 0, stdin, exports.length, own.length);
        return connection.exec(new ExecRequest(command, stdin, request.timeout(), request.captureLimit()));
    }

    @Override
    public String upload(Path local, String remotePath, int mode, Optional<String> sha256) throws TransportException {
        return connection.upload(local, remotePath, mode, sha256);
    }

    @Override
    public String download(String remotePath, Path local) throws TransportException {
        return connection.download(remotePath, local);
    }

    @Override
    public PortForward forwardLocal(String host, int port) throws TransportException {
        return connection.forwardLocal(host, port);
    }

    @Override
    public boolean isOpen() {
        return connection.isOpen();
    }

    @Override
    public String negotiated() {
        return connection.negotiated();
    }

    @Override
    public void close() {
        // the underlying connection belongs to the run's pool
    }
}
