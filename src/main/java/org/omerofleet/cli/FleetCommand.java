package org.omerofleet.cli;

import picocli.CommandLine.Command;

/**
 * The root command: {@code omero-fleet <command>}.
 */
@Command(name = "omero-fleet", mixinStandardHelpOptions = true, version = "omero-fleet 0.1.0",
        description = "Upgrade, back up, restore and report on fleets of OMERO.server hosts over SSH, Ansible-style.",
        subcommands = {DemoCommand.class, OmeroCommands.Plan.class, OmeroCommands.Upgrade.class, OmeroCommands.Backup.class,
            OmeroCommands.Restore.class, OmeroCommands.Optimize.class, OmeroCommands.Unlock.class, OmeroCommands.Report.class,
            HistoryCommand.class, RunCommand.class, InventoryCommand.class, PingCommand.class, BenchCommand.class},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
            "0:all hosts succeeded or were already up to date",
            "1:internal error",
            "2:some host failed safely (no change, or rolled back)",
            "3:some host needs attention (see the report for recovery commands)",
            "4:some hosts unreachable, none failed",
            "5:invalid input or usage; nothing was touched",
            "130:interrupted (hosts in flight finished their current step)"})
final class FleetCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec; // initialized by picocli

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
