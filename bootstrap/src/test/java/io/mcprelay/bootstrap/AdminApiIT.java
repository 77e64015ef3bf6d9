package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.adapter.http.testing.StubUpstream;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin listener wired as the jar wires it: off by default, token-protected, and ending a session for real. */
class AdminApiIT {

    private final HttpClient http = HttpClient.newHttpClient();
    private StubUpstream upstream;
    private McpRelayServer relay;

    @BeforeEach
    void start() {
        upstream = MiniMcpUpstream.start();
        relay = McpRelayServer.start(RelayOptions.forUpstream(new UpstreamTarget("mini", upstream.endpoint()))
                .withAdmin(new AdminOptions(Optional.of(0), "127.0.0.1", Optional.empty())));
    }

    @AfterEach
    void stop() {
        relay.close();
        upstream.close();
    }

    @Test
    void theAdminListenerIsOffUnlessAskedFor() {
        try (McpRelayServer plain = McpRelayServer.start(RelayOptions.forUpstream(new UpstreamTarget("mini", upstream.endpoint())))) {
            assertThat(plain.admin()).isEmpty();
        }
        assertThat(relay.admin()).isPresent();
        assertThat(relay.admin().orElseThrow().token()).hasSizeGreaterThanOrEqualTo(32);
    }

    @Test
    void anOperatorEndsASessionAndItsClientGets404() throws Exception {
        HttpResponse<String> init = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/mcp"))
                .header("Accept", "application/json, text/event-stream").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                        + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"<script>alert(1)</script>\",\"version\":\"1\"}}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        McpRelayServer.AdminListener admin = relay.admin().orElseThrow();

        HttpResponse<String> withoutToken = adminGet(admin, "/api/sessions", null);
        HttpResponse<String> listed = adminGet(admin, "/api/sessions", admin.token());
        HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(adminUri(admin, "/api/sessions/" + session))
                .header("Authorization", "Bearer " + admin.token()).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> after = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/mcp"))
                .header("Accept", "application/json, text/event-stream").header("Content-Type", "application/json")
                .header("Mcp-Session-Id", session)
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(withoutToken.statusCode()).isEqualTo(401);
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).contains(session).contains("\"total\":1")
                .as("client-supplied text is JSON-escaped, never raw markup").contains("\\u003Cscript\\u003E").doesNotContain("<script>");
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(after.statusCode()).isEqualTo(404);
        assertThat(upstream.mcpRequests()).extracting(StubUpstream.Recorded::method).containsExactly("POST", "DELETE");
    }

    private HttpResponse<String> adminGet(McpRelayServer.AdminListener admin, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(adminUri(admin, path)).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI adminUri(McpRelayServer.AdminListener admin, String path) {
        return URI.create("http://127.0.0.1:" + admin.port() + path);
    }
}
