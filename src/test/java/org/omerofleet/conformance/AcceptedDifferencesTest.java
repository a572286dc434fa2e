package org.omerofleet.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AcceptedDifferencesTest {

    @TempDir
    Path dir;

    private AcceptedDifferences read(String markdown) throws Exception {
        return AcceptedDifferences.read(Files.writeString(dir.resolve("d.md"), markdown));
    }

    @Test
    void aDifferenceIsAcceptedOnlyWhenCaseFieldAndBothValuesMatchARow() throws Exception {
        AcceptedDifferences accepted = read(String.join("\n", "# title", "", "| case | field | ansible | omero-fleet | why |",
                "|---|---|---|---|---|", "| `rescue-fails` | `exit` | 2 | 3 | a failed rescue needs attention \\| by design |", ""));
        assertEquals("a failed rescue needs attention | by design", accepted.rows().get(0).why());
        assertTrue(accepted.accepts("rescue-fails", new Outcome.Difference("exit", "2", "3")));
        assertFalse(accepted.accepts("rescue-fails", new Outcome.Difference("exit", "2", "4")));
        assertFalse(accepted.accepts("rescue-fails", new Outcome.Difference("h1.failed", "2", "3")));
        assertFalse(accepted.accepts("other-case", new Outcome.Difference("exit", "2", "3")));
    }

    @Test
    void tablesWithOtherColumnsAreNotRead() throws Exception {
        assertEquals(List.of(), read("| a | b |\n|---|---|\n| x | y |\n").rows());
    }

    @Test
    void outcomesDifferPerCounterPerHostAndInFiles() {
        Outcome.Stats ok = new Outcome.Stats(2, 1, 0, 0, 0, 0, 0);
        Outcome ansible = new Outcome(2, Map.of("h1", ok, "h2", new Outcome.Stats(1, 0, 0, 1, 0, 0, 0)), Map.of("h1", "a=1"), "", null);
        Outcome fleet = new Outcome(2, Map.of("h1", ok), Map.of("h1", "a=2"), "", null);
        assertEquals(List.of(new Outcome.Difference("h2.ok", "1", "0"), new Outcome.Difference("h2.failed", "1", "0"),
                new Outcome.Difference("h1.files", "{a=1}", "{a=2}")), Outcome.compare(ansible, fleet));
    }

    /** A row for a case that does not exist is a typo or a leftover, and would accept nothing. */
    @Test
    void everyListedCaseIsInTheCorpus() throws Exception {
        List<String> ids = ConformanceCase.all(AnsibleConformanceTest.CORPUS).stream().map(ConformanceCase::id).toList();
        for (AcceptedDifferences.Row row : AcceptedDifferences.read(AnsibleConformanceTest.DIFFERENCES).rows()) {
            assertTrue(ids.contains(row.caseId()), "docs/ansible-differences.md lists '" + row.caseId() + "', which is no case");
        }
    }
}
