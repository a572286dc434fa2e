package org.omerofleet.cli;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Give options their defaults from Ansible's configuration ({@link AnsibleConfig}): an option given on
 * the command line wins, as in Ansible; an option neither given nor configured keeps its own default.
 */
final class ConfigDefaults implements IDefaultValueProvider {

    /** The option holders whose options mean what Ansible's settings mean. */
    private static final java.util.Set<Class<?>> CONFIGURED = java.util.Set.of(InventoryOptions.class, ConnectionOptions.class,
            RunControlOptions.class, InventoryCommand.class, PingCommand.class);

    private final Supplier<AnsibleConfig> source;
    private final java.nio.file.Path home;
    private AnsibleConfig config;

    ConfigDefaults(Supplier<AnsibleConfig> source, java.nio.file.Path home) {
        this.source = source;
        this.home = home;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec) || !(arg.userObject() instanceof java.lang.reflect.Field field)
                || !CONFIGURED.contains(field.getDeclaringClass())) {
            return null; // bench's --forks (all hosts by default) and the like are not Ansible's settings
        }
        if (config == null) {
            config = source.get();
        }
        return value(((OptionSpec) arg).longestName()).orElse(null);
    }

    private Optional<String> value(String option) {
        switch (option) {
            case "--inventory":
                return config.inventory(home);
            case "--forks":
                return config.string("forks");
            case "--user":
                return config.string("remote_user");
            case "--private-key":
                return config.path("private_key_file", home);
            case "--host-key-checking":
                // Ansible's False checks nothing; the nearest this program offers is accept-new (a changed key is still refused)
                return config.string("host_key_checking").map(v -> bool(v).map(b -> b ? "strict" : "accept-new").orElse(v));
            case "--become":
                return config.string("become").map(v -> bool(v).map(String::valueOf).orElse(v));
            case "--become-user":
                return config.string("become_user");
            case "--become-password-file":
                return config.path("become_password_file", home);
            case "--ask-become-pass":
                return config.string("become_ask_pass").map(v -> bool(v).map(String::valueOf).orElse(v));
            default:
                return Optional.empty();
        }
    }

    private static Optional<Boolean> bool(String v) {
        switch (v.toLowerCase(Locale.ROOT)) {
            case "yes": case "y": case "true": case "t": case "on": case "1":
                return Optional.of(true);
            case "no": case "n": case "false": case "f": case "off": case "0":
                return Optional.of(false);
            default:
                return Optional.empty();
        }
    }
}
