package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.adapter.http.out.HelidonUpstreamAdapter;
import io.mcprelay.adapter.http.out.SocketUpstreamAdapter;
import io.mcprelay.adapter.http.testing.StubUpstream;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code upstreamPolicy.client}: whichever upstream adapter the operator picks, a session runs the
 * same way end to end (initialize, a notification, a JSON answer, an event stream, DELETE), over
 * real loopback sockets through the composition root.
 */
class UpstreamClientChoiceIT {

    private static final String BOTH = "application/json, text/event-stream";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @ParameterizedTest
    @EnumSource(UpstreamOptions.Client.class)
    void aSessionRunsTheSameThroughEitherClient(UpstreamOptions.Client client) throws Exception {
        try (StubUpstream upstream = MiniMcpUpstream.start()) {
            UpstreamOptions defaults = UpstreamOptions.defaults();
            UpstreamOptions chosen = new UpstreamOptions(defaults.strategy(), Map.of(), defaults.health(), defaults.breaker(),
                    defaults.maxConcurrent(), defaults.queueTimeout(), java.util.Set.of(), client);
            McpRelayServer relay = McpRelayServer.start(RelayOptions.forUpstream(new UpstreamTarget("mini", upstream.endpoint()))
                    .withUpstreams(List.of(new UpstreamTarget("mini", upstream.endpoint())), chosen));
            try {
                assertThat(relay.upstreamClient()).isInstanceOf(client == UpstreamOptions.Client.SOCKET
                        ? SocketUpstreamAdapter.class : HelidonUpstreamAdapter.class);
                HttpResponse<String> init = post(relay, null, """
                        {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},\
                        "clientInfo":{"name":"choice","version":"1"}}}""");
                String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();

                HttpResponse<String> initialized = post(relay, session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
                HttpResponse<String> call = post(relay, session,
                        "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}}");
                HttpResponse<String> listing = post(relay, session, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\"}");
                HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(mcp(relay)).header("Mcp-Session-Id", session)
                        .header("MCP-Protocol-Version", "2025-06-18").DELETE().build(), HttpResponse.BodyHandlers.ofString());

                assertThat(init.statusCode()).isEqualTo(200);
                assertThat(initialized.statusCode()).isEqualTo(202);
                assertThat(call.statusCode()).isEqualTo(200);
                assertThat(call.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"echo\":\"tools/call\"}}");
                assertThat(listing.statusCode()).isEqualTo(200);
                assertThat(listing.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
                assertThat(listing.body()).contains("\"data\":\"listing\"").contains("\"result\":{\"tools\":[]}");
                assertThat(deleted.statusCode()).isEqualTo(200);
                assertThat(upstream.mcpRequests()).extracting(StubUpstream.Recorded::method)
                        .containsExactly("POST", "POST", "POST", "POST", "DELETE");
                assertThat(upstream.mcpRequests().subList(1, 5)).allSatisfy(request ->
                        assertThat(request.header("mcp-session-id")).isEqualTo(MiniMcpUpstream.UPSTREAM_SESSION));
            } finally {
                relay.close();
            }
        }
    }

    private HttpResponse<String> post(McpRelayServer relay, String session, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(mcp(relay)).header("Accept", BOTH)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-06-18");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static java.net.URI mcp(McpRelayServer relay) {
        return java.net.URI.create("http://127.0.0.1:" + relay.port() + "/mcp");
    }
}
