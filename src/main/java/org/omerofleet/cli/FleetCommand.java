package org.omerofleet.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The root command: {@code omero-fleet <command>}.
 */
@Command(name = "omero-fleet", mixinStandardHelpOptions = true, version = FleetCommand.VERSION,
        description = "Upgrade, back up, restore and report on fleets of OMERO.server hosts over SSH, Ansible-style.",
        footerHeading = FleetCommand.EXAMPLES,
        footer = {"  omero-fleet demo",
            "  omero-fleet plan -i inventories/prod.yml --release \\",
            "      OMERO.server-4.4.1-ice34-b3035.zip",
            "  omero-fleet upgrade -i inventories/prod.yml --release \\",
            "      OMERO.server-4.4.1-ice34-b3035.zip --serial 1,25%%",
            "  omero-fleet help upgrade"})
final class FleetCommand implements Runnable {

    /** The subcommands, in the order the usage lists them (added by {@link Main#commandLine}, not by the annotation). */
    static final List<Class<?>> SUBCOMMANDS = List.of(DemoCommand.class, OmeroCommands.Plan.class, OmeroCommands.Upgrade.class,
            OmeroCommands.Backup.class, OmeroCommands.Restore.class, OmeroCommands.Optimize.class, OmeroCommands.Unlock.class,
            OmeroCommands.Report.class, HistoryCommand.class, ResumeCommand.class, RunCommand.class, InventoryCommand.class, PingCommand.class,
            BenchCommand.class, SandboxCommand.class, CommandLine.HelpCommand.class);

    /**
     * {@return the subcommands that running {@code args} needs}: the one it names, or all of them for the root's own
     * usage, {@code help}, or a name that is not a command (whose error suggests the nearest). picocli builds the model
     * of every subcommand it is given, which took a fifth of a second of every start when it was given all of them.
     */
    static List<Class<?>> subcommandsFor(List<String> args) {
        if (args.isEmpty()) {
            return SUBCOMMANDS;
        }
        List<Class<?>> named = SUBCOMMANDS.stream().filter(c -> !c.equals(CommandLine.HelpCommand.class)
                && c.getAnnotation(Command.class).name().equals(args.get(0))).toList();
        return named.isEmpty() ? SUBCOMMANDS : named;
    }

    /** What {@code --version} prints, for the root command and every subcommand. */
    static final String VERSION = "omero-fleet 0.1.0";

    /** The heading of every command's examples, which close its usage message. */
    static final String EXAMPLES = "%nExamples:%n";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec; // initialized by picocli

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
