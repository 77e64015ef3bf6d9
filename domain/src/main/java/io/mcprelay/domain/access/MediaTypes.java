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

    /**
     * Whether an {@code Accept} header value accepts {@code mediaType} (q=0 counts as refusing). Read in
     * place, range by range, without splitting: it runs for every request.
     */
    public static boolean accepts(String acceptHeader, String mediaType) {
        if (acceptHeader == null) {
            return false;
        }
        String wanted = mediaType.toLowerCase(Locale.ROOT);
        int slash = wanted.indexOf('/');
        // The most specific matching range decides (RFC 9110 §12.5.1): "application/json;q=0, */*" refuses JSON.
        int bestSpecificity = -1;
        boolean bestAccepts = false;
        int length = acceptHeader.length();
        for (int start = 0; start <= length; ) {
            int comma = acceptHeader.indexOf(',', start);
            int end = comma < 0 ? length : comma;
            int semicolon = acceptHeader.indexOf(';', start);
            int typeEnd = semicolon < 0 || semicolon > end ? end : semicolon;
            int specificity = specificity(acceptHeader, start, typeEnd, wanted, slash);
            if (specificity >= 0) {
                boolean acceptable = !refused(acceptHeader, typeEnd, end);
                if (specificity > bestSpecificity) {
                    bestSpecificity = specificity;
                    bestAccepts = acceptable;
                } else if (specificity == bestSpecificity) {
                    bestAccepts |= acceptable;
                }
            }
            start = end + 1;
        }
        return bestAccepts;
    }

    /** 2 for the type itself, 1 for its family's wildcard, 0 for any, -1 for another type. */
    private static int specificity(String header, int from, int to, String wanted, int slash) {
        while (from < to && header.charAt(from) <= ' ') {
            from++;
        }
        while (to > from && header.charAt(to - 1) <= ' ') {
            to--;
        }
        int length = to - from;
        if (length == wanted.length() && asciiEqualsIgnoreCase(header, from, wanted, length)) {
            return 2;
        }
        if (length == slash + 2 && asciiEqualsIgnoreCase(header, from, wanted, slash + 1) && header.charAt(to - 1) == '*') {
            return 1;
        }
        return length == 3 && header.startsWith("*/*", from) ? 0 : -1;
    }

    /** Whether {@code header} at {@code from} holds the first {@code length} chars of lower-case {@code lower}, ASCII letters in any case. */
    private static boolean asciiEqualsIgnoreCase(String header, int from, String lower, int length) {
        for (int i = 0; i < length; i++) {
            char c = header.charAt(from + i);
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the parameters in {@code header[from, to)} (each after a ';') give the range a q of 0. */
    private static boolean refused(String header, int from, int to) {
        while (from < to) {
            int next = header.indexOf(';', from + 1);
            int end = next < 0 || next > to ? to : next;
            String p = header.substring(from + 1, end).trim().toLowerCase(Locale.ROOT);
            if (p.startsWith("q=")) {
                try {
                    return Double.parseDouble(p.substring(2)) <= 0.0;
                } catch (NumberFormatException e) {
                    return false;
                }
            }
            from = end;
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

}
