package org.omerofleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --transport}, {@code --host-key-checking} and {@code --format} take one of their listed values, and say which. */
class EnumOptionsTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Services services = Main.services(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsTheValuesOfEveryEnumOption() {
        assertEquals(ExitCodes.OK, Main.execute(services, "run", "--help"));
        String help = stdout().replaceAll("\\s+", " ");
        assertTrue(help.contains("SSH implementation: mina, jsch (default mina)"), help);
        assertTrue(help.contains("strict, accept-new: strict (default) refuses unknown keys"), help);
        out.reset();
        assertEquals(ExitCodes.OK, Main.execute(services, "report", "--help"));
        assertTrue(stdout().contains("table, json, csv, html (default table)"), stdout());
    }

    @Test
    void anUnknownValueIsInvalidInputNamingTheValuesAccepted(@TempDir Path dir) throws Exception {
        Path inventory = Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    omero1: {ansible_host: 192.0.2.1}\n");
        String runs = dir.resolve("runs").toString();
        assertEquals(ExitCodes.INVALID_INPUT, Main.execute(services, "report", "-i", inventory.toString(), "--format", "xml", "--runs-dir", runs));
        assertTrue(stderr().contains("Invalid value for option '--format': expected one of [table, json, csv, html]"), stderr());
        err.reset();
        assertEquals(ExitCodes.INVALID_INPUT, Main.execute(services, "ping", "-i", inventory.toString(), "--transport", "libssh"));
        assertTrue(stderr().contains("Invalid value for option '--transport': expected one of [mina, jsch]"), stderr());
        err.reset();
        assertEquals(ExitCodes.INVALID_INPUT, Main.execute(services, "ping", "-i", inventory.toString(), "--host-key-checking", "no"));
        assertTrue(stderr().contains("Invalid value for option '--host-key-checking': expected one of [strict, accept-new]"), stderr());
        assertFalse(Files.exists(dir.resolve("runs")), "no run was started");
    }

    @Test
    void theWordsShownAreTheWordsRead() {
        picocli.CommandLine.ParseResult parsed = Main.commandLine(services)
                .parseArgs("ping", "-i", "inv.yml", "--transport", "jsch", "--host-key-checking", "accept-new").subcommand();
        assertEquals(ConnectionOptions.Transport.JSCH, parsed.matchedOptionValue("--transport", null));
        assertEquals(ConnectionOptions.HostKeyChecking.ACCEPT_NEW, parsed.matchedOptionValue("--host-key-checking", null));
    }
}
