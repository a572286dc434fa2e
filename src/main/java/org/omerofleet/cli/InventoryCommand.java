package org.omerofleet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.omerofleet.executor.Redactor;
import org.omerofleet.inventory.Group;
import org.omerofleet.inventory.HostPattern;
import org.omerofleet.inventory.Inventory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Show an inventory's groups, hosts and merged variables, like {@code ansible-inventory}.
 */
@Command(name = "inventory", mixinStandardHelpOptions = true, version = FleetCommand.VERSION,
        footerHeading = FleetCommand.EXAMPLES, footer = {"  omero-fleet inventory -i inventories/example.yml",
            "  omero-fleet inventory -i inventories/example.ini --graph"},
        description = "Show groups, hosts and merged variables (like ansible-inventory --list / --graph).")
final class InventoryCommand implements Callable<Integer> {

    private final Services services;

    @Option(names = {"-i", "--inventory"}, paramLabel = "FILE|HOSTS",
            description = "Ansible inventory, YAML or INI, or a comma-separated host list such as 'omero.example.org,'")
    Path inventory; // initialized by picocli

    @picocli.CommandLine.Mixin
    VaultOptions vaultOptions = new VaultOptions();

    @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN", description = "only these hosts")
    String limit;

    @Option(names = "--graph", description = "print the group tree instead of JSON")
    boolean graph;

    InventoryCommand(Services services) {
        this.services = services;
    }

    @Override
    public Integer call() throws Exception {
        org.omerofleet.yaml.Vault vault = vaultOptions.vault(services.config(), services.home());
        Inventory inv = services.inventory(inventory, vault);
        Redactor redactor = new Redactor(vault.revealed());
        List<String> hosts = limit == null ? new ArrayList<>(inv.hosts().keySet())
                : HostPattern.select(inv, limit, Path.of("").toAbsolutePath());
        // a set: looking each group's hosts up in the list was quadratic (minutes for 200,000 hosts)
        Set<String> selected = new HashSet<>(hosts);
        if (graph) {
            printGraph(inv, "all", 0, selected);
            return ExitCodes.OK;
        }
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> hostvars = new LinkedHashMap<>();
        for (String h : hosts) {
            hostvars.put(h, redacted(inv.host(h).orElseThrow().vars(), redactor));
        }
        root.put("_meta", Map.of("hostvars", hostvars));
        for (Group group : inv.groups().values()) {
            Map<String, Object> g = new LinkedHashMap<>();
            List<String> members = group.hosts().stream().filter(selected::contains).toList();
            if (!members.isEmpty()) {
                g.put("hosts", members);
            }
            if (!group.children().isEmpty()) {
                g.put("children", group.children());
            }
            if (!group.vars().isEmpty()) {
                g.put("vars", redacted(group.vars(), redactor));
            }
            root.put(group.name(), g);
        }
        services.out().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root));
        return ExitCodes.OK;
    }

    private static Map<String, Object> redacted(Map<String, Object> vars, Redactor vaulted) {
        return new Redactor(Redactor.secretsIn(vars)).redactMap(vaulted.redactMap(vars));
    }

    private void printGraph(Inventory inv, String group, int depth, Set<String> hosts) {
        String indent = "  |".repeat(depth);
        services.out().println(indent + "--@" + group + ":");
        Group g = inv.groups().get(group);
        for (String child : g.children()) {
            printGraph(inv, child, depth + 1, hosts);
        }
        for (String h : g.hosts()) {
            if (hosts.contains(h)) {
                services.out().println(indent + "  |--" + h);
            }
        }
    }
}
