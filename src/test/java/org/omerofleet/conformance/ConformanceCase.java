package org.omerofleet.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One case of the conformance corpus: a directory named after the behaviour it pins down, holding
 * {@code playbook.yml} and optionally:
 * <ul>
 *   <li>{@code args}: more command-line arguments for both tools, one per line ({@code --check},
 *       {@code -e}, {@code x=1});</li>
 *   <li>{@code inventory.yml}: variables to add to the generated inventory, by group or host name
 *       ({@code all}, {@code fleet}, {@code web}, {@code db}, {@code h1}...);</li>
 *   <li>{@code group_vars/}, {@code host_vars/}: copied beside the generated inventory;</li>
 *   <li>{@code vault-password}: an Ansible Vault password; both tools get {@code --vault-password-file}
 *       (or {@code --vault-id LABEL@file} when the case has a {@code vault-id} file holding LABEL);</li>
 *   <li>{@code vault-encrypt}: what {@code ansible-vault} encrypts before the run, one per line, paths
 *       relative to the case's work directory ({@code play/...}, {@code inventory/group_vars/...}):
 *       {@code PATH} encrypts the whole file, {@code PATH NAME VALUE} appends {@code NAME: !vault |...}
 *       made by {@code ansible-vault encrypt_string};</li>
 *   <li>{@code become-password}: a sudo password; the hosts are logged into as a user made for the run
 *       whose sudo asks for it ({@link SudoLogin}, root only: elsewhere the case is skipped), and both tools
 *       get {@code --become-password-file}, unless the case has an {@code ansible.cfg};</li>
 *   <li>{@code ansible.cfg}: the configuration of both tools ({@code ANSIBLE_CONFIG}), e.g. a
 *       {@code [sudo_become_plugin] password};</li>
 *   <li>{@code refused}: the case is a construct omero-fleet does not support; the file holds the
 *       {@code playbook.yml:LINE} omero-fleet must name when it refuses it with exit 5 (Ansible is not
 *       asked).</li>
 * </ul>
 * Any other file (a vars file) is copied beside the playbook.
 */
record ConformanceCase(String id, Path dir, List<String> args, Optional<String> refusedAt) {

    static final String PLAYBOOK = "playbook.yml";
    static final String VAULT_PASSWORD = "vault-password";
    static final String VAULT_ID = "vault-id";
    static final String VAULT_ENCRYPT = "vault-encrypt";
    static final String BECOME_PASSWORD = "become-password";
    static final String ANSIBLE_CFG = "ansible.cfg";

    static List<ConformanceCase> all(Path corpus) throws IOException {
        List<ConformanceCase> cases = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(corpus)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                cases.add(read(dir));
            }
        }
        return cases;
    }

    static ConformanceCase read(Path dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve(PLAYBOOK))) {
            throw new IOException("conformance case " + dir + " has no " + PLAYBOOK);
        }
        List<String> args = new ArrayList<>();
        Path argsFile = dir.resolve("args");
        if (Files.exists(argsFile)) {
            for (String line : Files.readAllLines(argsFile, StandardCharsets.UTF_8)) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    args.add(line.strip());
                }
            }
        }
        Path refused = dir.resolve("refused");
        Optional<String> at = Files.exists(refused) ? Optional.of(Files.readString(refused, StandardCharsets.UTF_8).strip()) : Optional.empty();
        return new ConformanceCase(dir.getFileName().toString(), dir, List.copyOf(args), at);
    }

    /**
     * Copy the case into {@code work}: the playbook and its files under {@code play/}, the case's
     * group_vars and host_vars under {@code inventory/}, where the caller writes the inventory.
     *
     * @return the copied playbook
     */
    Path copyTo(Path work) throws IOException {
        Path play = Files.createDirectories(work.resolve("play"));
        Path inventory = Files.createDirectories(work.resolve("inventory"));
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path from : files.toList()) {
                Path rel = dir.relativize(from);
                if (rel.toString().isEmpty() || List.of("args", "inventory.yml", "refused", VAULT_PASSWORD, VAULT_ID, VAULT_ENCRYPT,
                        BECOME_PASSWORD, ANSIBLE_CFG)
                        .contains(rel.toString())) {
                    continue;
                }
                String top = rel.getName(0).toString();
                Path to = (top.equals("group_vars") || top.equals("host_vars") ? inventory : play).resolve(rel.toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.createDirectories(to.getParent());
                    Files.copy(from, to);
                }
            }
        }
        return play.resolve(PLAYBOOK);
    }

    /**
     * Encrypt with {@code ansible-vault} what {@code vault-encrypt} lists, in the copy under {@code work}.
     *
     * @return the arguments that give both tools the vault password (none without {@code vault-password})
     */
    List<String> prepareVault(Path work) throws IOException {
        Path password = dir.resolve(VAULT_PASSWORD);
        if (!Files.exists(password)) {
            return List.of();
        }
        Path copy = work.resolve(VAULT_PASSWORD);
        Files.copy(password, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path idFile = dir.resolve(VAULT_ID);
        String id = Files.exists(idFile) ? Files.readString(idFile, StandardCharsets.UTF_8).strip() : null;
        Path list = dir.resolve(VAULT_ENCRYPT);
        if (Files.exists(list)) {
            org.omerofleet.testing.AnsibleVaultTool tool = new org.omerofleet.testing.AnsibleVaultTool(work);
            for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
                String[] parts = line.strip().split("\\s+", 3);
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                Path target = work.resolve(parts[0]);
                if (parts.length == 1) {
                    tool.encrypt(target, copy, id);
                } else {
                    Files.writeString(target, tool.encryptString(parts[1], parts[2], copy, id), StandardCharsets.UTF_8,
                            java.nio.file.StandardOpenOption.APPEND);
                }
            }
        }
        return id == null ? List.of("--vault-password-file", copy.toString()) : List.of("--vault-id", id + "@" + copy);
    }

    /** {@return the case's {@code ansible.cfg}, if it has one} */
    Optional<Path> ansibleCfg() {
        Path file = dir.resolve(ANSIBLE_CFG);
        return Files.exists(file) ? Optional.of(file) : Optional.empty();
    }

    /** {@return the case's {@code become-password} file, if it has one} */
    Optional<Path> becomePassword() {
        Path file = dir.resolve(BECOME_PASSWORD);
        return Files.exists(file) ? Optional.of(file) : Optional.empty();
    }

    Optional<Path> inventoryVars() {
        Path file = dir.resolve("inventory.yml");
        return Files.exists(file) ? Optional.of(file) : Optional.empty();
    }
}
