package org.omerofleet.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * Run any playbook against an inventory, like {@code ansible-playbook}.
 */
@Command(name = "run", mixinStandardHelpOptions = true, version = FleetCommand.VERSION,
        footerHeading = FleetCommand.EXAMPLES, footer = {"  omero-fleet run playbooks/site.yml -i inventories/example.yml -f 20 -e \\",
            "      omero_target=4.4.1",
            "  omero-fleet run playbooks/upgrade.yml -i inventories/prod.yml --check -e \\",
            "      release_zip=$PWD/OMERO.server-4.4.1-ice34-b3035.zip"},
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

    RunCommand(Services services) {
        this.services = services;
    }

    @Override
    public Integer call() throws Exception {
        return new PlaybookRun(services).run(playbook, inventory, connection, control, Map.of(), Optional.empty());
    }
}
