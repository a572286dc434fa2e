package org.omerofleet.transport;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * sudo as a module's own script runs it ({@code systemctl}, {@code createdb} as {@code postgres}), with the
 * host's become password when one is set ({@code -K}, {@code --become-password-file}, the host's
 * {@code ansible_become_password}). The script calls {@code fleet_sudo SUDO-ARGS...}, which {@link #define()}
 * declares:
 *
 * <ul>
 * <li>without a password it is {@code sudo -n SUDO-ARGS...}, exactly: a sudo that wants a password fails at
 *     once, a rule limited to one command (say {@code /usr/bin/systemctl}) still matches;</li>
 * <li>with a password, the script's first input line is the password ({@link #request}); {@code fleet_sudo}
 *     first gives it to {@code sudo -S -v} alone (a wrong password fails there, as "Incorrect sudo
 *     password", and the command never starts), then runs {@code sudo -n SUDO-ARGS...} when sudo holds the
 *     credentials it just checked, else {@code sudo -S SUDO-ARGS...} with the password piped in, which this
 *     sudo reads since it has no credentials. The password reaches sudo through a pipe from {@code printf},
 *     a shell builtin: never a command's arguments.</li>
 * </ul>
 *
 * <p>sudo's prompt is empty ({@code -p ''}): nothing of sudo's own is mixed into what the command writes. The
 * line reporting a refused password carries a key unique to this object, so that nothing a command prints
 * can pass for it.
 */
public final class SudoShell {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Optional<String> password;
    private final String key;

    private SudoShell(Optional<String> password) {
        this.password = password.filter(p -> !p.isEmpty());
        this.password.ifPresent(p -> as("root")); // the checks of a task's become password: one line
        byte[] random = new byte[12];
        RANDOM.nextBytes(random);
        this.key = HexFormat.of().formatHex(random);
    }

    /** {@return sudo with {@code password} (empty or absent: {@code sudo -n})} */
    public static SudoShell of(Optional<String> password) {
        return new SudoShell(password);
    }

    /** {@return sudo that never asks: {@code sudo -n}} */
    public static SudoShell withoutPassword() {
        return new SudoShell(Optional.empty());
    }

    public boolean hasPassword() {
        return password.isPresent();
    }

    /** {@return how a whole command becomes {@code user} through {@link BecomeConnection}, with this password} */
    public Become as(String user) {
        return new Become(user, password);
    }

    /** {@return shell words declaring {@code fleet_sudo}; with a password they first read it from the script's input} */
    public String define() {
        return hasPassword() ? "IFS= read -r fleet_pw || exit 125; " + declare() : declare();
    }

    /**
     * {@return shell words reading the password from the file (a FIFO) at {@code path}, a shell word, into
     * {@code $fleet_pw}, for a detached job whose input is no longer the controller's; nothing without a password}
     */
    public String readFrom(String path) {
        return hasPassword() ? "IFS= read -r fleet_pw < " + path + "; " : "";
    }

    /** {@return shell words declaring {@code fleet_sudo}; with a password it must be in {@code $fleet_pw} ({@link #readFrom})} */
    public String declare() {
        return function();
    }

    private String function() {
        if (!hasPassword()) {
            return "fleet_sudo() { sudo -n \"$@\"; }; ";
        }
        // an empty prompt (-p ''): sudo prints nothing of its own in what the command writes (a psql answer read with 2>&1)
        return "fleet_sudo() { fleet_o=$(printf '%s\\n' \"$fleet_pw\" | sudo -S -p '' -v 2>&1) || { printf '%s%s\\n' "
                + ShellQuote.quote(failedMarker()) + " \"$(printf '%s' \"$fleet_o\" | tr '\\n' ' ')\" >&2; return 1; }; "
                + "if sudo -n -v 2>/dev/null; then sudo -n \"$@\"; else printf '%s\\n' \"$fleet_pw\" | sudo -S -p '' \"$@\"; fi; }; ";
    }

    /** {@return {@code request} with the password as its first input line, when there is one} */
    public ExecRequest request(ExecRequest request) {
        if (!hasPassword()) {
            return request;
        }
        byte[] head = (password.get() + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] own = request.stdin();
        byte[] all = new byte[head.length + own.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(own, 0, all, head.length, own.length);
        return new ExecRequest(request.command(), all, request.timeout(), request.captureLimit());
    }

    /**
     * {@return what {@code request} (a script that declares {@code fleet_sudo} with {@link #define()}) did on
     * {@code connection}, checked for a password sudo refused}
     *
     * @throws TransportException.BecomeRefusedException when sudo refused the password ("Incorrect sudo password")
     */
    public CommandResult exec(Connection connection, ExecRequest request) throws TransportException {
        return result(connection.exec(request(request)));
    }

    /**
     * {@return what a script using {@code fleet_sudo} wrote, checked for a password sudo refused}
     *
     * @throws TransportException.BecomeRefusedException when sudo refused the password ("Incorrect sudo password")
     */
    public CommandResult result(CommandResult result) throws TransportException.BecomeRefusedException {
        return new CommandResult(result.exitStatus(), result.exitSignal(), output(result.stdout()), output(result.stderr()), result.truncated(),
                result.elapsed());
    }

    /**
     * {@return {@code text} (a script's output) checked for a password sudo refused}
     *
     * @throws TransportException.BecomeRefusedException when sudo refused the password ("Incorrect sudo password")
     */
    public String output(String text) throws TransportException.BecomeRefusedException {
        int failed = text.indexOf(failedMarker());
        if (failed >= 0) {
            int end = text.indexOf('\n', failed);
            String said = text.substring(failed + failedMarker().length(), end < 0 ? text.length() : end);
            throw BecomeConnection.refused(said, "another user");
        }
        return text;
    }

    private String failedMarker() {
        return "[omero-fleet sudo failed, key=" + key + "]";
    }

    /** The password never appears in a log line, a report or an exception message. */
    @Override
    public String toString() {
        return "SudoShell[" + (hasPassword() ? "password ********]" : "sudo -n]");
    }
}
