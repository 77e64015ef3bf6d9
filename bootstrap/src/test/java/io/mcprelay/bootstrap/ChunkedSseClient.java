package io.mcprelay.bootstrap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A POST to an MCP endpoint over a raw socket whose chunked answer is read chunk by chunk, so that a
 * test can tell a body that was <b>ended cleanly</b> (its last, empty chunk received) from one that
 * was cut (the connection closed mid-body), which an HTTP client library hides or reports alike.
 */
final class ChunkedSseClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final int status;
    private final StringBuilder pending = new StringBuilder();
    private boolean ended;
    private boolean cleanlyEnded;

    private ChunkedSseClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        String statusLine = line();
        this.status = Integer.parseInt(statusLine.split(" ")[1]);
        boolean chunked = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            chunked |= header.toLowerCase(java.util.Locale.ROOT).startsWith("transfer-encoding:") && header.contains("chunked");
        }
        if (!chunked) {
            throw new IOException("not a chunked answer: " + statusLine);
        }
    }

    static ChunkedSseClient post(int port, String session, String body) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        socket.getOutputStream().write(("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json, text/event-stream\r\n"
                + "Content-Type: application/json\r\nMcp-Session-Id: " + session + "\r\nMCP-Protocol-Version: 2025-06-18\r\n"
                + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return new ChunkedSseClient(socket);
    }

    int status() {
        return status;
    }

    /** The next event with data (comments skipped), or empty once the body ended, cleanly or not. */
    Optional<SseTestClient.Event> next() throws IOException {
        while (true) {
            int end = pending.indexOf("\n\n");
            if (end >= 0) {
                String block = pending.substring(0, end);
                pending.delete(0, end + 2);
                String id = null;
                StringBuilder data = new StringBuilder();
                for (String field : block.split("\n")) {
                    if (field.startsWith("id:")) {
                        id = field.substring(3).strip();
                    } else if (field.startsWith("data:")) {
                        data.append(data.isEmpty() ? "" : "\n").append(field.substring(5).strip());
                    }
                }
                if (!data.isEmpty()) {
                    return Optional.of(new SseTestClient.Event(Optional.ofNullable(id), data.toString()));
                }
                continue;
            }
            if (ended || !readChunk()) {
                return Optional.empty();
            }
        }
    }

    /** Whether the body ended with its last chunk (false while it has not ended, or when it was cut). */
    boolean cleanlyEnded() {
        return cleanlyEnded;
    }

    private boolean readChunk() throws IOException {
        String sizeLine;
        try {
            sizeLine = line();
        } catch (IOException e) {
            ended = true;
            return false;
        }
        int size = Integer.parseInt(sizeLine.split(";")[0].strip(), 16);
        if (size == 0) {
            while (!line().isEmpty()) {
                // trailers
            }
            ended = true;
            cleanlyEnded = true;
            return false;
        }
        byte[] chunk = in.readNBytes(size);
        if (chunk.length < size) {
            ended = true;
            return false;
        }
        pending.append(new String(chunk, StandardCharsets.UTF_8).replace("\r\n", "\n"));
        line();
        return true;
    }

    /** One CRLF-terminated line; throws at the end of the stream. */
    private String line() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String text = out.toString(StandardCharsets.US_ASCII);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            out.write(b);
        }
        throw new IOException("connection closed mid-line");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
