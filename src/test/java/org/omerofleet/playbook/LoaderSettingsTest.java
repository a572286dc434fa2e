package org.omerofleet.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omerofleet.yaml.Vault;

/** What the command line gives the loader: -b and --become-user as defaults that plays and tasks override. */
class LoaderSettingsTest {

    @TempDir
    Path dir;

    private final ModuleCatalog catalog = name -> name.equals("command")
            ? Optional.of(new ModuleCatalog.ModuleSpec("command", Set.of("cmd", "chdir", "creates", "removes"), Set.of(), true))
            : Optional.empty();

    private List<Task> tasks(String yaml, LoaderSettings settings) throws Exception {
        Path file = Files.writeString(dir.resolve("p.yml"), yaml);
        return new PlaybookLoader(catalog, settings).load(file).plays().stream().flatMap(p -> Step.tasksIn(p.tasks()).stream()).toList();
    }

    @Test
    void becomeOnTheCommandLineIsEveryPlaysDefaultAndAPlayOrTaskSayingFalseWins() throws Exception {
        String yaml = "- hosts: all\n  tasks:\n    - command: id\n    - command: id\n      become: false\n"
                + "- hosts: all\n  become: false\n  tasks:\n    - command: id\n";
        List<Task> tasks = tasks(yaml, new LoaderSettings(Vault.none(), List.of(), true, Optional.of("omero")));

        assertTrue(tasks.get(0).become());
        assertEquals(Optional.of("omero"), tasks.get(0).becomeUser());
        assertFalse(tasks.get(1).become());
        assertFalse(tasks.get(2).become());
    }

    @Test
    void withoutBecomeOnTheCommandLineTasksDoNotBecome() throws Exception {
        List<Task> tasks = tasks("- hosts: all\n  tasks:\n    - command: id\n    - command: id\n      become: true\n      become_user: postgres\n",
                LoaderSettings.defaults());

        assertFalse(tasks.get(0).become());
        assertTrue(tasks.get(1).become());
        assertEquals(Optional.of("postgres"), tasks.get(1).becomeUser());
    }
}
