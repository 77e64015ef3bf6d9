package io.mcprelay.bootstrap;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Durations as the options write them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}, or ISO-8601. */
final class Durations {

    private Durations() {
    }

    /**
     * Reads {@code text}; throws {@link NumberFormatException} or {@link DateTimeParseException} when it
     * is none of the accepted forms (a bare number has no unit and is refused).
     */
    static Duration parse(String text) {
        String v = text.trim().toLowerCase(Locale.ROOT);
        if (v.startsWith("p") || v.startsWith("-p")) {
            return Duration.parse(v.toUpperCase(Locale.ROOT));
        }
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.isEmpty()) {
            throw new NumberFormatException("empty");
        }
        long n = Long.parseLong(v.substring(0, v.length() - 1));
        return switch (v.charAt(v.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> throw new NumberFormatException("no unit");
        };
    }

    /** The shortest exact form {@link #parse} reads back: {@code 1500ms}, {@code 90s}, {@code 5m}, {@code 2h}. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s != 0 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s != 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
