package org.omerofleet.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The root command: {@code omero-fleet <command>}.
 */
@Command(name = "omero-fleet", mixinStandardHelpOptions = true, version = FleetCommand.VERSION,
        description = "Upgrade, back up, restore and report on fleets of OMERO.server hosts over SSH, Ansible-style.",
        subcommands = {DemoCommand.class, OmeroCommands.Plan.class, OmeroCommands.Upgrade.class, OmeroCommands.Backup.class,
            OmeroCommands.Restore.class, OmeroCommands.Optimize.class, OmeroCommands.Unlock.class, OmeroCommands.Report.class,
            HistoryCommand.class, ResumeCommand.class, RunCommand.class, InventoryCommand.class, PingCommand.class, BenchCommand.class,
            SandboxCommand.class, CommandLine.HelpCommand.class},
        footerHeading = FleetCommand.EXAMPLES,
        footer = {"  omero-fleet demo",
            "  omero-fleet plan -i inventories/prod.yml --release \\",
            "      OMERO.server-4.4.1-ice34-b3035.zip",
            "  omero-fleet upgrade -i inventories/prod.yml --release \\",
            "      OMERO.server-4.4.1-ice34-b3035.zip --serial 1,25%%",
            "  omero-fleet help upgrade"})
final class FleetCommand implements Runnable {

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
