package io.mcprelay.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal HTTP/1.1 client over a plain socket: one request per connection, the response body read
 * line by line as it arrives (chunked or not). The load tools use it instead of a full client so that
 * nothing between the socket and the measurement buffers or schedules: a line is timed in the read
 * that delivered it.
 */
final class Http1 implements AutoCloseable {

    static final String PROTOCOL_VERSION = "2025-06-18";

    private final Socket socket;
    private final InputStream in;
    private int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private boolean chunked;
    private long chunkLeft;
    private boolean ended;
    private final byte[] buffer = new byte[4096];
    private int position;
    private int limit;

    private Http1(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /** Sends {@code method} with {@code body} (may be null) and reads the response head. */
    static Http1 exchange(String host, int port, String method, String path, Map<String, String> extraHeaders, String body)
            throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 10_000);
        Http1 http = new Http1(socket);
        try {
            byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder(256).append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(host).append(':').append(port).append("\r\n")
                    .append("Connection: close\r\n");
            extraHeaders.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            if (body != null) {
                head.append("Content-Type: application/json\r\nContent-Length: ").append(payload.length).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            ByteArrayOutputStream request = new ByteArrayOutputStream(head.length() + payload.length);
            request.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            request.writeBytes(payload);
            out.write(request.toByteArray());
            out.flush();
            http.readHead();
            return http;
        } catch (IOException | RuntimeException e) {
            http.close();
            throw e;
        }
    }

    /** The headers MCP requests carry; {@code session} may be null (initialize). */
    static Map<String, String> mcpHeaders(String session) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Accept", "application/json, text/event-stream");
        if (session != null) {
            h.put("Mcp-Session-Id", session);
            h.put("MCP-Protocol-Version", PROTOCOL_VERSION);
        }
        return h;
    }

    int status() {
        return status;
    }

    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    private void readHead() throws IOException {
        String statusLine = rawLine();
        if (statusLine == null || !statusLine.startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response: " + statusLine);
        }
        status = Integer.parseInt(statusLine.substring(9, 12));
        String line;
        while ((line = rawLine()) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        chunked = "chunked".equalsIgnoreCase(header("transfer-encoding"));
        String length = header("content-length");
        if (!chunked && length != null) {
            chunkLeft = Long.parseLong(length);
            ended = chunkLeft == 0;
        } else {
            chunkLeft = chunked ? 0 : Long.MAX_VALUE;
        }
    }

    /** The next line of the body (without its terminator), or null at its end. */
    String bodyLine() throws IOException {
        StringBuilder line = new StringBuilder(128);
        while (true) {
            int b = bodyByte();
            if (b < 0) {
                return line.isEmpty() ? null : line.toString();
            }
            if (b == '\n') {
                int last = line.length() - 1;
                if (last >= 0 && line.charAt(last) == '\r') {
                    line.setLength(last);
                }
                return line.toString();
            }
            line.append((char) b);
        }
    }

    /** The whole remaining body as text. */
    String bodyText() throws IOException {
        StringBuilder text = new StringBuilder();
        String line;
        while ((line = bodyLine()) != null) {
            text.append(line).append('\n');
        }
        return text.toString();
    }

    private int bodyByte() throws IOException {
        if (ended) {
            return -1;
        }
        if (chunked && chunkLeft == 0) {
            String size = rawLine();
            if (size != null && size.isEmpty()) {
                size = rawLine();
            }
            if (size == null) {
                ended = true;
                return -1;
            }
            int semicolon = size.indexOf(';');
            chunkLeft = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            if (chunkLeft == 0) {
                ended = true;
                return -1;
            }
        }
        int b = rawByte();
        if (b < 0) {
            ended = true;
            return -1;
        }
        if (--chunkLeft == 0 && !chunked) {
            ended = true;
        }
        return b;
    }

    private String rawLine() throws IOException {
        StringBuilder line = new StringBuilder(64);
        int b;
        while ((b = rawByte()) >= 0) {
            if (b == '\n') {
                int last = line.length() - 1;
                if (last >= 0 && line.charAt(last) == '\r') {
                    line.setLength(last);
                }
                return line.toString();
            }
            line.append((char) b);
        }
        return line.isEmpty() ? null : line.toString();
    }

    private int rawByte() throws IOException {
        if (position == limit) {
            int n = in.read(buffer, 0, buffer.length);
            if (n <= 0) {
                return -1;
            }
            position = 0;
            limit = n;
        }
        return buffer[position++] & 0xFF;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a benchmark connection is best effort
        }
    }
}
