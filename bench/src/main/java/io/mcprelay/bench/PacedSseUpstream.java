package io.mcprelay.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small MCP upstream for the SSE benchmarks, on the JDK's HTTP server with a virtual thread per
 * exchange. {@code initialize} gets a JSON answer and an {@code Mcp-Session-Id}; notifications get
 * 202; any other request gets a {@code text/event-stream} answer of {@code params.events} progress
 * notifications, one every {@code params.intervalMs} (the first at once), each written and flushed on
 * its own and stamped with {@link System#nanoTime()} at the moment it is written ({@code "sentNanos"}),
 * then the JSON-RPC response, then the end of the stream.
 *
 * <p>The stamp is CLOCK_MONOTONIC (HotSpot's nanoTime on Linux), which every process on the machine
 * shares, so a client in another JVM can subtract it from its own nanoTime: the difference is the
 * event's lag from the upstream's write to the client's read.
 */
public final class PacedSseUpstream {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\"[^\"]*\"|-?\\d+)");
    private static final Pattern EVENTS = Pattern.compile("\"events\"\\s*:\\s*(\\d+)");
    private static final Pattern INTERVAL = Pattern.compile("\"intervalMs\"\\s*:\\s*(\\d+)");
    private static final String SESSION = "paced-upstream-session";

    private PacedSseUpstream() {
    }

    /** {@code bench.PacedSseUpstream PORT}. */
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 8192);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/mcp", PacedSseUpstream::handle);
        server.start();
        System.out.println("paced upstream ready on " + port);
    }

    private static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.getResponseHeaders().add("Allow", "POST");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Mcp-Session-Id", SESSION);
            if (body.contains("\"method\":\"initialize\"")) {
                byte[] answer = ("{\"jsonrpc\":\"2.0\",\"id\":" + group(ID, body, "1") + ",\"result\":{\"protocolVersion\":\""
                        + Http1.PROTOCOL_VERSION + "\",\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"paced\",\"version\":\"1\"}}}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
                return;
            }
            Matcher id = ID.matcher(body);
            if (!id.find()) {
                exchange.sendResponseHeaders(202, -1);
                return;
            }
            stream(exchange, id.group(1), Integer.parseInt(group(EVENTS, body, "10")), Long.parseLong(group(INTERVAL, body, "100")));
        }
    }

    private static void stream(HttpExchange exchange, String id, int events, long intervalMs) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().add("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        long next = System.nanoTime();
        for (int k = 1; k <= events; k++) {
            if (k > 1) {
                next += intervalMs * 1_000_000L;
                long wait;
                while ((wait = next - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            String event = "id: " + k + "\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":"
                    + id + ",\"progress\":" + k + ",\"sentNanos\":" + System.nanoTime() + "}}\n\n";
            out.write(event.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
        out.write(("id: " + (events + 1) + "\ndata: {\"jsonrpc\":\"2.0\",\"id\":" + id
                + ",\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"done\"}]}}\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String group(Pattern pattern, String text, String otherwise) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : otherwise;
    }
}
