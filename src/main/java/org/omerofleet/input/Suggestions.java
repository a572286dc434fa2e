package org.omerofleet.input;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * Find the closest known word to a misspelt one ("did you mean 'serial'?").
 */
public final class Suggestions {

    private Suggestions() {
    }

    /**
     * {@return {@code did you mean 'x'?} for the nearest candidate within a small edit distance, or else
     * for the shortest candidate that {@code word} begins}
     */
    public static Optional<String> didYouMean(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(word.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        int allowed = Math.max(1, Math.min(3, word.length() / 3));
        if (best != null && bestDistance <= allowed) {
            return Optional.of("did you mean '" + best + "'?");
        }
        return shortestExtension(word, candidates).map(c -> "did you mean '" + c + "'?");
    }

    /** A cut-short word ({@code child}, {@code web}) is close to the shortest candidate it begins. */
    private static Optional<String> shortestExtension(String word, Collection<String> candidates) {
        if (word.length() < 3) {
            return Optional.empty();
        }
        String prefix = word.toLowerCase(Locale.ROOT);
        String best = null;
        for (String candidate : candidates) {
            if (candidate.toLowerCase(Locale.ROOT).startsWith(prefix) && (best == null || candidate.length() < best.length())) {
                best = candidate;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Optimal string alignment distance: Levenshtein plus adjacent transpositions ("serail"). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
