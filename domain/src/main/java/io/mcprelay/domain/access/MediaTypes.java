package io.mcprelay.domain.access;

import java.util.Locale;

/**
 * The media-type rules of the transport: a POST must accept both {@code application/json} and
 * {@code text/event-stream} and carry {@code application/json}; a GET must accept
 * {@code text/event-stream}. Wildcards ({@code *}{@code /*}, {@code text/*}) count as accepting.
 */
public final class MediaTypes {

    public static final String JSON = "application/json";
    public static final String EVENT_STREAM = "text/event-stream";

    private MediaTypes() {
    }

    /** Whether an {@code Accept} header value accepts {@code mediaType} (q=0 counts as refusing). */
    public static boolean accepts(String acceptHeader, String mediaType) {
        if (acceptHeader == null) {
            return false;
        }
        String wanted = mediaType.toLowerCase(Locale.ROOT);
        String wantedFamily = wanted.substring(0, wanted.indexOf('/'));
        // The most specific matching range decides (RFC 9110 §12.5.1): "application/json;q=0, */*" refuses JSON.
        int bestSpecificity = -1;
        boolean bestAccepts = false;
        for (String range : acceptHeader.split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].trim().toLowerCase(Locale.ROOT);
            int specificity = type.equals(wanted) ? 2 : type.equals(wantedFamily + "/*") ? 1 : type.equals("*/*") ? 0 : -1;
            if (specificity < 0) {
                continue;
            }
            boolean acceptable = !refused(parts);
            if (specificity > bestSpecificity) {
                bestSpecificity = specificity;
                bestAccepts = acceptable;
            } else if (specificity == bestSpecificity) {
                bestAccepts |= acceptable;
            }
        }
        return bestAccepts;
    }

    /** Whether a {@code Content-Type} value is {@code application/json}, with any parameters. */
    public static boolean isJson(String contentType) {
        return contentType != null && essence(contentType).equals(JSON);
    }

    /** Whether a {@code Content-Type} value is {@code text/event-stream}, with any parameters. */
    public static boolean isEventStream(String contentType) {
        return contentType != null && essence(contentType).equals(EVENT_STREAM);
    }

    private static String essence(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static boolean refused(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim().toLowerCase(Locale.ROOT);
            if (p.startsWith("q=")) {
                try {
                    return Double.parseDouble(p.substring(2)) <= 0.0;
                } catch (NumberFormatException e) {
                    return false;
                }
            }
        }
        return false;
    }
}
