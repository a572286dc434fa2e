package org.omerofleet.cli;

import picocli.CommandLine.Command;

/**
 * The root command: {@code omero-fleet <command>}.
 */
@Command(name = "omero-fleet", mixinStandardHelpOptions = true, version = "omero-fleet 0.1.0",
        description = "Upgrade, back up, restore and report on fleets of OMERO.server hosts over SSH, Ansible-style.",
        subcommands = {DemoCommand.class, OmeroCommands.Plan.class, OmeroCommands.Upgrade.class, OmeroCommands.Backup.class,
            OmeroCommands.Restore.class, OmeroCommands.Optimize.class, OmeroCommands.Unlock.class, OmeroCommands.Report.class,
            HistoryCommand.class, ResumeCommand.class, RunCommand.class, InventoryCommand.class, PingCommand.class, BenchCommand.class})
final class FleetCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec; // initialized by picocli

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
