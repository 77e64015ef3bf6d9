package io.mcprelay.adapter.http.out;

import io.mcprelay.domain.access.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes one upstream request, head and body, into a single array, so that it goes out in one write.
 *
 * <p>The client owns the framing: {@code Host}, {@code Content-Length}, {@code Transfer-Encoding}
 * and {@code Connection} given by the caller are not sent (the header policy never forwards them;
 * this makes sure). A header name that is not an HTTP token, or a value with CR, LF or NUL, is
 * refused with {@link IllegalArgumentException} before anything is sent: a header can never inject
 * another header or a second request.
 */
final class RequestEncoder {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] ACCEPT_BOTH = ("Accept: " + MediaTypes.JSON + ", " + MediaTypes.EVENT_STREAM + "\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] SESSION_ID = "Mcp-Session-Id: ".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] CONTENT_LENGTH = "Content-Length: ".getBytes(StandardCharsets.ISO_8859_1);
    /** Bytes for the fixed lines and separators besides the headers and body, with room to spare. */
    private static final int FIXED_BYTES = 128;

    /** The encoded request: {@code bytes[0, length)}. */
    record Encoded(byte[] bytes, int length) {
    }

    private byte[] bytes;
    private int length;

    private RequestEncoder(int capacity) {
        this.bytes = new byte[capacity];
    }

    static Encoded encode(Endpoint endpoint, HttpRequest request) {
        Map<String, String> headers = request.headers();
        String sessionId = request.sessionId().map(id -> id.value()).orElse(null);
        int capacity = FIXED_BYTES + endpoint.targetAndHost().length + request.body().length
                + (sessionId == null ? 0 : 3 * sessionId.length());
        for (Map.Entry<String, String> header : headers.entrySet()) {
            capacity += header.getKey().length() + 3 * header.getValue().length() + 4;
        }
        RequestEncoder out = new RequestEncoder(capacity);
        out.ascii(request.method().name());
        out.append(endpoint.targetAndHost());
        boolean accept = false;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = header.getKey();
            if (isOwnedByTheClient(name) || sessionId != null && name.equalsIgnoreCase("mcp-session-id")) {
                continue;
            }
            accept |= name.equalsIgnoreCase("accept");
            out.header(name, header.getValue());
        }
        if (!accept) {
            out.append(ACCEPT_BOTH);
        }
        if (sessionId != null) {
            out.append(SESSION_ID);
            out.value("Mcp-Session-Id", sessionId);
            out.append(CRLF);
        }
        byte[] body = request.body();
        if (request.method() == HttpRequest.Method.POST || body.length > 0) {
            out.append(CONTENT_LENGTH);
            out.ascii(Integer.toString(body.length));
            out.append(CRLF);
        }
        out.append(CRLF);
        out.append(body);
        return new Encoded(out.bytes, out.length);
    }

    private static boolean isOwnedByTheClient(String name) {
        return switch (name.length()) {
            case 4 -> name.equalsIgnoreCase("host");
            case 10 -> name.equalsIgnoreCase("connection");
            case 14 -> name.equalsIgnoreCase("content-length");
            case 17 -> name.equalsIgnoreCase("transfer-encoding");
            default -> false;
        };
    }

    private void header(String name, String value) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a request header without a name; not sent");
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isTokenChar(name.charAt(i))) {
                throw new IllegalArgumentException("request header name \"" + printable(name)
                        + "\" is not an HTTP token; not sent");
            }
        }
        ascii(name);
        ensure(2);
        bytes[length++] = ':';
        bytes[length++] = ' ';
        value(name, value);
        append(CRLF);
    }

    /** A header value: ASCII as it is, anything else as UTF-8; CR, LF and NUL refused. */
    private void value(String name, String value) {
        boolean ascii = true;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == '\0') {
                throw new IllegalArgumentException("request header " + printable(name)
                        + " has a CR, LF or NUL in its value; not sent");
            }
            ascii &= c < 0x80;
        }
        if (ascii) {
            ascii(value);
        } else {
            append(value.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static boolean isTokenChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /** The text with control and non-ASCII characters escaped, for a message. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 64) + 8);
        for (int i = 0; i < text.length() && i < 64; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7F) {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return text.length() > 64 ? out.append("...").toString() : out.toString();
    }

    private void ascii(String text) {
        ensure(text.length());
        for (int i = 0; i < text.length(); i++) {
            bytes[length++] = (byte) text.charAt(i);
        }
    }

    private void append(byte[] more) {
        ensure(more.length);
        System.arraycopy(more, 0, bytes, length, more.length);
        length += more.length;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
