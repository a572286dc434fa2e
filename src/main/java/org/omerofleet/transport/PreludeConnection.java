package org.omerofleet.transport;

import java.nio.charset.StandardCharsets;

/**
 * Run a shell prelude (e.g. {@code export} lines) before every command: the prelude travels on the
 * command's standard input, ahead of its own input, and the remote shell reads exactly those bytes back
 * with {@code dd} and evaluates them. What the prelude holds, secrets among them, is never part of a
 * command line, where any user of the host could read it in the process list.
 */
public final class PreludeConnection extends ForwardingConnection {

    private final byte[] prelude;

    /** @param prelude shell text, evaluated before each command; empty runs commands as they are */
    public PreludeConnection(Connection connection, String prelude) {
        super(connection);
        this.prelude = prelude.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public CommandResult exec(ExecRequest request) throws TransportException {
        if (prelude.length == 0) {
            return delegate().exec(request);
        }
        String command = "eval \"$(dd bs=1 count=" + prelude.length + " 2>/dev/null)\" && " + request.command();
        byte[] own = request.stdin();
        byte[] stdin = new byte[prelude.length + own.length];
        System.arraycopy(prelude, 0, stdin, 0, prelude.length);
        System.arraycopy(own, 0, stdin, prelude.length, own.length);
        return delegate().exec(new ExecRequest(command, stdin, request.timeout(), request.captureLimit()));
    }
}
