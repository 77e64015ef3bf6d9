package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.adapter.http.testing.StubUpstream;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The 2026-07-28 era through the whole relay over real loopback sockets, in front of a modern test
 * upstream ({@link ModernMcpUpstream}): requests without sessions, routing headers checked and
 * forwarded, the upstream's answers passed through, a stream closed by its client closing the
 * upstream request, a listen stream outliving the read timeout, 405 for GET and DELETE; 2025-era
 * traffic alongside, unchanged.
 */
class ModernEraIT {

    private static final String MODERN = ModernMcpUpstream.VERSION;
    private static final String BOTH = "application/json, text/event-stream";
    private static final String META = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"" + MODERN
            + "\",\"io.modelcontextprotocol/clientCapabilities\":{},\"io.modelcontextprotocol/clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ModernMcpUpstream upstream;
    private McpRelayServer relay;

    @BeforeEach
    void start() {
        upstream = ModernMcpUpstream.start();
        relay = McpRelayServer.start(RelayOptions.forUpstream(new UpstreamTarget("modern", upstream.stub.endpoint()))
                .withUpstreamReadTimeout(Duration.ofSeconds(1)));
    }

    @AfterEach
    void stop() {
        relay.close();
        upstream.stub.close();
    }

    static String call(String id, String tool) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
                + "\",\"arguments\":{\"region\":\"eu\"}," + META + "}}";
    }

    static String request(String id, String method) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":{" + META + "}}";
    }

    @Test
    void aModernCallNeedsNoSessionAndItsHeadersReachTheUpstreamUnchanged() throws Exception {
        HttpResponse<String> response = send(modern(call("1", "echo"), "tools/call", "echo").header("Mcp-Param-Region", "eu")
                .header("Mcp-Param-Not-In-Any-Schema", "=?base64?SGVsbG8sIOS4lueVjA==?=").header("Mcp-Session-Id", "ignored")
                .header("Last-Event-ID", "ignored"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"id\":1").contains("\"text\":\"echo\"");
        assertThat(response.headers().firstValue("Mcp-Session-Id")).isEmpty();
        assertThat(upstream.stub.eraProbes()).as("judged by the probe (at start, or awaited by the call) before the call was placed")
                .hasSize(1).allSatisfy(probe -> assertThat(probe.body()).contains("\"method\":\"server/discover\""));
        List<StubUpstream.Recorded> seen = upstream.stub.mcpRequests();
        assertThat(seen).hasSize(1);
        StubUpstream.Recorded forwarded = seen.get(0);
        assertThat(forwarded.body()).isEqualTo(call("1", "echo"));
        assertThat(forwarded.header("mcp-protocol-version")).isEqualTo(MODERN);
        assertThat(forwarded.header("mcp-method")).isEqualTo("tools/call");
        assertThat(forwarded.header("mcp-name")).isEqualTo("echo");
        assertThat(forwarded.header("mcp-param-region")).isEqualTo("eu");
        assertThat(forwarded.header("mcp-param-not-in-any-schema")).isEqualTo("=?base64?SGVsbG8sIOS4lueVjA==?=");
        assertThat(forwarded.header("mcp-session-id")).isNull();
        assertThat(forwarded.header("last-event-id")).isNull();

        send(modern(call("2", "echo"), "tools/call", "echo"));
        assertThat(upstream.stub.mcpRequests()).hasSize(2).last().satisfies(r -> assertThat(r.body()).contains("\"id\":2"));
        assertThat(upstream.stub.eraProbes()).as("the era probe is not repeated").hasSize(1);
    }

    @Test
    void aHeaderThatDoesNotMatchTheBodyIs400WithMinus32020AndNeverReachesTheUpstream() throws Exception {
        HttpResponse<String> response = send(modern(call("7", "echo"), "tools/call", "other-tool"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"code\":-32020").contains("\"id\":7").contains("Mcp-Name");
        assertThat(upstream.stub.mcpRequests()).isEmpty();

        HttpResponse<String> method = send(modern(call("8", "echo"), "tools/list", "echo"));
        assertThat(method.statusCode()).isEqualTo(400);
        assertThat(method.body()).contains("\"code\":-32020").contains("\"id\":8");
    }

    @Test
    void theUpstreamsNotFoundIsPassedThroughNotReadAsALostSession() throws Exception {
        HttpResponse<String> response = send(modern(request("3", "no/such-method"), "no/such-method", null));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":3,\"error\":{\"code\":-32601,\"message\":\"Method not found\"}}");
    }

    @Test
    void serverDiscoverIsForwarded() throws Exception {
        HttpResponse<String> response = send(modern(request("4", "server/discover"), "server/discover", null));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"id\":4").contains("\"supportedVersions\":[\"" + MODERN + "\"");
    }

    @Test
    void getAndDeleteWithAModernVersionGet405AllowPost() throws Exception {
        HttpResponse<String> get = send(HttpRequest.newBuilder(mcp()).header("Accept", "text/event-stream").header("MCP-Protocol-Version", MODERN).GET());
        HttpResponse<String> delete = send(HttpRequest.newBuilder(mcp()).header("MCP-Protocol-Version", MODERN).DELETE());

        assertThat(List.of(get.statusCode(), delete.statusCode())).containsOnly(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        assertThat(delete.headers().firstValue("Allow")).hasValue("POST");
        assertThat(upstream.stub.requests()).as("only the relay's own probes, never these")
                .noneMatch(r -> MODERN.equals(r.header("mcp-protocol-version")) && !upstream.stub.eraProbes().contains(r));
    }

    @Test
    void theClientClosingItsModernStreamClosesTheUpstreamRequestAtOnce() throws Exception {
        String body = call("5", "slow");
        try (Socket socket = new Socket("127.0.0.1", relay.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: " + BOTH + "\r\nContent-Type: application/json\r\n"
                    + "MCP-Protocol-Version: " + MODERN + "\r\nMcp-Method: tools/call\r\nMcp-Name: slow\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
            String line;
            while ((line = in.readLine()) != null && !line.contains("notifications/progress")) {
                assertThat(line).doesNotStartWith("id:");
            }
            assertThat(line).contains("notifications/progress");
            assertThat(upstream.cancelled.getCount()).isEqualTo(1);
        }
        assertThat(upstream.cancelled.await(10, TimeUnit.SECONDS)).as("the upstream saw its request closed").isTrue();
    }

    @Test
    void aListenStreamOutlivesTheReadTimeout() throws Exception {
        HttpResponse<String> response = send(modern(request("6", "subscriptions/listen"), "subscriptions/listen", null));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/event-stream"));
        assertThat(response.body()).contains("notifications/subscriptions/acknowledged").contains("notifications/tools/list_changed")
                .contains("\"id\":6,\"result\"").doesNotContain("Upstream error");
    }

    @Test
    void aListenStreamOutlivesTheReadTimeoutOnTheHelidonClientToo() throws Exception {
        relay.close();
        RelayOptions options = RelayOptions.forUpstream(new UpstreamTarget("modern", upstream.stub.endpoint()))
                .withUpstreamReadTimeout(Duration.ofSeconds(1));
        UpstreamOptions p = options.upstreamPolicies();
        relay = McpRelayServer.start(options.withUpstreams(options.upstreams(), new UpstreamOptions(p.strategy(), p.weights(), p.health(),
                p.breaker(), p.maxConcurrent(), p.queueTimeout(), p.disabled(), UpstreamOptions.Client.HELIDON, p.headTimeout(), p.maxJsonBytes(),
                p.stdioMaxProcesses(), p.stdioStartTimeout(), p.eras(), p.bridgeLegacy())));

        aListenStreamOutlivesTheReadTimeout();
    }

    @Test
    void legacyTrafficIsUnchangedBesideItAndASessionlessLegacyPostIsRefusedWithItsId() throws Exception {
        HttpResponse<String> refused = send(HttpRequest.newBuilder(mcp()).header("Accept", BOTH).header("Content-Type", "application/json")
                .header("MCP-Protocol-Version", "2025-11-25")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":12,\"method\":\"tools/list\"}")));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("\"code\":-32000").contains("\"id\":12").doesNotContain("-32020").doesNotContain("-32022");

        HttpResponse<String> init = send(HttpRequest.newBuilder(mcp()).header("Accept", BOTH).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                        + "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"legacy\",\"version\":\"1\"}}}")));
        assertThat(init.statusCode()).isEqualTo(200);
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        HttpResponse<String> call = send(HttpRequest.newBuilder(mcp()).header("Accept", BOTH).header("Content-Type", "application/json")
                .header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-11-25")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"x\"}}")));
        assertThat(call.statusCode()).isEqualTo(200);
        assertThat(call.body()).contains("\"echo\":\"tools/call\"");
        assertThat(upstream.stub.mcpRequests()).noneMatch(r -> r.body().contains("server/discover"));
    }

    @Test
    void theErasAreProbedAtStartWithoutAnyModernTraffic() throws Exception {
        EraProbes.awaitJudged(relay, Duration.ofSeconds(15));

        assertThat(EraProbes.of(relay, "modern").describe()).isEqualTo("modern (" + MODERN + ", 2025-11-25), probed");
        assertThat(upstream.stub.eraProbes()).hasSize(1);
        assertThat(upstream.stub.eraProbes().getFirst().header("mcp-protocol-version")).isEqualTo(MODERN);
        assertThat(upstream.stub.mcpRequests()).as("nothing else was sent").isEmpty();
    }

    @Test
    void anUpstreamConfiguredLegacyIsNeverProbed() throws Exception {
        ModernMcpUpstream configured = ModernMcpUpstream.start();
        relay.close();
        RelayOptions options = RelayOptions.forUpstream(new UpstreamTarget("modern", configured.stub.endpoint()))
                .withUpstreamReadTimeout(Duration.ofSeconds(1));
        relay = McpRelayServer.start(options.withUpstreams(options.upstreams(),
                options.upstreamPolicies().withEras(java.util.Map.of("modern", io.mcprelay.domain.era.UpstreamEra.LEGACY))));
        try {
            HttpResponse<String> refused = send(modern(call("9", "echo"), "tools/call", "echo"));

            assertThat(refused.statusCode()).as("the configuration says it serves no modern request").isEqualTo(400);
            assertThat(refused.body()).contains("\"code\":-32022");
            assertThat(configured.stub.eraProbes()).isEmpty();
            assertThat(EraProbes.of(relay, "modern").describe()).isEqualTo("legacy, configured");
        } finally {
            configured.stub.close();
        }
    }

    private HttpRequest.Builder modern(String body, String method, String name) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(mcp()).header("Accept", BOTH).header("Content-Type", "application/json")
                .header("MCP-Protocol-Version", MODERN).header("Mcp-Method", method).POST(HttpRequest.BodyPublishers.ofString(body));
        return name == null ? builder : builder.header("Mcp-Name", name);
    }

    private URI mcp() {
        return URI.create("http://127.0.0.1:" + relay.port() + "/mcp");
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
