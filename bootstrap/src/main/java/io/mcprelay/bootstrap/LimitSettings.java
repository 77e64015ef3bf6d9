package io.mcprelay.bootstrap;

import io.mcprelay.domain.limit.OutagePolicy;
import io.mcprelay.domain.limit.RateLimit;
import io.mcprelay.domain.limit.RateLimits;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the rate limit options are written (docs/limits.md): a rate is {@code N/PERIOD} with an optional
 * {@code ,burst=M} ({@code 20/1s}, {@code 600/1m,burst=50}, {@code 5/s}); a tool's limit is
 * {@code TOOL=RATE}; the outage policy is {@code open} or {@code closed}. Every parser throws
 * {@link IllegalArgumentException} with a message starting with the setting's origin.
 */
final class LimitSettings {

    private LimitSettings() {
    }

    /** {@code N/PERIOD[,burst=M]}. */
    static RateLimit rate(String label, String value) {
        String text = value.trim();
        int slash = text.indexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException(label + ": expected a rate N/PERIOD[,burst=M] (e.g. 20/1s), not " + Settings.quoted(value));
        }
        int comma = text.indexOf(',', slash);
        String period = (comma < 0 ? text.substring(slash + 1) : text.substring(slash + 1, comma)).trim();
        long tokens = number(label, text.substring(0, slash), "requests");
        long burst = tokens;
        if (comma >= 0) {
            String extra = text.substring(comma + 1).trim();
            if (!extra.startsWith("burst=")) {
                throw new IllegalArgumentException(label + ": after the rate only ,burst=M may follow, not " + Settings.quoted(extra));
            }
            burst = number(label, extra.substring("burst=".length()), "burst");
        }
        Duration per;
        try {
            per = Durations.parse(!period.isEmpty() && Character.isLetter(period.charAt(0)) ? "1" + period : period);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException(label + ": not a period (500ms, 1s, 1m, 1h): " + Settings.quoted(period));
        }
        try {
            return new RateLimit(tokens, per, burst);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(label + ": " + e.getMessage());
        }
    }

    /** {@code TOOL=RATE}. */
    static Map.Entry<String, RateLimit> tool(String label, String value) {
        int eq = value.lastIndexOf('=', value.indexOf('/') < 0 ? value.length() : value.indexOf('/'));
        if (eq <= 0 || value.substring(0, eq).isBlank()) {
            throw new IllegalArgumentException(label + ": expected TOOL=RATE (e.g. search=5/1s), not " + Settings.quoted(value));
        }
        return Map.entry(value.substring(0, eq).trim(), rate(label, value.substring(eq + 1)));
    }

    /** {@code open} or {@code closed}. */
    static OutagePolicy outage(String label, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "open" -> OutagePolicy.OPEN;
            case "closed" -> OutagePolicy.CLOSED;
            default -> throw new IllegalArgumentException(label + ": open or closed, not " + Settings.quoted(value));
        };
    }

    /** The tools' limits of {@code settings} (a tool named twice keeps its last limit); invalid ones are skipped (reported by the check). */
    static Map<String, RateLimit> tools(List<Setting> settings) {
        Map<String, RateLimit> tools = new TreeMap<>();
        for (Setting setting : settings) {
            try {
                Map.Entry<String, RateLimit> tool = tool(setting.origin(), setting.value());
                tools.put(tool.getKey(), tool.getValue());
            } catch (IllegalArgumentException reported) {
                // Settings.check reports it
            }
        }
        return tools;
    }

    /** The tools' limits as the configuration writes them, for {@code --print-config}. */
    static List<String> describeTools(RateLimits limits) {
        return new TreeMap<>(limits.perTool()).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().describe()).toList();
    }

    private static long number(String label, String text, String what) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(label + ": the " + what + " of a rate is a whole number, not " + Settings.quoted(text));
        }
    }
}
