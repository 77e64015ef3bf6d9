package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.adapter.http.testing.StubUpstream;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every status code of the MCP endpoint, over real loopback sockets, through the same wiring as the
 * jar (the composition root, the in-memory store, the WebClient upstream adapter) in front of a stub
 * upstream that counts what reaches it.
 */
class McpEndpointStatusIT {

    private static final String INIT = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},\
            "clientInfo":{"name":"status-test","version":"1"}}}""";
    private static final String BOTH = "application/json, text/event-stream";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private StubUpstream upstream;
    private McpRelayServer relay;

    @BeforeEach
    void start() {
        upstream = MiniMcpUpstream.start();
        RelayOptions defaults = RelayOptions.forUpstream(new UpstreamTarget("mini", upstream.endpoint()));
        relay = McpRelayServer.start(defaults.withMaxBodyBytes(1024).withAllowedOrigins(List.of("https://app.example")));
    }

    @AfterEach
    void stop() {
        relay.close();
        upstream.close();
    }

    @Test
    void initializeAnswers200WithOurOwnSessionIdNeverTheUpstreams() throws Exception {
        HttpResponse<String> response = post(INIT, null);

        assertThat(response.statusCode()).isEqualTo(200);
        String sessionId = response.headers().firstValue("Mcp-Session-Id").orElseThrow();
        assertThat(sessionId).isNotEqualTo(MiniMcpUpstream.UPSTREAM_SESSION).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(response.body()).contains("\"protocolVersion\":\"2025-06-18\"").doesNotContain(MiniMcpUpstream.UPSTREAM_SESSION);
        assertThat(upstream.mcpRequests()).hasSize(1);
    }

    @Test
    void notificationGets202WithEmptyBodyAndReachesTheUpstreamSession() throws Exception {
        String session = initialize();

        HttpResponse<String> response = post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", session);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).isEmpty();
        assertThat(upstream.mcpRequests()).hasSize(2);
        assertThat(upstream.mcpRequests().get(1).header("mcp-session-id")).isEqualTo(MiniMcpUpstream.UPSTREAM_SESSION);
        assertThat(upstream.mcpRequests().get(1).header("mcp-protocol-version")).isEqualTo("2025-06-18");
    }

    @Test
    void requestIsRelayedAsJsonWithItsIdExactlyAsSent() throws Exception {
        String session = initialize();

        for (String id : List.of("0", "\"0\"", "12345678901234567890", "\"abc\"", "-1")) {
            HttpResponse<String> response = post("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}}", session);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
            assertThat(response.body()).contains("\"id\":" + id + ",");
        }
        assertThat(upstream.mcpRequests()).hasSize(6);
    }

    @Test
    void eventStreamIsRelayedAsSseWithoutUpstreamIdsOrPrimingEvents() throws Exception {
        String session = initialize();

        HttpResponse<String> response = post("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/list\"}", session);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/event-stream");
        assertThat(response.headers().firstValue("X-Accel-Buffering")).contains("no");
        assertThat(response.headers().allValues("Cache-Control")).contains("no-cache");
        assertThat(response.body()).contains("notifications/message").contains("\"id\":5,\"result\"")
                .doesNotContain("up-1").doesNotContain("up-2").doesNotContain("data: \n");
        assertThat(upstream.mcpRequests()).hasSize(2);
    }

    @Test
    void missingSessionIdGets400WithAJsonRpcError() throws Exception {
        HttpResponse<String> response = post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}", null);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"code\":-32000").contains("Mcp-Session-Id header is required");
        assertThat(upstream.mcpRequests()).isEmpty();
    }

    @Test
    void malformedSessionIdGets400() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(mcp()).header("Accept", BOTH)
                .header("Content-Type", "application/json").header("Mcp-Session-Id", "x".repeat(200))
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}")));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("visible ASCII");
    }

    @Test
    void unknownSessionGets404() throws Exception {
        HttpResponse<String> response = post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}", "no-such-session");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("\"code\":-32001").contains("Session not found");
        assertThat(upstream.mcpRequests()).isEmpty();
    }

    @Test
    void deleteAnswers200ForwardsUpstreamAndLaterRequestsGet404() throws Exception {
        String session = initialize();

        HttpResponse<String> deleted = send(HttpRequest.newBuilder(mcp()).header("Mcp-Session-Id", session).DELETE());
        HttpResponse<String> after = post("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}", session);
        HttpResponse<String> deletedAgain = send(HttpRequest.newBuilder(mcp()).header("Mcp-Session-Id", session).DELETE());

        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(after.statusCode()).isEqualTo(404);
        assertThat(deletedAgain.statusCode()).isEqualTo(404);
        assertThat(upstream.mcpRequests()).extracting(StubUpstream.Recorded::method).containsExactly("POST", "DELETE");
        assertThat(upstream.mcpRequests().get(1).header("mcp-session-id")).isEqualTo(MiniMcpUpstream.UPSTREAM_SESSION);
    }

    @Test
    void deleteWithoutSessionIdGets400() throws Exception {
        assertThat(send(HttpRequest.newBuilder(mcp()).DELETE()).statusCode()).isEqualTo(400);
    }

    @Test
    void acceptWithoutEventStreamGets406() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(mcp()).header("Accept", "application/json")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(INIT)));

        assertThat(response.statusCode()).isEqualTo(406);
        assertThat(response.body()).contains("text/event-stream");
        assertThat(upstream.mcpRequests()).isEmpty();
    }

    @Test
    void wrongContentTypeGets415() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(mcp()).header("Accept", BOTH)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(INIT)));

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(upstream.mcpRequests()).isEmpty();
    }

    @Test
    void bodyOverTheLimitGets413() throws Exception {
        String big = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\"" + "x".repeat(2000) + "\"}}";

        HttpResponse<String> response = post(big, null);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("1024 bytes");
        assertThat(upstream.mcpRequests()).isEmpty();
    }

    @Test
    void unsupportedProtocolVersionGets400() throws Exception {
        String session = initialize();

        HttpResponse<String> response = send(HttpRequest.newBuilder(mcp()).header("Accept", BOTH)
                .header("Content-Type", "application/json").header("Mcp-Session-Id", session)
                .header("MCP-Protocol-Version", "1999-01-01")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}")));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("Unsupported protocol version 1999-01-01")
                .contains("\"data\":{\"supported\":[\"2024-11-05\",\"2025-03-26\",\"2025-06-18\",\"2025-11-25\"]}");
        assertThat(upstream.mcpRequests()).hasSize(1);
    }

    @Test
    void anotherSupportedProtocolVersionThanTheNegotiatedOneIsAccepted() throws Exception {
        String session = initialize();

        HttpResponse<String> response = send(HttpRequest.newBuilder(mcp()).header("Accept", BOTH)
                .header("Content-Type", "application/json").header("Mcp-Session-Id", session)
                .header("MCP-Protocol-Version", "2025-03-26")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}")));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(upstream.mcpRequests()).hasSize(2);
        assertThat(upstream.mcpRequests().get(1).header("mcp-protocol-version")).as("the upstream is sent the negotiated one")
                .isEqualTo("2025-06-18");
    }

    @Test
    void foreignOriginGets403AndLoopbackOrConfiguredOriginsPass() throws Exception {
        HttpResponse<String> foreign = send(HttpRequest.newBuilder(mcp()).header("Accept", BOTH).header("Origin", "https://evil.example")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(INIT)));
        HttpResponse<String> loopback = send(HttpRequest.newBuilder(mcp()).header("Accept", BOTH).header("Origin", "http://localhost:6274")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(INIT)));
        HttpResponse<String> configured = send(HttpRequest.newBuilder(mcp()).header("Accept", BOTH).header("Origin", "https://app.example")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(INIT)));

        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.body()).contains("Origin https://evil.example is not allowed");
        assertThat(loopback.statusCode()).isEqualTo(200);
        assertThat(configured.statusCode()).isEqualTo(200);
        assertThat(upstream.mcpRequests()).hasSize(2);
    }

    @Test
    void foreignHostGets403WhenBoundToLoopback() throws Exception {
        String response = rawRequest("POST /mcp HTTP/1.1\r\nHost: attacker.example:" + relay.port() + "\r\nAccept: " + BOTH
                + "\r\nContent-Type: application/json\r\nContent-Length: " + INIT.getBytes(StandardCharsets.UTF_8).length
                + "\r\nConnection: close\r\n\r\n" + INIT);

        assertThat(response).startsWith("HTTP/1.1 403");
        assertThat(upstream.mcpRequests()).isEmpty();
    }

    @Test
    void otherMethodsGet405WithAllow() throws Exception {
        HttpResponse<String> put = send(HttpRequest.newBuilder(mcp()).PUT(HttpRequest.BodyPublishers.ofString("{}")));
        HttpResponse<String> patch = send(HttpRequest.newBuilder(mcp()).method("PATCH", HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("Allow")).contains("GET, POST, DELETE");
        assertThat(patch.statusCode()).isEqualTo(405);
        assertThat(upstream.mcpRequests()).isEmpty();
    }

    @Test
    void getIsRelayedAndAnUpstreamWithoutAGetStreamGives405() throws Exception {
        String session = initialize();

        HttpResponse<String> get = send(HttpRequest.newBuilder(mcp()).header("Accept", "text/event-stream")
                .header("Mcp-Session-Id", session).GET());
        HttpResponse<String> withoutSession = send(HttpRequest.newBuilder(mcp()).header("Accept", "text/event-stream").GET());
        HttpResponse<String> notAcceptable = send(HttpRequest.newBuilder(mcp()).header("Accept", "application/json")
                .header("Mcp-Session-Id", session).GET());

        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).contains("POST, DELETE");
        assertThat(get.body()).contains("offers no standalone GET stream");
        assertThat(withoutSession.statusCode()).isEqualTo(400);
        assertThat(notAcceptable.statusCode()).isEqualTo(406);
        assertThat(upstream.mcpRequests()).extracting(StubUpstream.Recorded::method).containsExactly("POST", "GET");
        assertThat(upstream.mcpRequests().get(1).header("mcp-session-id")).isEqualTo(MiniMcpUpstream.UPSTREAM_SESSION);
    }

    @Test
    void invalidJsonGets400ParseErrorAndInvalidMessageGets400InvalidRequest() throws Exception {
        HttpResponse<String> notJson = post("{\"jsonrpc\":", null);
        HttpResponse<String> notRpc = post("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"x\"}", null);

        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).contains("\"code\":-32700");
        assertThat(notRpc.statusCode()).isEqualTo(400);
        assertThat(notRpc.body()).contains("\"code\":-32600");
        assertThat(upstream.mcpRequests()).isEmpty();
    }

    @Test
    void batchInA2025_06_18SessionGets400() throws Exception {
        String session = initialize();

        HttpResponse<String> response = post("[{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"ping\"},{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"ping\"}]", session);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("batches are not allowed in protocol version 2025-06-18");
        assertThat(upstream.mcpRequests()).hasSize(1);
    }

    @Test
    void initializeWhenTheOnlyUpstreamIsDownGets503() throws Exception {
        upstream.close();

        HttpResponse<String> response = post(INIT, null);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("\"id\":1").contains("no upstream can take a new session").contains("can be reached");
    }

    @Test
    void metricsAreServedForPrometheusAndCountStreams() throws Exception {
        String session = initialize();
        post("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/list\"}", session);

        HttpResponse<String> metrics = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/metrics")).GET());

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/plain"));
        assertThat(metrics.body()).contains("mcp_relay_streams_opened_total{kind=\"post_response\"} 1.0")
                .contains("mcp_relay_events_relayed_total 2.0").contains("mcp_relay_upstream_in_flight{upstream=\"mini\"}");
    }

    @Test
    void healthAnswers200() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/health")).GET());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("UP");
    }

    private String initialize() throws Exception {
        HttpResponse<String> response = post(INIT, null);
        assertThat(response.statusCode()).isEqualTo(200);
        return response.headers().firstValue("Mcp-Session-Id").orElseThrow();
    }

    private HttpResponse<String> post(String body, String session) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(mcp()).header("Accept", BOTH).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return send(request);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI mcp() {
        return URI.create("http://127.0.0.1:" + relay.port() + "/mcp");
    }

    private String rawRequest(String request) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), relay.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder statusLine = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                statusLine.append((char) c);
            }
            return statusLine.toString();
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
