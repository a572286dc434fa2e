package org.omerofleet.modules.omero;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class OmeroScriptsTest {

    @Test
    void porcelainRecordsGiveRenamedModifiedAndNewFilesButNotDeletedOnes() {
        String status = "R  omero/util/new name.py\0omero/util/old.py\0 M omero/shipped.py\0?? omero/\"quoted\".py\0 D omero/gone.py\0";
        assertEquals(List.of("omero/util/new name.py", "omero/shipped.py", "omero/\"quoted\".py"), OmeroScripts.changedFiles(status));
    }
}
