package org.omerofleet.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Read the settings of Ansible's configuration that this program honours, with Ansible's precedence:
 * the {@code ANSIBLE_*} environment variable, then the first configuration file found, then the
 * program's default (the command line wins over all three, applied by picocli as option defaults).
 *
 * <p>The file is the first of {@code $ANSIBLE_CONFIG}, {@code ./ansible.cfg}, {@code ~/.ansible.cfg},
 * {@code /etc/ansible/ansible.cfg} that exists; as in Ansible, {@code ./ansible.cfg} is ignored (with a
 * warning) when the current directory is world-writable. Relative paths in the file are relative to the
 * file's directory.
 *
 * @param file   the configuration file read, if any
 * @param values setting name (as in {@code [defaults]} or {@code [privilege_escalation]}) to its value and origin
 */
record AnsibleConfig(Optional<Path> file, Map<String, Setting> values) {

    /** Each setting: its section in ansible.cfg and its environment variable. */
    static final Map<String, String[]> SETTINGS = Map.ofEntries(
            Map.entry("inventory", new String[] {"defaults", "ANSIBLE_INVENTORY"}),
            Map.entry("forks", new String[] {"defaults", "ANSIBLE_FORKS"}),
            Map.entry("remote_user", new String[] {"defaults", "ANSIBLE_REMOTE_USER"}),
            Map.entry("private_key_file", new String[] {"defaults", "ANSIBLE_PRIVATE_KEY_FILE"}),
            Map.entry("host_key_checking", new String[] {"defaults", "ANSIBLE_HOST_KEY_CHECKING"}),
            Map.entry("roles_path", new String[] {"defaults", "ANSIBLE_ROLES_PATH"}),
            Map.entry("vault_password_file", new String[] {"defaults", "ANSIBLE_VAULT_PASSWORD_FILE"}),
            Map.entry("vault_identity_list", new String[] {"defaults", "ANSIBLE_VAULT_IDENTITY_LIST"}),
            Map.entry("become_password_file", new String[] {"defaults", "ANSIBLE_BECOME_PASSWORD_FILE"}),
            Map.entry("become", new String[] {"privilege_escalation", "ANSIBLE_BECOME"}),
            Map.entry("become_user", new String[] {"privilege_escalation", "ANSIBLE_BECOME_USER"}),
            Map.entry("become_ask_pass", new String[] {"privilege_escalation", "ANSIBLE_BECOME_ASK_PASS"}),
            // the sudo become plugin's own section: its password (a secret, never printed; see toString)
            Map.entry("password", new String[] {"sudo_become_plugin", "ANSIBLE_BECOME_PASS"}));
    private static final Set<String> PATHS = Set.of("inventory", "private_key_file", "roles_path", "vault_password_file",
            "become_password_file");

    /**
     * One value with where it was read, for errors and for resolving relative paths.
     *
     * @param origin "ANSIBLE_FORKS" or "ansible.cfg:12"
     * @param base   the directory relative paths are relative to
     */
    record Setting(String value, String origin, Path base) {
    }

    /** {@return the configuration for this environment, home directory and current directory} */
    static AnsibleConfig load(Map<String, String> env, Path home, Path cwd, java.io.PrintStream warnings) {
        Optional<Path> file = find(env, home, cwd, warnings);
        Map<String, Setting> values = new LinkedHashMap<>();
        if (file.isPresent()) {
            values.putAll(read(file.get()));
        }
        SETTINGS.forEach((name, where) -> {
            String value = env.get(where[1]);
            if (value != null && !value.isBlank()) {
                values.put(name, new Setting(value.strip(), where[1], cwd));
            }
        });
        return new AnsibleConfig(file, values);
    }

    /** The settings' names only: {@code [sudo_become_plugin] password} is a secret. */
    @Override
    public String toString() {
        return "AnsibleConfig[file=" + file + ", settings=" + values.keySet() + "]";
    }

    /** {@return no configuration: every setting at the program's default} */
    static AnsibleConfig empty() {
        return new AnsibleConfig(Optional.empty(), Map.of());
    }

    private static Optional<Path> find(Map<String, String> env, Path home, Path cwd, java.io.PrintStream warnings) {
        String named = env.get("ANSIBLE_CONFIG");
        if (named != null && !named.isBlank()) {
            Path p = expand(named.strip(), home, cwd);
            Path file = Files.isDirectory(p) ? p.resolve("ansible.cfg") : p;
            if (Files.isRegularFile(file)) {
                return Optional.of(file);
            }
        }
        Path local = cwd.resolve("ansible.cfg");
        if (Files.isRegularFile(local)) {
            if (!worldWritable(cwd)) {
                return Optional.of(local);
            }
            warnings.println("warning: ignoring " + local + " because its directory is world-writable (as Ansible does)");
        }
        return List.of(home.resolve(".ansible.cfg"), Path.of("/etc/ansible/ansible.cfg")).stream().filter(Files::isRegularFile).findFirst();
    }

    private static boolean worldWritable(Path dir) {
        try {
            return Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_WRITE);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Read the settings this program knows from an INI file as Python's configparser does (';' starts an inline comment). */
    private static Map<String, Setting> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UsageException("cannot read the Ansible configuration " + file + ": " + e.getMessage(), e);
        }
        Map<String, Setting> values = new LinkedHashMap<>();
        Path base = file.toAbsolutePath().getParent();
        String section = "";
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            int comment = line.indexOf(" ;");
            String text = (comment >= 0 ? line.substring(0, comment) : line).strip();
            if (text.isEmpty() || text.startsWith("#") || text.startsWith(";")) {
                continue;
            }
            if (text.startsWith("[") && text.endsWith("]")) {
                section = text.substring(1, text.length() - 1).strip();
                continue;
            }
            int eq = firstOf(text, '=', ':');
            if (eq <= 0) {
                continue; // a continuation line or a key without a value: nothing this program reads
            }
            String key = text.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String[] known = SETTINGS.get(key);
            if (known != null && known[0].equals(section)) {
                values.put(key, new Setting(text.substring(eq + 1).strip(), file + ":" + (n + 1), base));
            }
        }
        return values;
    }

    private static int firstOf(String text, char a, char b) {
        int i = text.indexOf(a);
        int j = text.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }

    Optional<String> string(String name) {
        return Optional.ofNullable(values.get(name)).map(Setting::value).filter(v -> !v.isEmpty());
    }

    /** {@return a path setting, {@code ~} expanded and relative paths resolved against the file's directory} */
    Optional<String> path(String name, Path home) {
        Setting s = values.get(name);
        return s == null || s.value().isEmpty() ? Optional.empty() : Optional.of(expand(s.value(), home, s.base()).toString());
    }

    /**
     * {@return {@code inventory}: a file (resolved like a path) or a host list, as given} Ansible reads this
     * setting as a comma-separated list of sources; several files are refused, as one {@code -i} is read here.
     */
    Optional<String> inventory(Path home) {
        Setting s = values.get("inventory");
        if (s == null || s.value().isEmpty()) {
            return Optional.empty();
        }
        if (!s.value().contains(",")) {
            return path("inventory", home);
        }
        List<Path> files = new ArrayList<>();
        for (String part : s.value().split(",")) {
            Path p = expand(part.strip(), home, s.base());
            if (!part.isBlank() && Files.exists(p)) {
                files.add(p);
            }
        }
        if (files.size() > 1) {
            throw new UsageException(s.origin() + ": inventory names " + files.size() + " sources " + files
                    + "; omero-fleet reads one inventory: keep one, or pass -i");
        }
        return files.isEmpty() ? Optional.of(s.value()) : Optional.of(files.get(0).toString());
    }

    /** {@return {@code roles_path} as a list of directories, ':'-separated as in Ansible} */
    List<Path> rolesPath(Path home) {
        Setting s = values.get("roles_path");
        List<Path> dirs = new ArrayList<>();
        if (s != null) {
            for (String part : s.value().split(":")) {
                if (!part.isBlank()) {
                    dirs.add(expand(part.strip(), home, s.base()));
                }
            }
        }
        return dirs;
    }

    Optional<String> vaultPasswordFile(Path home) {
        return path("vault_password_file", home);
    }

    /** {@return {@code vault_identity_list}: comma-separated LABEL@SOURCE entries} */
    List<String> vaultIdentityList() {
        return string("vault_identity_list").map(v -> List.of(v.split(","))).orElse(List.of()).stream()
                .map(String::strip).filter(v -> !v.isEmpty()).toList();
    }

    Optional<Integer> forks() {
        return string("forks").map(v -> {
            try {
                return Integer.valueOf(v);
            } catch (NumberFormatException e) {
                throw new UsageException(values.get("forks").origin() + ": forks must be a number, got '" + v + "'");
            }
        });
    }

    /** {@return an Ansible boolean (yes/no, true/false, on/off, 1/0)} */
    Optional<Boolean> bool(String name) {
        return string(name).map(v -> {
            switch (v.toLowerCase(Locale.ROOT)) {
                case "yes": case "y": case "true": case "t": case "on": case "1":
                    return true;
                case "no": case "n": case "false": case "f": case "off": case "0":
                    return false;
                default:
                    throw new UsageException(values.get(name).origin() + ": " + name + " must be a boolean (yes or no), got '" + v + "'");
            }
        });
    }

    private static Path expand(String path, Path home, Path base) {
        if (path.equals("~")) {
            return home;
        }
        Path p = path.startsWith("~/") ? home.resolve(path.substring(2)) : Path.of(path);
        return base.resolve(p).normalize();
    }
}
