package io.mcprelay.domain.intercept;

import java.util.Objects;

/**
 * A name pattern: {@code *} matches any run of characters (also none), every other character
 * matches itself. {@code tools/*} matches {@code tools/list} and {@code tools/call};
 * {@code *} matches everything.
 */
public record Glob(String pattern) {

    /** The longest pattern accepted: {@value} characters. */
    public static final int MAX_LENGTH = 256;

    public Glob {
        Objects.requireNonNull(pattern, "pattern");
        if (pattern.isEmpty() || pattern.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a pattern has 1.." + MAX_LENGTH + " characters");
        }
    }

    /** {@code true} if {@code text} matches the whole pattern. */
    public boolean matches(String text) {
        Objects.requireNonNull(text, "text");
        int p = 0;
        int t = 0;
        int starAt = -1;
        int resumeAt = 0;
        while (t < text.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                starAt = p++;
                resumeAt = t;
            } else if (p < pattern.length() && pattern.charAt(p) == text.charAt(t)) {
                p++;
                t++;
            } else if (starAt >= 0) {
                p = starAt + 1;
                t = ++resumeAt;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
