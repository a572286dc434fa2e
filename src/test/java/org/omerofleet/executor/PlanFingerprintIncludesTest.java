package org.omerofleet.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omerofleet.inventory.Group;
import org.omerofleet.inventory.Host;
import org.omerofleet.inventory.Inventory;
import org.omerofleet.playbook.ModuleCatalog;
import org.omerofleet.playbook.Playbook;
import org.omerofleet.playbook.PlaybookLoader;

/** A resume must see that a file the playbook imports changed, not only the playbook file itself. */
class PlanFingerprintIncludesTest {

    private static final ModuleCatalog CATALOG = name -> name.equals("debug")
            ? Optional.of(new ModuleCatalog.ModuleSpec("debug", Set.of("msg"), Set.of(), false)) : Optional.empty();

    @TempDir
    Path dir;

    private Map<String, String> fingerprint() throws Exception {
        Playbook playbook = new PlaybookLoader(CATALOG, List.of()).load(dir.resolve("site.yml"));
        Inventory inventory = new Inventory(Path.of("inventory.yml"), Map.of("h1", new Host("h1", Map.of(), List.of("all", "ungrouped"))),
                Map.of("all", new Group("all", Map.of(), List.of(), List.of("ungrouped")),
                        "ungrouped", new Group("ungrouped", Map.of(), List.of("h1"), List.of())));
        return PlanFingerprint.of(playbook, inventory, Map.of(), Optional.of(new byte[32]));
    }

    @Test
    void editingAnImportedTaskFileChangesTheFingerprint() throws Exception {
        Files.writeString(dir.resolve("site.yml"), "- hosts: all\n  tasks:\n    - import_tasks: steps.yml\n");
        Files.writeString(dir.resolve("steps.yml"), "- debug: msg=one\n");
        Map<String, String> before = fingerprint();

        Files.writeString(dir.resolve("steps.yml"), "- debug: msg=two\n");
        Map<String, String> after = fingerprint();

        assertEquals(before.get("playbook"), after.get("playbook"));
        assertNotEquals(before.get("included files"), after.get("included files"));
    }
}
