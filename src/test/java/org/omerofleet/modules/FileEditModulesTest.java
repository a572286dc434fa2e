package org.omerofleet.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.omerofleet.result.TaskResult;

/** {@code lineinfile}, {@code blockinfile} and {@code replace} against a sandbox host over real SSH. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FileEditModulesTest {

    SandboxTasks tasks;
    Path home;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        tasks = new SandboxTasks(dir, "e1");
        home = tasks.home("e1");
    }

    @AfterAll
    void stop() {
        tasks.close();
    }

    private String write(String name, String text) throws Exception {
        Files.writeString(home.resolve(name), text);
        return home.resolve(name).toString();
    }

    @Test
    void lineinfileAddsTheLineOnceThenIsOk() throws Exception {
        String path = write("a.properties", "x=1\ny=2");
        TaskResult first = tasks.run(new LineInFileModule(), "e1", Map.of("path", path, "line", "z=3"));
        assertTrue(first.changed());
        assertEquals("line added", first.message());
        assertEquals("x=1\ny=2\nz=3\n", Files.readString(Path.of(path)), "a missing final newline is added first");
        assertFalse(tasks.run(new LineInFileModule(), "e1", Map.of("path", path, "line", "z=3")).changed());
    }

    @Test
    void lineinfileReplacesTheLastMatchOrTheFirstWithFirstmatch() throws Exception {
        String path = write("b.properties", "k=1\nk=2\n");
        tasks.run(new LineInFileModule(), "e1", Map.of("path", path, "regexp", "^k=", "line", "k=last"));
        assertEquals("k=1\nk=last\n", Files.readString(Path.of(path)));
        tasks.run(new LineInFileModule(), "e1", Map.of("path", path, "regexp", "^k=", "line", "k=first", "firstmatch", true));
        assertEquals("k=first\nk=last\n", Files.readString(Path.of(path)));
    }

    @Test
    void lineinfileBackrefsUsePythonGroupSyntax() throws Exception {
        String path = write("c.properties", "port=4064\n");
        TaskResult r = tasks.run(new LineInFileModule(), "e1",
                Map.of("path", path, "regexp", "^(?P<key>port)=(\\d+)$", "line", "\\g<key>=1\\2", "backrefs", true));
        assertTrue(r.changed());
        assertEquals("port=14064\n", Files.readString(Path.of(path)));
    }

    @Test
    void lineinfileInCheckModeChangesNothingAndDiffShowsTheLine() throws Exception {
        String path = write("d.properties", "a=1\n");
        TaskResult r = tasks.run(new LineInFileModule(), "e1", Map.of("path", path, "line", "b=2"), SandboxTasks.Mode.CHECK_DIFF);
        assertTrue(r.changed());
        assertEquals("a=1\n", Files.readString(Path.of(path)));
        assertTrue(String.valueOf(((TaskResult.Ok) r).data().get("diff")).contains("+b=2"));
    }

    @Test
    void lineinfileOnAMissingFileFailsUnlessCreate() throws Exception {
        TaskResult missing = tasks.run(new LineInFileModule(), "e1", Map.of("path", "nowhere/x.conf", "line", "a"));
        assertInstanceOf(TaskResult.Failed.class, missing);
        assertEquals("Destination nowhere/x.conf does not exist !", missing.message());
        TaskResult created = tasks.run(new LineInFileModule(), "e1", Map.of("path", "nowhere/x.conf", "line", "a", "create", true));
        assertTrue(created.changed());
        assertEquals("a\n", Files.readString(home.resolve("nowhere/x.conf")));
    }

    @Test
    void lineinfileAbsentCountsTheRemovedLines() throws Exception {
        String path = write("e.properties", "keep\ndrop 1\ndrop 2\n");
        TaskResult r = tasks.run(new LineInFileModule(), "e1", Map.of("path", path, "regexp", "^drop", "state", "absent"));
        assertEquals(2, ((TaskResult.Ok) r).data().get("found"));
        assertEquals("2 line(s) removed", r.message());
        assertEquals("keep\n", Files.readString(Path.of(path)));
    }

    @Test
    void aPathWithQuotesAndSpacesIsOneWordOnTheHost() throws Exception {
        String path = write("it's a $(file).conf", "one\n");
        TaskResult r = tasks.run(new LineInFileModule(), "e1", Map.of("path", path, "line", "two"));
        assertTrue(r.changed(), r.message());
        assertEquals("one\ntwo\n", Files.readString(Path.of(path)));
    }

    @Test
    void blockinfileInsertsReplacesAndRemovesBetweenMarkers() throws Exception {
        String path = write("f.conf", "first\nlast\n");
        TaskResult in = tasks.run(new BlockInFileModule(), "e1", Map.of("path", path, "block", "b1\nb2", "insertafter", "^first"));
        assertEquals("Block inserted", in.message());
        assertEquals("first\n# BEGIN ANSIBLE MANAGED BLOCK\nb1\nb2\n# END ANSIBLE MANAGED BLOCK\nlast\n", Files.readString(Path.of(path)));
        assertFalse(tasks.run(new BlockInFileModule(), "e1", Map.of("path", path, "block", "b1\nb2", "insertafter", "^first")).changed());
        tasks.run(new BlockInFileModule(), "e1", Map.of("path", path, "block", "new"));
        assertEquals("first\n# BEGIN ANSIBLE MANAGED BLOCK\nnew\n# END ANSIBLE MANAGED BLOCK\nlast\n", Files.readString(Path.of(path)));
        TaskResult out = tasks.run(new BlockInFileModule(), "e1", Map.of("path", path, "state", "absent"));
        assertEquals("Block removed", out.message());
        assertEquals("first\nlast\n", Files.readString(Path.of(path)));
    }

    @Test
    void replaceSubstitutesEveryMatchWithGroupsThenIsOk() throws Exception {
        String path = write("g.conf", "a = 1\nb = 2\n");
        TaskResult r = tasks.run(new ReplaceModule(), "e1", Map.of("path", path, "regexp", "^(\\w) = (\\d)$", "replace", "\\1 := \\g<2>0"));
        assertEquals("2 replacements made", r.message());
        assertEquals("a := 10\nb := 20\n", Files.readString(Path.of(path)));
        assertFalse(tasks.run(new ReplaceModule(), "e1", Map.of("path", path, "regexp", "^(\\w) = (\\d)$", "replace", "x")).changed());
    }

    @Test
    void replaceWithBackupKeepsTheOldText() throws Exception {
        String path = write("h.conf", "old\n");
        TaskResult r = tasks.run(new ReplaceModule(), "e1", Map.of("path", path, "regexp", "old", "replace", "new", "backup", true));
        String backup = String.valueOf(((TaskResult.Ok) r).data().get("backup_file"));
        assertEquals("old\n", Files.readString(Path.of(backup)));
        assertEquals("new\n", Files.readString(Path.of(path)));
    }
}
