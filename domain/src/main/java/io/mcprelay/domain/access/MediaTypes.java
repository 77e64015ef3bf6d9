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
        for (String range : acceptHeader.split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].trim().toLowerCase(Locale.ROOT);
            if (refused(parts)) {
                continue;
            }
            if (type.equals(wanted) || type.equals("*/*") || type.equals(wantedFamily + "/*")) {
                return true;
            }
        }
        return false;
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
