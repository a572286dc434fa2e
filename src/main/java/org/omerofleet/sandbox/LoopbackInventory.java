package org.omerofleet.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Write an Ansible YAML inventory for SSH hosts listening on 127.0.0.1: every host in group
 * {@code sandbox} with its port, and the user, key and known_hosts file shared by all.
 */
public final class LoopbackInventory {

    private LoopbackInventory() {
    }

    /** How every host is reached: the login user, the client's private key and the known_hosts file. */
    public record Access(String user, Path clientKey, Path knownHosts) {
    }

    /**
     * @param ports     host name to SSH port, in inventory order
     * @param extraVars more variables per host (may be empty)
     */
    public static void write(Path file, Access access, Map<String, Integer> ports, Map<String, Map<String, Object>> extraVars) throws IOException {
        StringBuilder yaml = new StringBuilder("# written by omero-fleet for hosts on 127.0.0.1; ports change on every start\n");
        yaml.append("all:\n  vars:\n");
        yaml.append("    ansible_user: ").append(quote(access.user())).append('\n');
        yaml.append("    ansible_ssh_private_key_file: ").append(quote(access.clientKey().toAbsolutePath().toString())).append('\n');
        yaml.append("    fleet_known_hosts: ").append(quote(access.knownHosts().toAbsolutePath().toString())).append('\n');
        yaml.append("  children:\n    sandbox:\n      hosts:\n");
        for (Map.Entry<String, Integer> host : ports.entrySet()) {
            yaml.append("        ").append(host.getKey()).append(":\n");
            yaml.append("          ansible_host: 127.0.0.1\n");
            yaml.append("          ansible_port: ").append(host.getValue()).append('\n');
            for (Map.Entry<String, Object> v : extraVars.getOrDefault(host.getKey(), Map.of()).entrySet()) {
                yaml.append("          ").append(v.getKey()).append(": ").append(quote(String.valueOf(v.getValue()))).append('\n');
            }
        }
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
    }

    private static String quote(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
