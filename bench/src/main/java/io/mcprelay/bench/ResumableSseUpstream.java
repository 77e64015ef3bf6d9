package io.mcprelay.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A resumable MCP upstream for the take-over benchmark (bench/takeover), on the JDK's HTTP server
 * with a virtual thread per exchange. A {@code tools/call} with numeric id {@code r} gets an event
 * stream of progress notifications, the first at once and then one every {@code params.intervalMs},
 * with event ids {@code r-1}, {@code r-2}, ...; {@code params.events} of them, then the result. A GET
 * with {@code Last-Event-ID: r-k} (what mcp-relay sends when it re-attaches to a stream whose
 * instance died) carries on at step k+1 at once, its events marked {@code "resumed":true}, and ends
 * with the result after the same total. A GET without Last-Event-ID gets 405 (no standalone stream).
 */
public final class ResumableSseUpstream {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");
    private static final Pattern EVENTS = Pattern.compile("\"events\"\\s*:\\s*(\\d+)");
    private static final Pattern INTERVAL = Pattern.compile("\"intervalMs\"\\s*:\\s*(\\d+)");
    private static final Pattern RESUME = Pattern.compile("(\\d+)-(\\d+)");

    private ResumableSseUpstream() {
    }

    /** {@code bench.ResumableSseUpstream PORT EVENTS INTERVAL_MS}: the length and pace of every tool call's stream. */
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        int events = Integer.parseInt(args[1]);
        long intervalMs = Long.parseLong(args[2]);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 8192);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/mcp", exchange -> handle(exchange, events, intervalMs));
        server.start();
        System.out.println("resumable upstream ready on " + port);
    }

    private static void handle(HttpExchange exchange, int events, long intervalMs) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().add("Mcp-Session-Id", "resumable-upstream-session");
            if (exchange.getRequestMethod().equals("GET")) {
                String last = exchange.getRequestHeaders().getFirst("Last-Event-ID");
                Matcher at = last == null ? null : RESUME.matcher(last);
                if (at == null || !at.matches()) {
                    exchange.sendResponseHeaders(405, -1);
                    return;
                }
                stream(exchange, at.group(1), Integer.parseInt(at.group(2)) + 1, events, intervalMs, true);
                return;
            }
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher id = ID.matcher(body);
            if (body.contains("\"method\":\"initialize\"")) {
                byte[] answer = ("{\"jsonrpc\":\"2.0\",\"id\":" + (id.find() ? id.group(1) : "1") + ",\"result\":{\"protocolVersion\":\""
                        + Http1.PROTOCOL_VERSION + "\",\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"resumable\",\"version\":\"1\"}}}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
                return;
            }
            if (!id.find()) {
                exchange.sendResponseHeaders(202, -1);
                return;
            }
            stream(exchange, id.group(1), 1, Integer.parseInt(group(EVENTS, body, Integer.toString(events))),
                    Long.parseLong(group(INTERVAL, body, Long.toString(intervalMs))), false);
        }
    }

    private static void stream(HttpExchange exchange, String id, int from, int events, long intervalMs, boolean resumed) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().add("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        try {
            for (int k = from; k <= events; k++) {
                if (k > from) {
                    Thread.sleep(intervalMs);
                }
                out.write(("id: " + id + "-" + k + "\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":"
                        + "{\"progressToken\":" + id + ",\"progress\":" + k + ",\"resumed\":" + resumed + "}}\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            out.write(("id: " + id + "-" + (events + 1) + "\ndata: {\"jsonrpc\":\"2.0\",\"id\":" + id
                    + ",\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"done\"}]}}\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException gone) {
            // the relay went away (killed, or it dropped a stream it no longer owns)
        }
    }

    private static String group(Pattern pattern, String text, String otherwise) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : otherwise;
    }
}
