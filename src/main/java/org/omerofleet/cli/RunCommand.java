package org.omerofleet.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Run any playbook against an inventory, like {@code ansible-playbook}.
 */
@Command(name = "run", mixinStandardHelpOptions = true, version = FleetCommand.VERSION,
        footerHeading = FleetCommand.EXAMPLES, footer = {"  omero-fleet run playbooks/site.yml -i inventories/example.yml -f 20 -e \\",
            "      omero_target=4.4.1",
            "  omero-fleet run playbooks/upgrade.yml -i inventories/prod.yml --check -e \\",
            "      release_zip=$PWD/OMERO.server-4.4.1-ice34-b3035.zip",
            "  omero-fleet run playbooks/site.yml -i omero.example.org, --list-tasks --list-hosts",
            "  omero-fleet run site.yml -i hosts.yml --vault-password-file ~/.vault_pass -b"},
        description = "Run a playbook against an inventory (like ansible-playbook).")
final class RunCommand implements Callable<Integer> {

    private final Services services;

    @Parameters(index = "0", paramLabel = "PLAYBOOK", description = "the playbook file")
    Path playbook; // initialized by picocli

    @Mixin
    InventoryOptions inventory;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    RunControlOptions control;

    @Option(names = "--syntax-check", description = "load and check the playbook, print its name, touch no host")
    boolean syntaxCheck;

    @Option(names = "--list-hosts", description = "print each play's hosts, as ansible-playbook does, and run nothing")
    boolean listHosts;

    @Option(names = "--list-tasks", description = "print each play's tasks with their tags, as ansible-playbook does, and run nothing")
    boolean listTasks;

    @Option(names = "--list-tags", description = "print each play's tags, as ansible-playbook does, and run nothing")
    boolean listTags;

    RunCommand(Services services) {
        this.services = services;
    }

    @Override
    public Integer call() throws Exception {
        if (syntaxCheck || listHosts || listTasks || listTags) {
            java.util.Set<PlaybookListing.What> what = java.util.EnumSet.noneOf(PlaybookListing.What.class);
            if (listHosts) {
                what.add(PlaybookListing.What.HOSTS);
            }
            if (listTasks) {
                what.add(PlaybookListing.What.TASKS);
            }
            if (listTags) {
                what.add(PlaybookListing.What.TAGS);
            }
            return new PlaybookRun(services, inventory, connection, control).list(playbook, new PlaybookListing(what,
                    new java.util.LinkedHashSet<>(control.tags), new java.util.LinkedHashSet<>(control.skipTags)));
        }
        return new PlaybookRun(services, inventory, connection, control).run(playbook, Map.of(), Optional.empty());
    }
}
