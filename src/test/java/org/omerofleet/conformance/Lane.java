package org.omerofleet.conformance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.omerofleet.sandbox.OpenSshFleet;

/**
 * Four real sshd hosts, {@code h1}..{@code h4}, and {@code down}, a port nothing listens on, as one
 * case sees them. Several lanes run cases side by side on disjoint daemons; in every lane the hosts
 * have the same inventory names, so outcomes compare across lanes. Each host has its own directory,
 * {@code fleet_dir}, that the cases write to; it is emptied before each run and read after it.
 */
final class Lane implements AutoCloseable {

    static final List<String> HOSTS = List.of("h1", "h2", "h3", "h4");
    static final String DOWN = "down";

    private final OpenSshFleet fleet;
    private final String prefix;
    private final Path root;
    /** Bound but never listening: a connection to it is refused at once, and no other process can take the port. */
    private final Socket downPort;

    Lane(OpenSshFleet fleet, String prefix, Path root) throws IOException {
        this.fleet = fleet;
        this.prefix = prefix;
        this.root = Files.createDirectories(root);
        this.downPort = new Socket();
        downPort.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** {@return the sshd names this lane needs in the fleet} */
    static List<String> daemons(String prefix) {
        return HOSTS.stream().map(h -> prefix + h).toList();
    }

    Path root() {
        return root;
    }

    OpenSshFleet fleet() {
        return fleet;
    }

    Path dataDir(String host) {
        return host.equals(DOWN) ? root.resolve("down-data") : fleet.workDir(prefix + host).resolve("data");
    }

    /** Empty every host's directory (and create it). */
    void clear() throws IOException {
        for (String host : HOSTS) {
            Path dir = dataDir(host);
            if (Files.exists(dir)) {
                try (Stream<Path> walk = Files.walk(dir)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(dir);
        }
    }

    /**
     * {@return per host, its directory's tree as {@code path=content} entries in name order, directories
     * as {@code path/}, newlines in contents written {@code \n}}
     */
    Map<String, String> snapshot() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String host : HOSTS) {
            Path dir = dataDir(host);
            StringBuilder tree = new StringBuilder();
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted().toList()) {
                    if (p.equals(dir)) {
                        continue;
                    }
                    String rel = dir.relativize(p).toString();
                    tree.append(tree.length() == 0 ? "" : "; ");
                    if (Files.isDirectory(p)) {
                        tree.append(rel).append('/');
                    } else {
                        tree.append(rel).append('=').append(Files.readString(p, StandardCharsets.UTF_8).replace("\n", "\\n"));
                    }
                }
            }
            out.put(host, tree.toString());
        }
        return out;
    }

    /**
     * Write the inventory both tools read: group {@code fleet} with children {@code web} (h1, h2) and
     * {@code db} (h3, h4), group {@code offline} with {@code down}; connection variables for Ansible
     * (omero-fleet ignores the Python interpreter) and {@code fleet_dir}; then the case's own variables.
     */
    @SuppressWarnings("unchecked")
    void writeInventory(Path file, Map<String, Object> caseVars) throws IOException {
        Map<String, Object> allVars = new LinkedHashMap<>();
        allVars.put("ansible_user", fleet.user());
        allVars.put("ansible_ssh_private_key_file", fleet.clientKey().toAbsolutePath().toString());
        allVars.put("ansible_python_interpreter", "/usr/bin/python3");
        Map<String, Map<String, Object>> hosts = new LinkedHashMap<>();
        for (String host : HOSTS) {
            hosts.put(host, hostVars(host, fleet.port(prefix + host)));
        }
        hosts.put(DOWN, hostVars(DOWN, downPort.getLocalPort()));
        Map<String, Map<String, Object>> groups = new LinkedHashMap<>();
        for (String group : List.of("all", "fleet", "web", "db", "offline")) {
            groups.put(group, new LinkedHashMap<>());
        }
        groups.get("all").putAll(allVars);
        caseVars.forEach((name, vars) -> {
            Map<String, Object> target = hosts.containsKey(name) ? hosts.get(name) : groups.get(name);
            if (target == null) {
                throw new IllegalArgumentException("inventory.yml names '" + name + "', neither a group nor a host of the lane");
            }
            target.putAll((Map<String, Object>) vars);
        });
        Map<String, Object> web = group(groups.get("web"), Map.of("h1", hosts.get("h1"), "h2", hosts.get("h2")), null);
        Map<String, Object> db = group(groups.get("db"), Map.of("h3", hosts.get("h3"), "h4", hosts.get("h4")), null);
        Map<String, Object> children = new LinkedHashMap<>();
        children.put("web", web);
        children.put("db", db);
        Map<String, Object> fleetGroup = group(groups.get("fleet"), null, children);
        Map<String, Object> offline = group(groups.get("offline"), Map.of(DOWN, hosts.get(DOWN)), null);
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("fleet", fleetGroup);
        top.put("offline", offline);
        Map<String, Object> all = group(groups.get("all"), null, top);
        Files.createDirectories(file.getParent());
        new ObjectMapper(new YAMLFactory()).writeValue(file.toFile(), Map.of("all", all));
    }

    private Map<String, Object> hostVars(String host, int port) {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("ansible_host", "127.0.0.1");
        vars.put("ansible_port", port);
        vars.put("fleet_dir", dataDir(host).toAbsolutePath().toString());
        return vars;
    }

    private static Map<String, Object> group(Map<String, Object> vars, Map<String, Map<String, Object>> hosts, Map<String, Object> children) {
        Map<String, Object> g = new LinkedHashMap<>();
        if (hosts != null) {
            // Map.of has no order: inventory order is h1..h4
            Map<String, Object> ordered = new LinkedHashMap<>();
            hosts.keySet().stream().sorted().forEach(h -> ordered.put(h, hosts.get(h)));
            g.put("hosts", ordered);
        }
        if (children != null) {
            g.put("children", children);
        }
        if (!vars.isEmpty()) {
            g.put("vars", vars);
        }
        return g;
    }

    @Override
    public void close() throws IOException {
        downPort.close();
    }
}
