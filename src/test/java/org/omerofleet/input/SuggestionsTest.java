package org.omerofleet.input;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** "Did you mean" hints for misspelt keys and names. */
class SuggestionsTest {

    private static final List<String> PLAY_KEYS = List.of("hosts", "serial", "tasks", "vars", "max_fail_percentage");

    @Test
    void serailSuggestsSerial() {
        assertEquals(Optional.of("did you mean 'serial'?"), Suggestions.didYouMean("serail", PLAY_KEYS));
    }

    @Test
    void adjacentTranspositionCostsOne() {
        assertEquals(1, Suggestions.distance("serail", "serial"));
        assertEquals(3, Suggestions.distance("kitten", "sitting"));
    }

    @Test
    void caseDoesNotMatter() {
        assertEquals(Optional.of("did you mean 'hosts'?"), Suggestions.didYouMean("HOSTS", PLAY_KEYS));
    }

    @Test
    void unrelatedWordGetsNoSuggestion() {
        assertEquals(Optional.empty(), Suggestions.didYouMean("handlers", PLAY_KEYS));
    }

    @Test
    void shortWordAllowsOnlyOneEdit() {
        assertEquals(Optional.of("did you mean 'vars'?"), Suggestions.didYouMean("var", PLAY_KEYS));
        assertEquals(Optional.empty(), Suggestions.didYouMean("vxyz", PLAY_KEYS));
    }

    @Test
    void cutShortWordSuggestsTheShortestNameItBegins() {
        assertEquals(Optional.of("did you mean 'max_fail_percentage'?"), Suggestions.didYouMean("max_fail", PLAY_KEYS));
        assertEquals(Optional.of("did you mean 'webservers'?"),
                Suggestions.didYouMean("web", List.of("webservers_eu", "webservers", "db")));
    }

    @Test
    void noCandidatesMeansNoSuggestion() {
        assertEquals(Optional.empty(), Suggestions.didYouMean("serial", List.of()));
    }
}
