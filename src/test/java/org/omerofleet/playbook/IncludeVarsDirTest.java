package org.omerofleet.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omerofleet.input.InvalidInputException;

/** {@code include_vars: dir:} reads the files Ansible's include_vars would, in its order, when the playbook loads. */
class IncludeVarsDirTest {

    private static final ModuleCatalog CATALOG = name -> Optional.empty();

    @TempDir
    Path dir;

    private void write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private Task load(String includeVars) throws Exception {
        write("site.yml", "- hosts: all\n  tasks:\n    - include_vars:\n" + includeVars);
        Playbook p = new PlaybookLoader(CATALOG, List.of()).load(dir.resolve("site.yml"));
        return (Task) p.plays().get(0).tasks().get(0);
    }

    private void tree() throws Exception {
        write("conf/b.yml", "colour: blue\nsize: s\n");
        write("conf/a.yaml", "colour: red\n");
        write("conf/c.json", "{\"shape\": \"round\"}\n");
        write("conf/a-sub/x.yml", "colour: green\n");
        write("conf/b-sub/deep/z.yml", "deep: 1\n");
        write("conf/b-sub/y.yml", "size: m\n");
    }

    private List<String> read(Task task) {
        return ((List<?>) task.args().get("_files")).stream().map(f -> dir.resolve("conf").relativize(Path.of((String) f)).toString())
                .toList();
    }

    @Test
    void everyFileBelowTheDirectoryIsReadDirectoriesByPathFilesByNameTheLaterWinning() throws Exception {
        tree();

        Task task = load("        dir: conf\n");

        assertEquals(List.of("a.yaml", "b.yml", "c.json", "a-sub/x.yml", "b-sub/y.yml", "b-sub/deep/z.yml"), read(task));
        assertEquals(Map.of("colour", "green", "size", "m", "shape", "round", "deep", 1L), task.args().get("_values"));
    }

    @Test
    void depthMatchingIgnoredFilesExtensionsAndNameChooseAndPlaceTheFiles() throws Exception {
        tree();

        assertEquals(List.of("a.yaml", "b.yml", "c.json"), read(load("        dir: conf\n        depth: 1\n")));
        assertEquals(List.of("a.yaml", "a-sub/x.yml"), read(load("        dir: conf\n        files_matching: '^[ax]'\n")));
        assertEquals(List.of("b.yml", "c.json", "b-sub/y.yml"), read(load("        dir: conf\n        depth: 2\n        ignore_files: 'a.yaml x.yml'\n")));
        Task json = load("        dir: conf\n        extensions: [json]\n        ignore_unknown_extensions: true\n        name: only\n");
        assertEquals(List.of("c.json"), read(json));
        assertEquals(Map.of("only", Map.of("shape", "round")), json.args().get("_values"));
    }

    @Test
    void inARoleTheDirectoryIsUnderTheRolesVars() throws Exception {
        write("roles/r/tasks/main.yml", "- include_vars: {dir: env}\n");
        write("roles/r/vars/env/one.yml", "who: one\n");
        write("site.yml", "- hosts: all\n  roles: [r]\n");

        Playbook p = new PlaybookLoader(CATALOG, List.of()).load(dir.resolve("site.yml"));

        Task task = (Task) p.plays().get(0).tasks().get(0);
        assertEquals(Map.of("who", "one"), task.args().get("_values"));
    }

    @Test
    void aMissingDirectoryAFileWithAnUnknownExtensionAndFilePlusDirAreRefusedAtTheirField() throws Exception {
        tree();
        write("conf/notes.txt", "hello\n");

        InvalidInputException missing = assertThrows(InvalidInputException.class, () -> load("        dir: nothere\n"));
        assertTrue(missing.getMessage().contains("site.yml:4:14: 'include_vars': " + dir.resolve("nothere") + " directory does not exist"),
                missing.getMessage());
        InvalidInputException unknown = assertThrows(InvalidInputException.class, () -> load("        dir: conf\n"));
        assertTrue(unknown.getMessage().contains("notes.txt does not have a valid extension: yaml, yml, json"), unknown.getMessage());
        InvalidInputException both = assertThrows(InvalidInputException.class, () -> load("        dir: conf\n        file: conf/b.yml\n"));
        assertTrue(both.getMessage().contains("site.yml:5:9: 'include_vars' takes 'file' or 'dir', not both"), both.getMessage());
        InvalidInputException regex = assertThrows(InvalidInputException.class, () -> load("        dir: conf\n        files_matching: '('\n"));
        assertTrue(regex.getMessage().contains("'files_matching': invalid regular expression '('"), regex.getMessage());
    }

    @Test
    void anExtensionIsWhatPythonsSplitextGives() {
        assertEquals("yml", VarsDir.extension("a.yml"));
        assertEquals("gz", VarsDir.extension("a.tar.gz"));
        assertEquals("", VarsDir.extension(".yml"));
        assertEquals("yml", VarsDir.extension("..x.yml"));
        assertEquals("", VarsDir.extension("README"));
    }
}
