package org.omerofleet.modules.omero;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omerofleet.modules.Args;
import org.omerofleet.result.TaskResult;
import org.omerofleet.testing.ModuleContext;
import org.omerofleet.testing.RecordingConnection;

class OmeroScriptsTest {

    /** SHA-256 of no bytes: every release ships empty {@code __init__.py} files. */
    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @TempDir
    Path dir;

    @Test
    void porcelainRecordsGiveRenamedModifiedAndNewFilesButNotDeletedOnes() {
        String status = "R  omero/util/new name.py\0omero/util/old.py\0 M omero/shipped.py\0?? omero/\"quoted\".py\0 D omero/gone.py\0";
        assertEquals(List.of("omero/util/new name.py", "omero/shipped.py", "omero/\"quoted\".py"), OmeroScripts.changedFiles(status));
    }

    @Test
    void theShippedManifestKnowsTheReleasesFrom440To561AndNotOlderOnes() {
        assertEquals(EMPTY, PristineScripts.fromManifest("5.6.1").orElseThrow().sums().get("omero/util_scripts/__init__.py"));
        assertTrue(PristineScripts.fromManifest("5.4.10").orElseThrow().sums().containsKey("omero/util_scripts/Combine_Images.py"));
        assertTrue(PristineScripts.fromManifest("4.4.0").orElseThrow().sums().containsKey("omero/export_scripts/Batch_Image_Export.py"));
        assertTrue(PristineScripts.fromManifest("4.3.2").isEmpty(), "4.3 predates the ome/scripts tags");
        assertTrue(PristineScripts.fromManifest("5.6.3").isEmpty(), "no tag, no guess");
    }

    @Test
    void withoutTheOldZipTheInstalledScriptsAreComparedWithTheManifestWithinOmeroOnly() throws Exception {
        RecordingConnection host = new RecordingConnection().on("sha256sum", 0, String.join("\n",
                EMPTY + "  ./omero/util_scripts/__init__.py",
                "ab".repeat(32) + "  ./omero/util_scripts/Combine_Images.py",
                "cd".repeat(32) + "  ./omero/custom_scripts/Local_Export.py",
                "ef".repeat(32) + "  ./README.txt") + "\n", "");
        TaskResult result = new OmeroScripts().run(ModuleContext.on(host, dir), new Args("omero_scripts", Map.of(
                "from", "/opt/omero/OMERO.server", "pristine", "OMERO.server-5.6.1-ice36-b225.zip",
                "release", "5.6.1-ice36-b225")));
        assertEquals(TaskResult.Status.OK, result.status(), result.message());
        assertEquals(List.of("omero/custom_scripts/Local_Export.py"), result.data().get("added"));
        assertEquals(List.of("omero/util_scripts/Combine_Images.py"), result.data().get("modified"));
        assertEquals("the ome/scripts 5.6.1 manifest", result.data().get("compared_with"));
    }

    @Test
    void aReleaseTheManifestLacksWithoutItsZipIsNotComparedAndTheNoteSaysSo() throws Exception {
        RecordingConnection host = new RecordingConnection();
        TaskResult result = new OmeroScripts().run(ModuleContext.on(host, dir), new Args("omero_scripts", Map.of(
                "from", "/opt/omero/OMERO.server", "pristine", "OMERO.server-4.3.2-ice34-b2.zip", "release", "4.3.2-ice34-b2")));
        assertEquals(TaskResult.Status.OK, result.status(), result.message());
        assertTrue(result.message().contains("does not know release 4.3.2-ice34-b2: lib/scripts not compared"), result.message());
        assertEquals(List.of(), host.commands(), "nothing to compare, nothing run");
    }
}
