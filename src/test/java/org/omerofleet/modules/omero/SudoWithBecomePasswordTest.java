package org.omerofleet.modules.omero;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omerofleet.sandbox.OpenSshFleet;
import org.omerofleet.testing.ModuleContext;
import org.omerofleet.testing.PasswordSudoer;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.Connection;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.HostKeyPolicy;
import org.omerofleet.transport.PassphraseProvider;
import org.omerofleet.transport.SshTarget;
import org.omerofleet.transport.SudoShell;
import org.omerofleet.transport.TransportException;
import org.omerofleet.transport.mina.MinaConnectionFactory;

/**
 * The sudo the OMERO modules run themselves ({@code fleet_sudo}: {@code systemctl}, {@code createdb} as
 * {@code postgres}), through OpenSSH sshd as a login whose sudo asks for its password: in a command and in a
 * detached job ({@link RemoteJob}), with the host's become password, a wrong one, and none.
 */
class SudoWithBecomePasswordTest {

    static final String PASSWORD = "Tr0ub4dor & 'sudo' $pass \\n";
    static Path root;
    static PasswordSudoer login;
    static OpenSshFleet fleet;
    static MinaConnectionFactory factory;
    static Connection connection;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(OpenSshFleet.available(), "no /usr/sbin/sshd: install openssh-server");
        String impossible = PasswordSudoer.impossible();
        Assumptions.assumeTrue(impossible == null, impossible);
        root = Files.createTempDirectory("module-sudo");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        login = PasswordSudoer.create(root.resolve("home"), PASSWORD);
        fleet = OpenSshFleet.start(root.resolve("fleet"), List.of("host"));
        factory = new MinaConnectionFactory(PassphraseProvider.none(), name -> null);
        connection = factory.open(new SshTarget("host", "127.0.0.1", fleet.port("host"), login.name(), List.of(fleet.clientKey()), Optional.empty(),
                fleet.knownHosts(), HostKeyPolicy.STRICT, Duration.ofSeconds(5), 0, Duration.ofSeconds(15), Optional.empty(), List.of()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (connection != null) {
            connection.close();
        }
        if (factory != null) {
            factory.close();
        }
        if (fleet != null) {
            fleet.close();
        }
        if (login != null) {
            login.close();
        }
    }

    private static ModuleContext context(SudoShell sudo) {
        return ModuleContext.on(connection, root).withSudo(sudo);
    }

    private static String script(String body) {
        return SudoShell.of(Optional.empty()).define() + body;
    }

    @Test
    void withTheBecomePasswordACommandsSudoRunsAsRootAndAsPostgresStyleUsersWithItsInputUntouched() throws Exception {
        SudoShell sudo = SudoShell.of(Optional.of(PASSWORD));
        CommandResult r = sudo.exec(connection, ExecRequest.shell(sudo.define() + "id -un; fleet_sudo id -un; fleet_sudo -u nobody id -un; cat")
                .withStdin("the command's own input\n".getBytes()));
        assertEquals(0, r.rc(), r.stderr());
        assertEquals(login.name() + "\nroot\nnobody\nthe command's own input", r.stdout().strip());
        assertEquals("", r.stderr(), "sudo printed something of its own");
    }

    @Test
    void whatTheCommandWritesOnStderrHasNothingOfSudosOwnWhenSudoAsksForThePassword() throws Exception {
        // the login's sudo keeps no credentials: the command's sudo asks again, and reads the password piped to it
        SudoShell sudo = SudoShell.of(Optional.of(PASSWORD));
        CommandResult r = sudo.exec(connection, ExecRequest.shell(sudo.define() + "x=$(fleet_sudo -u nobody sh -c 'id -un; echo oops >&2' 2>&1); "
                + "printf '[%s]' \"$x\""));
        assertEquals(0, r.rc(), r.stderr());
        assertEquals("[nobody\noops]", r.stdout());
    }

    @Test
    void withoutAPasswordFleetSudoIsSudoDashNAndFailsAtOnceOnAHostWhoseSudoAsksForOne() throws Exception {
        CommandResult r = connection.exec(ExecRequest.shell(script("fleet_sudo id -un")));
        assertEquals(1, r.rc());
        assertEquals("sudo: a password is required", r.stderr().strip());
    }

    @Test
    void aWrongBecomePasswordFailsWithIncorrectSudoPasswordBeforeTheCommandRuns() throws Exception {
        SudoShell sudo = SudoShell.of(Optional.of("not the password"));
        Path marker = login.home().resolve("wrong-ran");
        TransportException e = assertThrows(TransportException.BecomeRefusedException.class,
                () -> sudo.exec(connection, ExecRequest.shell(sudo.define() + "fleet_sudo touch " + marker)));
        assertEquals("Incorrect sudo password", e.getMessage());
        assertFalse(Files.exists(marker), "the command ran although sudo refused the password");
    }

    @Test
    void aDetachedJobGetsTheBecomePasswordThroughAFifoNeverThroughItsArgumentsEnvironmentOrFiles() throws Exception {
        SudoShell sudo = SudoShell.of(Optional.of(PASSWORD));
        ModuleContext context = context(sudo);
        String script = "fleet_sudo id -un; fleet_sudo -u nobody id -un; ps -eo args > \"$FLEET_JOB_DIR/ps\"; "
                + "tr '\\0' '\\n' < /proc/$$/environ > \"$FLEET_JOB_DIR/environ\"; ls -a \"$FLEET_JOB_DIR\" > \"$FLEET_JOB_DIR/ls\"";
        RemoteJob.Outcome outcome = new RemoteJob("sudo-job-ok", script).withSudo(true).run(context, Duration.ofMinutes(2));
        assertTrue(outcome.succeeded(), outcome.output());
        assertEquals("root\nnobody", outcome.output().strip());
        Path jobDir = login.home().resolve(".omero-fleet/jobs/sudo-job-ok");
        assertFalse(Files.readString(jobDir.resolve("ls")).contains("sudo.fifo"), "the FIFO is still there while the job runs");
        try (Stream<Path> files = Files.list(jobDir)) {
            for (Path f : files.toList()) {
                assertFalse(Files.readString(f).contains(PASSWORD.strip()), "the password is in " + f);
            }
        }
    }

    @Test
    void aDetachedJobWithAWrongBecomePasswordFailsWithIncorrectSudoPassword() throws Exception {
        ModuleContext context = context(SudoShell.of(Optional.of("not the password")));
        Path marker = login.home().resolve("job-wrong-ran");
        assertThrows(TransportException.BecomeRefusedException.class,
                () -> new RemoteJob("sudo-job-wrong", "fleet_sudo touch " + marker).withSudo(true).run(context, Duration.ofMinutes(2)));
        assertFalse(Files.exists(marker));
    }
}
