package org.omerofleet.transport;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * Run commands as another user through sudo ({@code become}). The command is always one single-quoted
 * argument of {@code /bin/sh -c}, never re-interpreted by a shell of sudo's. File transfers stay with the
 * SSH user (SFTP has no sudo); closing this view leaves the shared connection open.
 *
 * <p>Without a password the command line is {@code sudo -n -H -u USER -- /bin/sh -c <command>}: a sudo
 * that wants a password fails at once ("Missing sudo password") instead of waiting for one.
 *
 * <p>With a password ({@code -K}), sudo reads it on standard input ({@code -S}), never from the command
 * line, with a prompt unique to this view ({@code -p}) that is taken out of what the command wrote to
 * stderr. First {@code sudo ... /bin/sh -c :} is given the password alone, then end of input: a wrong
 * password is one failed attempt (as with Ansible, which stops at sudo's first "Sorry, try again"),
 * reported as "Incorrect sudo password", and the command never starts. Then the command runs under a
 * second sudo whose input is the password again, two lines holding this view's key and the command's
 * own input: the shell that sudo starts reads up to the first key line and the one after it, so the
 * command's input begins where its caller's did, whether sudo asked for the password or not (a
 * {@code NOPASSWD} rule, credentials sudo still holds); were the password to turn wrong between the two
 * sudo runs, sudo's second and third attempts would read the key lines, never the command's input.
 */
public final class BecomeConnection extends ForwardingConnection {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String MISSING = "sudo: a password is required";

    private final Become become;
    private final String key;

    /** @param user a plain user name (letters, digits, '.', '_', '-'), never starting with '-' */
    public BecomeConnection(Connection connection, String user) {
        this(connection, Become.user(user));
    }

    public BecomeConnection(Connection connection, Become become) {
        super(connection);
        this.become = become;
        byte[] random = new byte[12];
        RANDOM.nextBytes(random);
        this.key = HexFormat.of().formatHex(random);
    }

    @Override
    public CommandResult exec(ExecRequest request) throws TransportException {
        if (become.password().isEmpty()) {
            String wrapped = ShellQuote.join(List.of("sudo", "-n", "-H", "-u", become.user(), "--", "/bin/sh", "-c", request.command()));
            CommandResult result = delegate().exec(new ExecRequest(wrapped, request.stdin(), request.timeout(), request.captureLimit()));
            if (result.rc() == 1 && result.stderr().strip().equals(MISSING)) {
                throw new TransportException.BecomeRefusedException("Missing sudo password (sudo asked " + become.user()
                        + "'s login for one: give it with -K/--ask-become-pass, --become-password-file or ansible_become_password)");
            }
            return result;
        }
        CommandResult result = delegate().exec(new ExecRequest(script(request.command()), stdin(request.stdin()), request.timeout(),
                request.captureLimit()));
        String stderr = result.stderr();
        int failed = stderr.indexOf(failedMarker());
        if (failed >= 0) {
            throw refused(stderr.substring(failed + failedMarker().length()).replace(prompt(), ""), become.user());
        }
        return new CommandResult(result.exitStatus(), result.exitSignal(), result.stdout(), stderr.replace(prompt(), ""),
                result.truncated(), result.elapsed());
    }

    /** {@return the command line: check the password with sudo alone, then run the command under sudo} */
    private String script(String command) {
        List<String> sudo = List.of("sudo", "-S", "-H", "-p", prompt(), "-u", become.user(), "--", "/bin/sh", "-c");
        String inner = "while IFS= read -r fleet_line; do [ \"$fleet_line\" = " + ShellQuote.quote(key) + " ] && break; done;"
                + " IFS= read -r fleet_line; unset fleet_line\n" + command;
        return "IFS= read -r fleet_pw || exit 125\n"
                + "fleet_out=$(printf '%s\\n' \"$fleet_pw\" | " + ShellQuote.join(sudo) + " : 2>&1) || { printf '%s%s\\n' "
                + ShellQuote.quote(failedMarker()) + " \"$fleet_out\" >&2; exit 1; }\n"
                + "unset fleet_pw fleet_out\n"
                + ShellQuote.join(sudo) + " " + ShellQuote.quote(inner);
    }

    /** {@return the password twice (the check, then the command's sudo), the two key lines, then the command's own input} */
    private byte[] stdin(byte[] own) {
        String password = become.password().orElseThrow();
        byte[] head = (password + "\n" + password + "\n" + key + "\n" + key + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + own.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(own, 0, all, head.length, own.length);
        return all;
    }

    /** {@return what sudo said when it would not run commands as {@code user}, as the exception a task fails with} */
    static TransportException.BecomeRefusedException refused(String sudoSaid, String user) {
        String said = sudoSaid.strip();
        if (said.contains("incorrect password attempt") || said.contains("Sorry, try again.")) {
            return new TransportException.BecomeRefusedException("Incorrect sudo password");
        }
        return new TransportException.BecomeRefusedException("sudo refused to run commands as " + user + ": "
                + (said.isEmpty() ? "no message" : said.replace('\n', ' ')));
    }

    /** Unique to this view, so that nothing the command prints can pass for it; no '%', which sudo would expand. */
    private String prompt() {
        return "[sudo via omero-fleet, key=" + key + "] password:";
    }

    private String failedMarker() {
        return "[omero-fleet become failed, key=" + key + "]";
    }
}
