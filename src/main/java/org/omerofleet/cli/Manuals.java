package org.omerofleet.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Write the manual pages (AsciiDoc, one per command) and the bash completion script from the same
 * command model the program runs with, so they cannot drift from {@code --help}. Run by the build
 * ({@code mvn package}, exec-maven-plugin) only: picocli-codegen is a build-time ({@code provided})
 * dependency and is not in the jar.
 */
public final class Manuals {

    private Manuals() {
    }

    /** {@code Manuals OUT_DIR}: writes {@code OUT_DIR/man/*.adoc} and {@code OUT_DIR/completion/omero-fleet}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new UsageException("usage: Manuals OUT_DIR");
        }
        Path out = Path.of(args[0]);
        CommandLine cli = Main.commandLine(Main.services(new PrintStream(PrintStream.nullOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(PrintStream.nullOutputStream(), true, StandardCharsets.UTF_8)));
        Path man = Files.createDirectories(out.resolve("man"));
        int exit = ManPageGenerator.generateManPage(man.toFile(), (File) null, new boolean[0], true, cli.getCommandSpec());
        if (exit != 0) {
            throw new IOException("the manual pages could not be written (exit " + exit + ")");
        }
        Path completion = Files.createDirectories(out.resolve("completion"));
        Files.writeString(completion.resolve("omero-fleet"), AutoComplete.bash("omero-fleet", cli));
    }
}
