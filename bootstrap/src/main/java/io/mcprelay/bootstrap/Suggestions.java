package io.mcprelay.bootstrap;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" for a mistyped key: the closest known key, when it is close enough to be a typo. */
final class Suggestions {

    private Suggestions() {
    }

    /** {@code " (did you mean \"port\"?)"}, or {@code ""} when nothing is close to {@code unknown}. */
    static String didYouMean(String unknown, List<String> known) {
        return closest(unknown, known).map(k -> " (did you mean \"" + k + "\"?)").orElse("");
    }

    /**
     * The known key that differs from {@code unknown} only in case, dashes or underscores
     * ({@code max-body-bytes} for {@code maxBodyBytes}), or else within a few edits (a third of its length, at most 3).
     */
    static Optional<String> closest(String unknown, List<String> known) {
        String plain = normal(unknown);
        Optional<String> sameWord = known.stream().filter(k -> normal(k).equals(plain)).findFirst();
        if (sameWord.isPresent()) {
            return sameWord;
        }
        int allowed = Math.min(3, Math.max(1, plain.length() / 3));
        return known.stream()
                .filter(k -> distance(normal(k), plain) <= allowed)
                .min(Comparator.comparingInt(k -> distance(normal(k), plain)));
    }

    private static String normal(String key) {
        return key.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }

    /** Edit distance counting a swap of two neighbours as one edit (optimal string alignment). */
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
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
