package org.omerofleet.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Name the inventory, the {@code --limit} and the extra variables; shared by every command that
 * works on hosts.
 */
public final class InventoryOptions {

    @Option(names = {"-i", "--inventory"}, paramLabel = "FILE|HOSTS",
            description = "Ansible inventory, YAML (.yml/.yaml) or INI, group_vars/ and host_vars/ beside it read too;"
                    + " or a comma-separated host list such as 'omero.example.org,'")
    Path inventory; // initialized by picocli

    @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN",
            description = "further limit hosts: names, groups, globs, a:b, a:&b, a:!b, @file")
    String limit;

    @Option(names = {"-e", "--extra-vars"}, paramLabel = "VARS",
            description = "extra variables, highest precedence: k=v k2=v2, @file.yml, or a JSON/YAML mapping (repeatable)")
    List<String> extraVars = new ArrayList<>();

    @Mixin
    VaultOptions vault = new VaultOptions();

    Optional<String> limit() {
        return Optional.ofNullable(limit);
    }
}
