package org.omerofleet.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.omerofleet.transport.CommandResult;
import org.omerofleet.transport.Connection;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.LocalConnection;
import org.omerofleet.transport.PortForward;
import org.omerofleet.transport.TransportException;

/** A task's environment reaches the command through a real shell, and its values never appear in the command line. */
class TaskEnvironmentTest {

    /** The controller's own shell, remembering each command line it was given. */
    private static final class Recording implements Connection {
        final LocalConnection local = new LocalConnection();
        final List<String> commands = new ArrayList<>();

        @Override
        public CommandResult exec(ExecRequest request) throws TransportException {
            commands.add(request.command());
            return local.exec(request);
        }

        @Override
        public String upload(Path l, String r, int mode, Optional<String> sha256) throws TransportException {
            return local.upload(l, r, mode, sha256);
        }

        @Override
        public String download(String r, Path l) throws TransportException {
            return local.download(r, l);
        }

        @Override
        public PortForward forwardLocal(String host, int port) throws TransportException {
            return local.forwardLocal(host, port);
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void valuesWithQuotesAndDollarsArriveVerbatimAndStayOutOfTheCommandLine() throws Exception {
        Recording shell = new Recording();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DB_PASSWORD", "s3cr'et \"$HOME\" `id` ; x");
        env.put("MODE", "fast");
        Connection withEnv = TaskEnvironment.apply(shell, env);

        CommandResult r = withEnv.exec(ExecRequest.shell("printf '%s|%s' \"$DB_PASSWORD\" \"$MODE\""));

        assertEquals(0, r.rc(), r.stderr());
        assertEquals("s3cr'et \"$HOME\" `id` ; x|fast", r.stdout());
        assertFalse(shell.commands.get(0).contains("s3cr"), shell.commands.get(0));
    }

    @Test
    void theCommandStillReadsItsOwnStandardInput() throws Exception {
        Connection withEnv = TaskEnvironment.apply(new Recording(), Map.of("A", "1"));

        CommandResult r = withEnv.exec(ExecRequest.shell("cat; printf '%s' \"$A\"").withStdin("input\n".getBytes(StandardCharsets.UTF_8)));

        assertEquals("input\n1", r.stdout());
    }
}
