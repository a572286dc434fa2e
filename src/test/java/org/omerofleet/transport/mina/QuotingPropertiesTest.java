package org.omerofleet.transport.mina;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.omerofleet.sandbox.SandboxFleet;
import org.omerofleet.sandbox.SandboxHost;
import org.omerofleet.transport.Connection;
import org.omerofleet.transport.ExecRequest;
import org.omerofleet.transport.HostKeyPolicy;
import org.omerofleet.transport.PassphraseProvider;
import org.omerofleet.transport.SshTarget;

/** IN-04 / SEC: hostile values reach the remote command byte for byte through the real shell over SSH. */
class QuotingPropertiesTest {

    static Path dir;
    static SandboxFleet fleet;
    static MinaConnectionFactory factory;
    static Connection connection;

    /** Started on first use: jqwik may visit the container without running its properties. */
    static synchronized Connection connection() throws Exception {
        if (connection != null) {
            return connection;
        }
        dir = java.nio.file.Files.createTempDirectory("quoting");
        fleet = SandboxFleet.start(dir, List.of("q1"));
        factory = new MinaConnectionFactory(PassphraseProvider.none(), name -> null);
        SandboxHost host = fleet.host("q1");
        connection = factory.open(new SshTarget("q1", "127.0.0.1", host.port(), fleet.user(), List.of(fleet.clientKey()), Optional.empty(),
                fleet.knownHosts(), HostKeyPolicy.STRICT, Duration.ofSeconds(5), 0, Duration.ZERO, Optional.empty(), List.of()));
        return connection;
    }

    @AfterContainer
    static synchronized void stop() {
        if (connection != null) {
            connection.close();
            factory.close();
            fleet.close();
            connection = null;
        }
    }

    @Provide
    Arbitrary<String> hostile() {
        Arbitrary<String> pieces = Arbitraries.of("$(id)", "`id`", "'", "\"", "\n", ";", "-", "--", "\\", "$HOME", "*", "&&", "|", " ", "\t",
                "é", "#", "!", "${x}", ">", "<", "~");
        Arbitrary<String> plain = Arbitraries.strings().withCharRange('!', '~').ofMaxLength(5);
        return Arbitraries.oneOf(pieces, plain).list().ofMinSize(1).ofMaxSize(8).map(l -> String.join("", l));
    }

    @Property(tries = 60)
    void IN04_valuesReachTheRemoteCommandByteForByte(@ForAll("hostile") String value) throws Exception {
        var result = connection().exec(ExecRequest.argv(List.of("printf", "%s", value)));
        assertEquals(0, result.rc(), result.stderr());
        assertEquals(value, result.stdout());
        assertEquals(value.getBytes(StandardCharsets.UTF_8).length, result.stdout().getBytes(StandardCharsets.UTF_8).length);
    }
}
