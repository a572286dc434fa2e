package org.omerofleet.modules.omero;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.omerofleet.modules.Args;
import org.omerofleet.modules.Expressions;
import org.omerofleet.modules.TaskContext;
import org.omerofleet.sandbox.SandboxFleet;
import org.omerofleet.transport.Connection;
import org.omerofleet.transport.ConnectionFactory;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.HostKeyPolicy;
import org.omerofleet.transport.PassphraseProvider;
import org.omerofleet.transport.SshTarget;
import org.omerofleet.transport.mina.MinaConnectionFactory;

/** What omero-fleet leaves on a host for itself is the login user's only (reliability.md SEC-07), on a sandbox host over real SSH. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteFilesTest {

    Path dir;
    SandboxFleet fleet;
    ConnectionFactory factory;

    @BeforeAll
    void start(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        fleet = SandboxFleet.start(dir.resolve("fleet"), List.of("f1", "j1"));
        factory = new MinaConnectionFactory(PassphraseProvider.none(), name -> null);
    }

    @AfterAll
    void stop() {
        factory.close();
        fleet.close();
    }

    private TaskContext context(String host) throws Exception {
        Connection c = factory.open(new SshTarget(host, "127.0.0.1", fleet.host(host).port(), fleet.user(), List.of(fleet.clientKey()),
                Optional.empty(), fleet.knownHosts(), HostKeyPolicy.STRICT, Duration.ofSeconds(5), 0, Duration.ofSeconds(15), Optional.empty(),
                List.of()));
        return new TaskContext() {
            public String host() { return host; }
            public Connection connection() { return c; }
            public Map<String, Object> vars() { return Map.of(); }
            public boolean checkMode() { return false; }
            public boolean diffMode() { return false; }
            public Path baseDir() { return dir; }
            public Path runDir() { return dir; }
            public Expressions expressions() { throw new UnsupportedOperationException(); }
            public Clock clock() { return Clock.systemUTC(); }
            public String stepKey() { return "t1"; }
            public void log(String line) { }
            public void addSecret(String value) { }
        };
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void SEC07_theBackupDirectoryIsCreatedReadableByTheUserOnly() throws Exception {
        // no OMERO.server here: the facts fail, after the backup directory was made
        new OmeroFacts().run(context("f1"), new Args("omero_facts", Map.of("server_dir", "no-server-here")));
        assertEquals("rwx------", mode(fleet.host("f1").home().resolve("omero-backups")));
    }

    @Test
    void SEC07_aDetachedJobsFilesAreTheUsersOnlyWhileItsScriptKeepsTheLoginsUmask() throws Exception {
        TaskContext context = context("j1");
        String loginUmask = context.connection().exec(ExecRequest.shell("umask")).stdout().strip();
        RemoteJob.Outcome outcome = RemoteJob.forStep(context, "probe", "umask").run(context, Duration.ofMinutes(2));
        assertTrue(outcome.succeeded(), outcome.output());
        assertEquals(loginUmask, outcome.output().strip(), "the job's script runs with the login's own umask");
        Path home = fleet.host("j1").home();
        Path job = home.resolve(".omero-fleet/jobs/probe-t1");
        for (Path d : List.of(home.resolve(".omero-fleet"), home.resolve(".omero-fleet/jobs"), job)) {
            assertEquals("rwx------", mode(d), d.toString());
        }
        for (String f : List.of("pid", "out", "rc")) {
            assertEquals("rw-------", mode(job.resolve(f)), f);
        }
    }
}
