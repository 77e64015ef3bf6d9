package io.mcprelay.adapter.http.testing;

import io.helidon.http.Header;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A programmable upstream for tests: a real Helidon server on a loopback port that records every
 * request it gets and answers as the test's {@link Behaviour} says. It knows nothing of mcp-relay.
 */
public final class StubUpstream implements AutoCloseable {

    /** One request as the stub received it; header names in lower case. */
    public record Recorded(String method, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** How the stub answers one request. */
    @FunctionalInterface
    public interface Behaviour {
        void answer(Recorded request, ServerResponse response) throws Exception;
    }

    private final WebServer server;
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();

    private StubUpstream(Behaviour behaviour) {
        this.server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .routing(r -> r.any("/mcp", (req, res) -> handle(behaviour, req, res)))
                .build()
                .start();
    }

    public static StubUpstream start(Behaviour behaviour) {
        return new StubUpstream(behaviour);
    }

    private void handle(Behaviour behaviour, ServerRequest req, ServerResponse res) throws Exception {
        Map<String, String> headers = new TreeMap<>();
        for (Header h : req.headers()) {
            headers.put(h.name().toLowerCase(Locale.ROOT), String.join(", ", h.allValues()));
        }
        String body = "";
        if (req.content().hasEntity()) {
            try (InputStream in = req.content().inputStream()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        Recorded recorded = new Recorded(req.prologue().method().text(), headers, body);
        requests.add(recorded);
        behaviour.answer(recorded, res);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port() + "/mcp");
    }

    public int port() {
        return server.port();
    }

    /**
     * The MCP traffic received so far on clients' behalf, in arrival order: every request but the
     * relay's own probes, its health probes (GETs without a session id) and its era probe
     * ({@link #eraProbes()}).
     */
    public List<Recorded> mcpRequests() {
        return requests.stream().filter(r -> !(r.method().equals("GET") && r.header("mcp-session-id") == null) && !eraProbe(r)).toList();
    }

    /**
     * The relay's era probes received so far: {@code server/discover} requests under the relay's own
     * request id, sent at start and with the health checks to learn which protocol eras this upstream
     * serves (a client's own {@code server/discover} is in {@link #mcpRequests()}).
     */
    public List<Recorded> eraProbes() {
        return requests.stream().filter(StubUpstream::eraProbe).toList();
    }

    private static boolean eraProbe(Recorded request) {
        return request.method().equals("POST") && request.body().contains("\"id\":\"mcp-relay-discover\"");
    }

    /** Every request received so far, in arrival order. */
    public List<Recorded> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop();
    }

    /** Writes {@code text} and flushes it, ignoring a client that is gone. */
    public static boolean writeAndFlush(java.io.OutputStream out, String text) {
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
