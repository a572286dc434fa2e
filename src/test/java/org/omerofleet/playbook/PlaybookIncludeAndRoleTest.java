package org.omerofleet.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omerofleet.input.InvalidInputException;

/** Includes, imports and roles are read when the playbook loads; what is missing is refused with file, line and field. */
class PlaybookIncludeAndRoleTest {

    private static final ModuleCatalog CATALOG = name -> {
        String n = name.startsWith("ansible.builtin.") ? name.substring("ansible.builtin.".length()) : name;
        return switch (n) {
            case "shell" -> Optional.of(new ModuleCatalog.ModuleSpec(n, Set.of("cmd", "chdir"), Set.of("cmd"), true));
            case "debug" -> Optional.of(new ModuleCatalog.ModuleSpec(n, Set.of("msg", "var"), Set.of(), false));
            default -> Optional.empty();
        };
    };

    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    private Playbook load(String yaml, List<Path> rolesPath) throws Exception {
        return new PlaybookLoader(CATALOG, rolesPath).load(write("site.yml", yaml));
    }

    private InvalidInputException invalid(String yaml) {
        return assertThrows(InvalidInputException.class, () -> load(yaml, List.of()));
    }

    @Test
    void aMissingIncludeFileIsRefusedAtTheIncludeWithThePlacesLookedIn() {
        InvalidInputException e = invalid("- hosts: all\n  tasks:\n    - debug: msg=x\n    - include_tasks: nothere.yml\n");

        assertTrue(e.getMessage().contains("site.yml:4:22: 'include_tasks': file 'nothere.yml' not found; looked for "
                + dir.resolve("nothere.yml")), e.getMessage());
    }

    @Test
    void aMissingRoleIsRefusedAtItsNameWithTheDirectoriesSearched() throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shared"));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> load("- hosts: all\n  roles:\n    - role: nosuchrole\n", List.of(shared)));

        assertTrue(e.getMessage().contains("site.yml:3:13: role 'nosuchrole' not found; looked in " + dir.resolve("roles/nosuchrole")
                + ", " + shared.resolve("nosuchrole")), e.getMessage());
    }

    @Test
    void anErrorInsideAnIncludedFileNamesThatFile() throws Exception {
        write("tasks/bad.yml", "- debug: msg=ok\n- nosuchmodule: x\n");
        InvalidInputException e = invalid("- hosts: all\n  tasks:\n    - import_tasks: tasks/bad.yml\n");

        assertTrue(e.getMessage().contains(dir.resolve("tasks/bad.yml") + ":2:3: unknown key or module 'nosuchmodule'"), e.getMessage());
    }

    @Test
    void aFileThatIncludesItselfIsRefused() throws Exception {
        write("loop.yml", "- include_tasks: loop.yml\n");
        InvalidInputException e = invalid("- hosts: all\n  tasks:\n    - include_tasks: loop.yml\n");

        assertTrue(e.getMessage().contains("loop.yml:1:18: 'include_tasks' of loop.yml includes itself"), e.getMessage());
    }

    @Test
    void aTemplatedImportFileNameIsRefusedAtLoad() {
        InvalidInputException e = invalid("- hosts: all\n  tasks:\n    - import_tasks: \"{{ os }}.yml\"\n");

        assertTrue(e.getMessage().contains("site.yml:3:21: 'import_tasks' with a templated file name is not supported"), e.getMessage());
        assertTrue(e.getMessage().contains("use 'include_tasks'"), e.getMessage());
    }

    @Test
    void aTemplatedIncludeRoleNameIsRefusedAtLoad() {
        InvalidInputException e = invalid("- hosts: all\n  tasks:\n    - include_role: {name: common, tasks_from: \"{{ os }}\"}\n");

        assertTrue(e.getMessage().contains("site.yml:3:48: 'include_role' with a templated 'tasks_from' is not supported"), e.getMessage());
    }

    @Test
    void aTemplatedIncludeFileNameIsReadWhenItRunsWithTheChecksOfALoadedFile() throws Exception {
        write("roles/common/tasks/main.yml", "- include_tasks: \"{{ os }}.yml\"\n  vars: {colour: red}\n");
        write("roles/common/tasks/Debian.yml", "- debug: msg={{ colour }}\n- include_tasks: sub.yml\n");
        write("roles/common/tasks/sub.yml", "- shell: echo sub\n");
        write("roles/common/tasks/Bad.yml", "- debug: msg=x\n  bogus: 1\n");
        Playbook p = load("- hosts: all\n  roles: [common]\n", List.of());

        Include include = (Include) p.plays().get(0).tasks().get(0);
        IncludedFiles files = include.files().orElseThrow();
        assertEquals(List.of(), include.steps());
        assertEquals(Map.of("file", "{{ os }}.yml"), include.task().args());
        Path debian = files.resolve("Debian.yml");
        assertEquals(dir.resolve("roles/common/tasks/Debian.yml"), debian);
        List<Step> steps = files.read(debian);
        assertEquals(steps, files.read(debian));
        assertTrue(steps.get(0) == files.read(debian).get(0), "a file is read once");
        List<Task> tasks = Step.tasksIn(steps);
        assertEquals(List.of("debug", "include_tasks", "shell"), tasks.stream().map(Task::module).toList());
        assertEquals("red", tasks.get(0).vars().get("colour"));
        assertEquals("common", tasks.get(0).vars().get("role_name"));
        InvalidInputException missing = assertThrows(InvalidInputException.class, () -> files.resolve("RedHat.yml"));
        assertTrue(missing.getMessage().contains("main.yml:1:18: 'include_tasks': file 'RedHat.yml' (from '{{ os }}.yml') not found"),
                missing.getMessage());
        InvalidInputException bad = assertThrows(InvalidInputException.class, () -> files.read(files.resolve("Bad.yml")));
        assertTrue(bad.getMessage().contains("Bad.yml:2:3: unknown key 'bogus'"), bad.getMessage());
    }

    @Test
    void aRoleFromTheRolesPathRunsItsDependenciesFirstAndOnce() throws Exception {
        Path shared = Files.createDirectories(dir.resolve("elsewhere"));
        write("elsewhere/base/tasks/main.yml", "- debug: msg=base\n");
        write("elsewhere/base/defaults/main.yml", "level: low\n");
        write("roles/app/meta/main.yml", "dependencies:\n  - base\n");
        write("roles/app/tasks/main.yml", "- debug: msg=app\n");
        write("roles/app/vars/main.yml", "colour: blue\n");
        write("roles/app/handlers/main.yml", "- name: restart app\n  debug: msg=restart\n");

        Playbook p = load("- hosts: all\n  vars: {colour: red}\n  roles: [base, app]\n  tasks:\n    - debug: msg=play\n", List.of(shared));

        Play play = p.plays().get(0);
        assertEquals(List.of("base", "app", "play"), Step.tasksIn(play.tasks()).stream().map(t -> t.args().get("msg")).toList());
        assertEquals(Map.of("level", "low"), play.defaults());
        assertEquals("blue", play.vars().get("colour"), "role vars rank above play vars");
        assertEquals(List.of("restart app"), play.handlers().stream().map(Task::name).toList());
    }

    @Test
    void includeTasksIsATaskOfItsOwnAheadOfTheTasksItIncludes() throws Exception {
        write("more.yml", "- debug: msg=inner\n");
        Playbook p = load("- hosts: all\n  tasks:\n    - include_tasks: more.yml\n      when: x is defined\n      tags: [t]\n"
                + "      vars: {y: 1}\n", List.of());

        Include include = (Include) p.plays().get(0).tasks().get(0);
        assertEquals("include_tasks", include.task().module());
        assertEquals(List.of("x is defined"), include.task().when());
        Task inner = (Task) include.steps().get(0);
        assertEquals(List.of(), inner.when(), "the include's condition is its own");
        assertEquals(Set.of(), inner.tags(), "and so are its tags");
        assertEquals(Map.of("y", 1L), inner.vars());
    }

    @Test
    void localActionIsTheModuleDelegatedToLocalhost() throws Exception {
        Playbook p = load("- hosts: all\n  tasks:\n    - local_action: shell echo hi\n", List.of());

        Task t = (Task) p.plays().get(0).tasks().get(0);
        assertEquals("shell", t.module());
        assertEquals("echo hi", t.args().get("_raw_params"));
        assertEquals(Optional.of("localhost"), t.delegateTo());
    }

    @Test
    void aVarsFilesNameMayUseThePlayVarsButNotVariablesUnknownAtLoad() throws Exception {
        write("vars/prod.yml", "colour: green\n");
        Playbook p = load("- hosts: all\n  vars: {stage: prod}\n  vars_files: [\"vars/{{ stage }}.yml\"]\n", List.of());

        assertEquals("green", p.plays().get(0).vars().get("colour"));
        InvalidInputException e = invalid("- hosts: all\n  vars_files: [\"vars/{{ nothere }}.yml\"]\n");
        assertTrue(e.getMessage().contains("site.yml:2:15: vars_files: cannot render 'vars/{{ nothere }}.yml' when the playbook loads"),
                e.getMessage());
    }

    @Test
    void aLoopOnIncludeTasksStaysOnTheIncludeAndItsFileIsReadOnce() throws Exception {
        write("setup.yml", "- debug: msg={{ svc }}-{{ idx }}\n");
        Playbook p = load("- hosts: all\n  tasks:\n    - include_tasks: setup.yml\n      loop: \"{{ services }}\"\n"
                + "      loop_control: {loop_var: svc, index_var: idx, label: \"{{ svc }}\"}\n      when: svc != 'x'\n", List.of());

        Include include = (Include) p.plays().get(0).tasks().get(0);
        Loop loop = include.task().loop().orElseThrow();
        assertEquals(List.of("loop", "{{ services }}", "svc", Optional.of("idx"), Optional.of("{{ svc }}")),
                List.of(loop.keyword(), loop.items(), loop.loopVar(), loop.indexVar(), loop.label()));
        assertEquals(List.of("svc != 'x'"), include.task().when());
        assertEquals(1, include.steps().size());
    }

    @Test
    void theIncludedTasksKnowTheIncludesLoopVariablesAndTheTasksAfterItDoNot() throws Exception {
        write("setup.yml", "- debug: msg={{ svc }}-{{ idx }}\n");
        Playbook p = load("- hosts: all\n  tasks:\n    - include_tasks: setup.yml\n      loop: [a, b]\n"
                + "      loop_control: {loop_var: svc, index_var: idx}\n    - debug: msg={{ svc }}\n", List.of());

        List<org.omerofleet.input.InputError> errors = new VariableCheck().check(p, Set.of());
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).toString().contains("site.yml:6:7") && errors.get(0).toString().contains("undefined variable 'svc'"),
                errors.toString());
    }

    @Test
    void withItemsOnIncludeRoleIsTheIncludesLoop() throws Exception {
        write("roles/greet/tasks/main.yml", "- debug: msg={{ item }}\n");
        Playbook p = load("- hosts: all\n  tasks:\n    - include_role: {name: greet}\n      with_items: [a, b]\n", List.of());

        Include include = (Include) p.plays().get(0).tasks().get(0);
        assertEquals(List.of("with_items", List.of("a", "b"), "item"), List.of(include.task().loop().orElseThrow().keyword(),
                include.task().loop().get().items(), include.task().loop().get().loopVar()));
    }

    @Test
    void aLoopOnImportTasksIsRefusedAtTheLoopPointingToIncludeTasks() throws Exception {
        write("other.yml", "- debug: msg=x\n");
        InvalidInputException e = invalid("- hosts: all\n  tasks:\n    - import_tasks: other.yml\n      loop: [1, 2]\n");

        assertTrue(e.getMessage().contains("site.yml:4:7: 'import_tasks' cannot take 'loop'"), e.getMessage());
        assertTrue(e.getMessage().contains("use 'include_tasks'"), e.getMessage());
        assertEquals(1, e.errors().size(), e.getMessage());
    }
}
