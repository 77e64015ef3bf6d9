package io.mcprelay.bench;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.encoding.ContentEncodingContext;
import io.helidon.http.media.MediaContext;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.http1.Http1Config;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The floor under any proxy built like mcp-relay, measured beside it in the JSON phase: Helidon's
 * WebServer with the relay's listener settings (HTTP/1.1, plain sockets, a 256-byte response buffer)
 * and a POST handler that does only what no proxy can skip.
 *
 * <ul>
 *   <li>{@code HelidonFloor PORT} ("helidon-floor" in the report): answers every POST with a canned
 *       JSON-RPC result. The server alone: accept, parse, route, write.</li>
 *   <li>{@code HelidonFloor PORT UPSTREAM_PORT} ("helidon-hop"): forwards each POST's body as it is to
 *       the upstream on a pooled keep-alive socket, blocking on a virtual thread as the relay does, and
 *       answers with the upstream's body. The server plus one upstream hop, without sessions, JSON-RPC,
 *       header rules, metrics or timeouts: no proxy on this server model can be faster.</li>
 * </ul>
 *
 * <p>Not a proxy: it trusts the upstream to answer with {@code Content-Length} (the canned nginx
 * upstream does) and has no error handling beyond dropping a connection that failed.
 */
public final class HelidonFloor {

    private static final byte[] CANNED = "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"hello\"}],\"isError\":false}}"
            .getBytes(StandardCharsets.UTF_8);

    private final ConcurrentLinkedDeque<Upstream> idle = new ConcurrentLinkedDeque<>();
    private final int upstreamPort;

    private HelidonFloor(int upstreamPort) {
        this.upstreamPort = upstreamPort;
    }

    /** {@code bench.HelidonFloor PORT [UPSTREAM_PORT]}. */
    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        HelidonFloor floor = new HelidonFloor(args.length > 1 ? Integer.parseInt(args[1]) : -1);
        WebServer.builder()
                .host("127.0.0.1")
                .port(port)
                .useNio(false)
                .writeBufferSize(256)
                .featuresDiscoverServices(false)
                .protocolsDiscoverServices(false)
                .addProtocol(Http1Config.create())
                .concurrencyLimitDiscoverServices(false)
                .mediaContext(MediaContext.builder().mediaSupportsDiscoverServices(false).build())
                .contentEncoding(ContentEncodingContext.builder().contentEncodingsDiscoverServices(false).build())
                .routing(routing -> routing.post("/mcp", floor::handle))
                .build()
                .start();
        Thread.currentThread().join();
    }

    private void handle(ServerRequest request, ServerResponse response) throws IOException {
        byte[] body = request.content().inputStream().readAllBytes();
        byte[] answer = upstreamPort < 0 ? CANNED : forward(body, request.headers().first(HeaderNames.create("Mcp-Session-Id")).orElse(""));
        response.header(HeaderNames.CONTENT_TYPE, MediaTypes.APPLICATION_JSON.text());
        response.send(answer);
    }

    private byte[] forward(byte[] body, String session) throws IOException {
        Upstream upstream = idle.pollFirst();
        if (upstream == null) {
            upstream = new Upstream(upstreamPort);
        }
        try {
            byte[] answer = upstream.exchange(body, session);
            idle.addFirst(upstream);
            return answer;
        } catch (IOException | RuntimeException e) {
            upstream.close();
            throw e;
        }
    }

    /** One keep-alive connection to the upstream with its read buffer. */
    private static final class Upstream {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private byte[] buffer = new byte[2048];
        private int limit;

        Upstream(int port) throws IOException {
            SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            this.socket = channel.socket();
            socket.setTcpNoDelay(true);
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        byte[] exchange(byte[] body, String session) throws IOException {
            byte[] head = ("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Accept: application/json, text/event-stream\r\nMcp-Session-Id: " + session
                    + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            byte[] request = Arrays.copyOf(head, head.length + body.length);
            System.arraycopy(body, 0, request, head.length, body.length);
            out.write(request);
            out.flush();
            limit = 0;
            int headEnd;
            while ((headEnd = indexOf(buffer, limit, "\r\n\r\n")) < 0) {
                fill();
            }
            int length = contentLength(new String(buffer, 0, headEnd, StandardCharsets.ISO_8859_1));
            int end = headEnd + 4 + length;
            while (limit < end) {
                fill();
            }
            if (limit != end) {
                throw new IOException("the upstream sent more than its answer");
            }
            return Arrays.copyOfRange(buffer, headEnd + 4, end);
        }

        private void fill() throws IOException {
            if (limit == buffer.length) {
                buffer = Arrays.copyOf(buffer, buffer.length * 2);
            }
            int n = in.read(buffer, limit, buffer.length - limit);
            if (n < 0) {
                throw new IOException("the upstream closed the connection");
            }
            limit += n;
        }

        private static int indexOf(byte[] bytes, int limit, String text) {
            byte[] needle = text.getBytes(StandardCharsets.ISO_8859_1);
            outer:
            for (int i = 0; i + needle.length <= limit; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (bytes[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }

        private static int contentLength(String head) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                    return Integer.parseInt(line.substring(colon + 1).trim());
                }
            }
            throw new UncheckedIOException(new IOException("the upstream's answer has no Content-Length"));
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // dropping it either way
            }
        }
    }
}
