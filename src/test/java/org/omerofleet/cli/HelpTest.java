package org.omerofleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class HelpTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private final Services shared = Main.services(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    private Services services() {
        return shared;
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** {@return every command below the root, as the words that name it, read from the picocli model} */
    private static List<List<String>> commands(CommandLine command, List<String> path) {
        List<List<String>> all = new ArrayList<>();
        for (CommandLine sub : command.getSubcommands().values()) {
            List<String> words = new ArrayList<>(path);
            words.add(sub.getCommandName());
            all.add(words);
            all.addAll(commands(sub, words));
        }
        return all;
    }

    private void assertUsageWithExample(List<String> args) {
        out.reset();
        err.reset();
        int exit = Main.execute(services(), args.toArray(String[]::new));
        String what = String.join(" ", args) + "\nstdout:\n" + stdout() + "\nstderr:\n" + stderr();
        assertEquals(ExitCodes.OK, exit, what);
        assertTrue(stdout().contains("Usage: omero-fleet"), what);
        assertTrue(stdout().contains("Examples:\n  omero-fleet "), what);
        assertEquals("", stderr(), what);
    }

    @Test
    void everyCommandAnswersHelpWithUsageAndAnExample() {
        List<List<String>> commands = commands(Main.commandLine(services()), List.of());
        assertTrue(commands.size() >= 15 && commands.contains(List.of("upgrade")) && commands.contains(List.of("help")), commands.toString());
        assertUsageWithExample(List.of("--help"));
        assertUsageWithExample(List.of("-h"));
        assertUsageWithExample(List.of("upgrade", "-h"));
        for (List<String> command : commands) {
            List<String> args = new ArrayList<>(command);
            args.add("--help");
            assertUsageWithExample(args);
            if (command.size() == 1) {
                assertUsageWithExample(List.of("help", command.get(0)));
            }
        }
    }

    @Test
    void helpIsNeverRelaunchedInASizedJvm() {
        assertFalse(Relaunch.wanted(List.of(), java.util.Map.of(), new String[] {"help", "upgrade"}));
        assertFalse(Relaunch.wanted(List.of(), java.util.Map.of(), new String[] {"upgrade", "-h"}));
        assertFalse(Relaunch.wanted(List.of(), java.util.Map.of(), new String[] {"bench", "--help"}));
    }

    @Test
    void aBadOptionValueIsInvalidInputWithExitFive(@TempDir Path dir) throws Exception {
        assertEquals(ExitCodes.INVALID_INPUT, Main.execute(services(), "bench", "no-such-workload"));
        assertTrue(stderr().contains("error: unknown workload 'no-such-workload'"), stderr());
        // a range check made outside the cli package (RunOptions) is still a usage error, not a bug
        Path inventory = Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    omero1: {ansible_host: 192.0.2.1}\n");
        Path playbook = Files.writeString(dir.resolve("site.yml"), "- hosts: all\n  gather_facts: false\n  tasks:\n    - command: 'true'\n");
        err.reset();
        assertEquals(ExitCodes.INVALID_INPUT, Main.execute(services(), "run", playbook.toString(), "-i", inventory.toString(), "-f", "0",
                "--runs-dir", dir.resolve("runs").toString()));
        assertTrue(stderr().contains("error: --forks must be between 1 and 5000, got 0"), stderr());
    }

    @Test
    void aMistypedRequiredOptionIsNamedAsUnknownWithSuggestionsNotAsMissing() {
        assertEquals(ExitCodes.INVALID_INPUT, Main.execute(services(), "plan", "-i", "omero.example.org,", "--relase", "x.zip"));
        assertTrue(stderr().contains("Unknown option: '--relase'"), stderr());
        assertTrue(stderr().contains("--release"), "suggested: " + stderr());
        assertFalse(stderr().contains("Missing required option"), stderr());
        err.reset();
        assertEquals(ExitCodes.INVALID_INPUT, Main.execute(services(), "plan", "-i", "omero.example.org,"));
        assertTrue(stderr().contains("Missing required option: '--release=ZIP'"), "no typo: the missing option is named: " + stderr());
    }

    /** A command with a bug: an exception nobody meant to throw. */
    @Command(name = "broken")
    static final class Broken implements Callable<Integer> {
        private final Services services;
        private final Path runDir;

        Broken(Services services, Path runDir) {
            this.services = services;
            this.runDir = runDir;
        }

        @Override
        public Integer call() {
            if (runDir != null) {
                services.internalErrors().runStarted(runDir);
            }
            throw new IllegalArgumentException("a bug\nover two lines");
        }
    }

    private int runBroken(Path runDir) {
        Services services = services();
        CommandLine cli = Main.commandLine(services);
        cli.addSubcommand(new Broken(services, runDir));
        cli.setErr(new java.io.PrintWriter(services.err(), true, StandardCharsets.UTF_8));
        return cli.execute("broken");
    }

    @Test
    void anUnexpectedExceptionIsAnInternalErrorOnOneLineWithItsStackTraceInTheRunDirectory(@TempDir Path runDir) throws Exception {
        assertEquals(ExitCodes.INTERNAL_ERROR, runBroken(runDir));
        assertEquals(1, stderr().lines().count(), stderr());
        Path trace = runDir.resolve(InternalErrors.FILE);
        assertTrue(stderr().startsWith("internal error: java.lang.IllegalArgumentException: a bug / over two lines"), stderr());
        assertTrue(stderr().contains(trace.toString()), stderr());
        assertTrue(Files.readString(trace).contains("at org.omerofleet.cli.HelpTest$Broken.call"), Files.readString(trace));
    }

    @Test
    void withoutARunDirectoryTheStackTraceGoesToATemporaryFileTheMessageNames() throws Exception {
        assertEquals(ExitCodes.INTERNAL_ERROR, runBroken(null));
        Matcher named = Pattern.compile("stack trace in (\\S+)\\)").matcher(stderr());
        assertTrue(named.find(), stderr());
        Path trace = Path.of(named.group(1));
        try {
            assertTrue(Files.readString(trace).contains("IllegalArgumentException: a bug"), Files.readString(trace));
        } finally {
            Files.deleteIfExists(trace);
        }
    }
}
