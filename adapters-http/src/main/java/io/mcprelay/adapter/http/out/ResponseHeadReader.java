package io.mcprelay.adapter.http.out;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads an upstream's response head off a connection: the status line (HTTP/1.0 or 1.1), interim
 * 1xx answers skipped, and the header fields, parsed in place in the connection's buffer. Bounded:
 * a head over {@value #MAX_HEAD_BYTES} bytes or {@value #MAX_HEADERS} fields, more than
 * {@value #MAX_INTERIM} interim answers, or a head not whole within the head deadline once its first
 * byte came, is a failure, so an upstream cannot make the relay read or keep without end.
 *
 * <p>Strict where a lax reading would let an upstream put something before the client: a status
 * outside 100..599, an interim answer over HTTP/1.0 (which has none) or a {@code 101} (the relay
 * asked for no protocol switch), a header value with a control character (a bare CR, NUL, ...) and
 * a transfer coding other than {@code chunked} (the relay asks for none) or next to a
 * {@code Content-Length} (RFC 9112, section 6.3: an error) are protocol failures with
 * a message that says what was wrong; the interim answers' own fields are dropped. Anything that is
 * not HTTP/1.x is refused the same way.
 */
final class ResponseHeadReader {

    static final int MAX_HEAD_BYTES = 16 * 1024;
    static final int MAX_HEADERS = 128;
    static final int MAX_INTERIM = 16;
    /** Header names most upstreams send, so that they are not allocated per answer. */
    private static final String[] KNOWN_NAMES = {"content-type", "content-length", "transfer-encoding", "connection",
            "keep-alive", "date", "mcp-session-id", "cache-control", "x-powered-by", "vary", "server", "etag",
            "access-control-allow-origin", "access-control-expose-headers", "content-encoding"};

    private ResponseHeadReader() {
    }

    /**
     * Reads the final head; waits for its first byte under the read timeout, then for the rest of it
     * (interim answers included) until {@code headTimeout} after that byte at the latest.
     */
    static ResponseHead read(UpstreamConnection connection, Duration headTimeout) throws IOException {
        if (!connection.awaitByte()) {
            throw new UpstreamClosedEarlyException();
        }
        connection.headDeadlineIn(headTimeout.toNanos());
        try {
            return read(connection);
        } finally {
            connection.headDeadlineIn(Long.MIN_VALUE);
        }
    }

    /** Reads the final head without a deadline of its own (each read still has the read timeout). */
    static ResponseHead read(UpstreamConnection connection) throws IOException {
        for (int interim = 0; ; interim++) {
            Map<String, String> headers = new HashMap<>(16);
            int status = readHead(connection, headers);
            int code = status % 1000;
            if (code >= 200) {
                connection.shrinkBuffer();
                return head(status, headers);
            }
            if (code == 101) {
                throw new UpstreamProtocolException("the upstream switched protocols (101) though the relay asked for none");
            }
            if (status >= 1000) {
                throw new UpstreamProtocolException("the upstream sent an interim answer (" + code + ") over HTTP/1.0, which has none");
            }
            if (interim == MAX_INTERIM) {
                throw new UpstreamProtocolException("the upstream sent more than " + MAX_INTERIM + " interim (1xx) answers");
            }
        }
    }

    /** Reads one status line and its fields into {@code headers}; returns the status (HTTP/1.0 reported as 1000 + status). */
    private static int readHead(UpstreamConnection connection, Map<String, String> headers) throws IOException {
        int budget = MAX_HEAD_BYTES;
        int lf = connection.lineEnd(budget);
        if (lf < 0) {
            throw tooLarge();
        }
        byte[] b = connection.buffer();
        int start = connection.position();
        int end = lineContentEnd(b, start, lf);
        int status = statusOf(b, start, end);
        budget -= lf + 1 - start;
        connection.consumeTo(lf + 1);
        for (int fields = 0; ; fields++) {
            lf = connection.lineEnd(budget);
            if (lf < 0) {
                throw tooLarge();
            }
            b = connection.buffer();
            start = connection.position();
            end = lineContentEnd(b, start, lf);
            budget -= lf + 1 - start;
            connection.consumeTo(lf + 1);
            if (end == start) {
                return status;
            }
            if (fields == MAX_HEADERS) {
                throw new UpstreamProtocolException("the upstream's response head has more than " + MAX_HEADERS + " header fields");
            }
            field(b, start, end, headers);
        }
    }

    private static UpstreamProtocolException tooLarge() {
        return new UpstreamProtocolException("the upstream's response head is larger than " + MAX_HEAD_BYTES + " bytes");
    }

    /** The end of a line's content: before its LF, and before a CR just before it. */
    private static int lineContentEnd(byte[] b, int start, int lf) {
        return lf > start && b[lf - 1] == '\r' ? lf - 1 : lf;
    }

    /**
     * The status code of {@code HTTP/1.x NNN[ reason]}; for HTTP/1.0 the code plus 1000, so that the
     * caller learns the version without another allocation.
     */
    private static int statusOf(byte[] b, int start, int end) throws UpstreamProtocolException {
        int length = end - start;
        boolean valid = length >= 12 && b[start] == 'H' && b[start + 1] == 'T' && b[start + 2] == 'T' && b[start + 3] == 'P'
                && b[start + 4] == '/' && b[start + 5] == '1' && b[start + 6] == '.' && isDigit(b[start + 7])
                && b[start + 8] == ' ' && isDigit(b[start + 9]) && isDigit(b[start + 10]) && isDigit(b[start + 11])
                && (length == 12 || b[start + 12] == ' ');
        if (!valid) {
            String seen = new String(b, start, Math.min(length, 40), StandardCharsets.ISO_8859_1);
            throw new UpstreamProtocolException("the upstream's answer does not start with an HTTP/1.x status line: \""
                    + RequestEncoder.printable(seen) + "\"");
        }
        int status = (b[start + 9] - '0') * 100 + (b[start + 10] - '0') * 10 + (b[start + 11] - '0');
        if (status < 100 || status > 599) {
            throw new UpstreamProtocolException("the upstream answered an invalid status code " + status + " (not 100..599)");
        }
        for (int i = start + 12; i < end; i++) {
            if (isControl(b[i])) {
                throw new UpstreamProtocolException("the upstream's status line holds a control character (0x"
                        + Integer.toHexString(b[i] & 0xFF) + ")");
            }
        }
        return b[start + 7] == '0' ? 1000 + status : status;
    }

    private static void field(byte[] b, int start, int end, Map<String, String> headers) throws UpstreamProtocolException {
        if (b[start] == ' ' || b[start] == '\t') {
            throw new UpstreamProtocolException("the upstream's response head folds a header line (obsolete, not accepted)");
        }
        int colon = start;
        while (colon < end && b[colon] != ':') {
            if (!isTokenByte(b[colon])) {
                throw malformed(b, start, end);
            }
            colon++;
        }
        if (colon == end || colon == start) {
            throw malformed(b, start, end);
        }
        int from = colon + 1;
        int to = end;
        while (from < to && (b[from] == ' ' || b[from] == '\t')) {
            from++;
        }
        while (to > from && (b[to - 1] == ' ' || b[to - 1] == '\t')) {
            to--;
        }
        String name = nameOf(b, start, colon);
        for (int i = from; i < to; i++) {
            if (isControl(b[i])) {
                throw new UpstreamProtocolException("the upstream's header " + RequestEncoder.printable(name)
                        + " holds a control character (0x" + Integer.toHexString(b[i] & 0xFF) + ")");
            }
        }
        String value = new String(b, from, to - from, StandardCharsets.ISO_8859_1);
        headers.merge(name, value, (first, next) -> first + ", " + next);
    }

    private static UpstreamProtocolException malformed(byte[] b, int start, int end) {
        String line = new String(b, start, Math.min(end - start, 40), StandardCharsets.ISO_8859_1);
        return new UpstreamProtocolException("the upstream's response head has a malformed header line: \""
                + RequestEncoder.printable(line) + "\"");
    }

    /** The lower-case name, without allocating for the usual ones. */
    private static String nameOf(byte[] b, int start, int end) {
        int length = end - start;
        for (String known : KNOWN_NAMES) {
            if (known.length() == length && equalsIgnoreCase(known, b, start)) {
                return known;
            }
        }
        return new String(b, start, length, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    }

    private static boolean equalsIgnoreCase(String lower, byte[] b, int start) {
        for (int i = 0; i < lower.length(); i++) {
            int c = b[start + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** What the fields say about the body and the connection (RFC 9112, sections 6.3 and 9.3). */
    private static ResponseHead head(int statusAndVersion, Map<String, String> fields) throws UpstreamProtocolException {
        boolean http10 = statusAndVersion >= 1000;
        int status = http10 ? statusAndVersion - 1000 : statusAndVersion;
        String connection = fields.get("connection");
        boolean keepAlive = http10 ? hasToken(connection, "keep-alive") : !hasToken(connection, "close");
        String transferEncoding = fields.get("transfer-encoding");
        String contentLength = fields.get("content-length");
        ResponseHead.Framing framing;
        long length = -1;
        if (status == 204 || status == 304) {
            framing = ResponseHead.Framing.NONE;
        } else if (transferEncoding != null) {
            // only chunked, as the relay asks for no coding
            if (!transferEncoding.strip().equalsIgnoreCase("chunked")) {
                throw new UpstreamProtocolException("the upstream used a transfer coding the relay did not ask for: \""
                        + RequestEncoder.printable(transferEncoding) + "\"");
            }
            if (contentLength != null) {
                // RFC 9112, section 6.3: a sign of response splitting, that "ought to be handled as an error"
                throw bothFramings();
            }
            framing = ResponseHead.Framing.CHUNKED;
        } else if (contentLength != null) {
            framing = ResponseHead.Framing.LENGTH;
            length = parseLength(contentLength);
        } else {
            framing = ResponseHead.Framing.UNTIL_CLOSE;
            keepAlive = false;
        }
        String contentType = fields.getOrDefault("content-type", "");
        return new ResponseHead(status, new HttpAnswer.Headers(fields), contentType, framing, length, keepAlive);
    }

    static UpstreamProtocolException bothFramings() {
        return new UpstreamProtocolException("the upstream sent both Transfer-Encoding and Content-Length");
    }

    /** A {@code Content-Length}: digits, or a list of the same digits (a repeated header); anything else is refused. */
    private static long parseLength(String value) throws UpstreamProtocolException {
        long length = -1;
        for (String part : value.indexOf(',') < 0 ? new String[] {value} : value.split(",", -1)) {
            String digits = part.strip();
            if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new UpstreamProtocolException("the upstream sent an invalid Content-Length: \""
                        + RequestEncoder.printable(value) + "\"");
            }
            long parsed = Long.parseLong(digits);
            if (length >= 0 && parsed != length) {
                throw new UpstreamProtocolException("the upstream sent conflicting Content-Length values: \""
                        + RequestEncoder.printable(value) + "\"");
            }
            length = parsed;
        }
        return length;
    }

    /** Whether the comma-separated {@code list} holds {@code token}, in any case; read in place (every answer has one). */
    private static boolean hasToken(String list, String token) {
        if (list == null) {
            return false;
        }
        for (int start = 0; start <= list.length(); ) {
            int comma = list.indexOf(',', start);
            int end = comma < 0 ? list.length() : comma;
            int from = start;
            int to = end;
            while (from < to && Character.isWhitespace(list.charAt(from))) {
                from++;
            }
            while (to > from && Character.isWhitespace(list.charAt(to - 1))) {
                to--;
            }
            if (to - from == token.length() && list.regionMatches(true, from, token, 0, token.length())) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    /** A control character, which no field value or reason phrase may hold (RFC 9110, section 5.5): all but HTAB. */
    static boolean isControl(byte b) {
        return b >= 0 && b < 0x20 && b != '\t' || b == 0x7F;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean isTokenByte(byte b) {
        return b > 0x20 && b < 0x7F && "\"(),/:;<=>?@[\\]{}".indexOf(b) < 0;
    }
}
