package org.omerofleet.transport;

import java.util.List;

/**
 * Run commands as another user through {@code sudo -n} ({@code become}): the command line becomes the
 * fixed argv {@code sudo -n -H -u USER -- /bin/sh -c <command>}, the command being one single-quoted
 * argument, never re-interpreted by a shell of sudo's. {@code -n} means a sudo that wants a password
 * fails at once instead of waiting for one. File transfers stay with the SSH user (SFTP has no sudo);
 * closing this view leaves the shared connection open.
 */
public final class BecomeConnection extends ForwardingConnection {

    private final String user;

    /** @param user a plain user name (letters, digits, '.', '_', '-'), never starting with '-' */
    public BecomeConnection(Connection connection, String user) {
        super(connection);
        if (!user.matches("[A-Za-z_][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("become_user must be a plain user name, got '" + user + "'");
        }
        this.user = user;
    }

    @Override
    public CommandResult exec(ExecRequest request) throws TransportException {
        String wrapped = ShellQuote.join(List.of("sudo", "-n", "-H", "-u", user, "--", "/bin/sh", "-c", request.command()));
        return delegate().exec(new ExecRequest(wrapped, request.stdin(), request.timeout(), request.captureLimit()));
    }
}
