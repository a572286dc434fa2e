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
@Command(name = "run", description = "Run a playbook against an inventory (like ansible-playbook).")
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
