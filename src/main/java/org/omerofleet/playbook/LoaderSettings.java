package org.omerofleet.playbook;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.omerofleet.yaml.Vault;

/**
 * What the command line and Ansible's configuration tell the playbook loader.
 *
 * @param vault      decrypts vault-encrypted files and {@code !vault} values the loader reads
 * @param rolesPath  directories where roles are looked for after {@code roles/} beside the playbook, in order
 *                   (Ansible's {@code roles_path}, from ansible.cfg or {@code ANSIBLE_ROLES_PATH})
 * @param become     {@code -b/--become}: the default of every play's {@code become}
 * @param becomeUser {@code --become-user}: the default of every play's {@code become_user}
 */
public record LoaderSettings(Vault vault, List<Path> rolesPath, boolean become, Optional<String> becomeUser) {

    public LoaderSettings {
        Objects.requireNonNull(vault, "vault");
        rolesPath = List.copyOf(rolesPath);
        Objects.requireNonNull(becomeUser, "becomeUser");
    }

    /** {@return no vault password, no roles_path, no become} */
    public static LoaderSettings defaults() {
        return new LoaderSettings(Vault.none(), List.of(), false, Optional.empty());
    }
}
