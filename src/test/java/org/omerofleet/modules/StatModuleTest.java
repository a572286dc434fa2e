package org.omerofleet.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omerofleet.result.TaskResult;
import org.omerofleet.testing.ModuleContext;
import org.omerofleet.testing.RecordingConnection;

/** The {@code stat} module: the host's answer registered as Ansible's {@code stat} dictionary. */
class StatModuleTest {

    @TempDir
    Path dir;

    private final RecordingConnection host = new RecordingConnection();

    @SuppressWarnings("unchecked")
    private Map<String, Object> stat(Map<String, Object> args) throws Exception {
        TaskResult result = new StatModule().run(ModuleContext.on(host, dir), new Args("stat", args));
        assertEquals(TaskResult.Status.OK, result.status(), result.message());
        return (Map<String, Object>) result.data().get("stat");
    }

    @Test
    void aRegularFileReportsTypeModeSizeOwnersTimeAndChecksum() throws Exception {
        host.on("stat -c", 0, "regular file|640|12|1000|1001|1764748800\n\n" + "ab".repeat(32) + "\n", "");
        Map<String, Object> stat = stat(Map.of("path", "/etc/omero file"));
        assertEquals(true, stat.get("exists"));
        assertEquals(true, stat.get("isreg"));
        assertEquals(false, stat.get("isdir"));
        assertEquals(false, stat.get("islnk"));
        assertEquals("0640", stat.get("mode"));
        assertEquals(12L, stat.get("size"));
        assertEquals(1000, stat.get("uid"));
        assertEquals(1001, stat.get("gid"));
        assertEquals(1764748800L, stat.get("mtime"));
        assertEquals("ab".repeat(32), stat.get("checksum"));
        assertTrue(host.commands().get(0).contains("'/etc/omero file'"), host.commands().get(0));
    }

    @Test
    void aSymlinkReportsItsTarget() throws Exception {
        host.on("stat -c", 0, "symbolic link|777|20|0|0|1764748800\n/opt/OMERO.server-4.4.1\n", "");
        Map<String, Object> stat = stat(Map.of("path", "/opt/OMERO.server", "checksum", false));
        assertEquals(true, stat.get("islnk"));
        assertEquals("/opt/OMERO.server-4.4.1", stat.get("lnk_target"));
        assertFalse(stat.containsKey("checksum"));
        assertFalse(host.commands().get(0).contains("sha256sum"), "checksum: false computes none");
    }

    @Test
    void aMissingPathExistsFalseAndNothingElse() throws Exception {
        host.on("stat -c", 0, "absent\n", "");
        assertEquals(Map.of("exists", false), stat(Map.of("path", "/nope")));
    }

    @Test
    void aFailingStatIsAFailedTaskWithTheHostsMessage() throws Exception {
        host.on("stat -c", 1, "", "stat: Permission denied\n");
        TaskResult result = new StatModule().run(ModuleContext.on(host, dir), new Args("stat", Map.of("path", "/root/x")));
        assertEquals(TaskResult.Status.FAILED, result.status());
        assertEquals("stat: stat: Permission denied", result.message());
    }
}
