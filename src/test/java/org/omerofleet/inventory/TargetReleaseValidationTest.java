package org.omerofleet.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.omerofleet.inventory.TestFiles.onlyError;
import static org.omerofleet.inventory.TestFiles.write;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omerofleet.input.InputError;
import org.omerofleet.input.InvalidInputException;

/** {@code omero_target_release} (the report's drift target) must be a release version; a bad one names file, line and column. */
class TargetReleaseValidationTest {

    private final InventoryLoader loader = new InventoryLoader();

    @TempDir
    Path dir;

    private InputError error(String name, String content) {
        Path file = write(dir, name, content);
        return onlyError(assertThrows(InvalidInputException.class, () -> loader.load(file)));
    }

    @Test
    void IN02_aTargetReleaseThatIsNotAVersionIsRefusedWithItsPosition() {
        InputError error = error("hosts.yml", "all:\n  vars:\n    omero_target_release: latest\n  hosts:\n    h1:\n");

        assertEquals("3:27", error.where().line() + ":" + error.where().column(), error.format());
        assertEquals("omero_target_release must be a release version such as 5.6.3, got 'latest'", error.message());
        assertTrue(error.format().contains("hosts.yml"), error.format());
    }

    @Test
    void IN02_aTargetReleaseInAnIniInventoryIsCheckedToo() {
        InputError error = error("hosts", "[omero]\nomero1 omero_target_release=5.6.x\n");

        assertEquals(2, error.where().line());
        assertTrue(error.message().startsWith("omero_target_release must be a release version"), error.message());
    }

    @Test
    void IN02_aTargetReleaseThatIsAListIsRefused() {
        InputError error = error("hosts.yml", "all:\n  hosts:\n    h1:\n      omero_target_release: [5, 6]\n");

        assertEquals("omero_target_release must be a release version such as 5.6.3, got a list", error.message());
    }

    @Test
    void releaseVersionsDistributionNamesAndTemplatesAreAccepted() throws Exception {
        Path file = write(dir, "hosts.yml", "all:\n  hosts:\n    a:\n      omero_target_release: 5.6.3\n"
                + "    b:\n      omero_target_release: OMERO.server-5.4.10-ice36-b105\n"
                + "    c:\n      omero_target_release: \"{{ fleet_release }}\"\n"
                + "    d:\n      omero_target_release: ''\n");

        assertEquals(4, loader.load(file).hosts().size());
    }
}
