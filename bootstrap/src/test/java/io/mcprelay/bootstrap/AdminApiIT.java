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

/**
 * The admin listener wired as the jar wires it: off by default, token-protected, ending a session and
 * draining an upstream for real, recording the relayed messages, and logging a browser in by form.
 */
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

    @Test
    void anOperatorDrainsAnUpstreamItsSessionsContinueAndNewOnesGoElsewhere() throws Exception {
        try (StubUpstream second = MiniMcpUpstream.start();
             McpRelayServer pair = McpRelayServer.start(RelayOptions.forUpstream(new UpstreamTarget("a", upstream.endpoint()))
                     .withUpstreams(java.util.List.of(new UpstreamTarget("a", upstream.endpoint()), new UpstreamTarget("b", second.endpoint())),
                             UpstreamOptions.defaults())
                     .withAdmin(new AdminOptions(Optional.of(0), "127.0.0.1", Optional.empty())))) {
            McpRelayServer.AdminListener admin = pair.admin().orElseThrow();
            java.util.List<String> before = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                before.add(initialize(pair, "before-" + i));
            }
            String onA = before.stream().filter(id -> upstreamOf(pair, id).equals("a")).findFirst().orElseThrow();

            HttpResponse<String> drained = adminPost(admin, "/api/upstreams/a/drain");
            java.util.List<String> after = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                after.add(initialize(pair, "after-" + i));
            }
            HttpResponse<String> stillServed = mcp(pair, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}", onA);
            HttpResponse<String> listed = adminGet(admin, "/api/upstreams", admin.token());
            HttpResponse<String> enabled = adminPost(admin, "/api/upstreams/a/enable");
            java.util.List<String> again = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                again.add(upstreamOf(pair, initialize(pair, "again-" + i)));
            }

            assertThat(drained.statusCode()).isEqualTo(200);
            assertThat(drained.body()).contains("\"name\":\"a\"").contains("\"drained\":true");
            assertThat(after).as("a drained upstream gets no new sessions").allMatch(id -> upstreamOf(pair, id).equals("b"));
            assertThat(stillServed.statusCode()).as("its own sessions continue").isEqualTo(200);
            assertThat(listed.body()).contains("\"drained\":true").contains("\"drained\":false").contains("\"exchanges\":")
                    .contains("\"healthSince\":");
            assertThat(enabled.statusCode()).isEqualTo(200);
            assertThat(enabled.body()).contains("\"drained\":false");
            assertThat(again).as("enabled again, it takes sessions").contains("a");
            assertThat(adminPost(admin, "/api/upstreams/nope/drain").statusCode()).isEqualTo(404);
            assertThat(http.send(HttpRequest.newBuilder(adminUri(admin, "/api/upstreams/b/drain")).POST(HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).as("behind the token").isEqualTo(401);
        }
    }

    @Test
    void theConsoleRecordsEachMessageAndChartsTheTraffic() throws Exception {
        McpRelayServer.AdminListener admin = relay.admin().orElseThrow();
        String session = initialize(relay, "recorded");
        mcp(relay, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}", session);
        mcp(relay, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}", "no-such-session");

        HttpResponse<String> one = adminGet(admin, "/api/sessions/" + session, admin.token());
        Thread.sleep(1_100); // the window reads complete seconds
        HttpResponse<String> live = adminGet(admin, "/api/live", admin.token());

        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.body()).contains("\"traffic\":[").contains("\"method\":\"tools/list\"").contains("\"method\":\"initialize\"")
                .contains("\"direction\":\"CLIENT_TO_UPSTREAM\"").contains("\"latencyMillis\":");
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(live.body());
        long counted = 0;
        long clientErrors = 0;
        for (var step : json.get("steps")) {
            counted += step.get("count").asLong();
            clientErrors += step.get("clientErrors").asLong();
        }
        assertThat(counted).isGreaterThanOrEqualTo(3);
        assertThat(clientErrors).as("the unknown session is the client's error").isGreaterThanOrEqualTo(1);
        assertThat(json.get("sessions").asLong()).isEqualTo(1);
    }

    @Test
    void aBrowserLogsInThroughTheFormAndOutAgain() throws Exception {
        McpRelayServer.AdminListener admin = relay.admin().orElseThrow();
        HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        String origin = "http://127.0.0.1:" + admin.port();

        HttpResponse<String> anonymous = browser.send(HttpRequest.newBuilder(adminUri(admin, "/")).GET().build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> login = browser.send(HttpRequest.newBuilder(adminUri(admin, "/login")).header("Origin", origin)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + admin.token())).build(), HttpResponse.BodyHandlers.ofString());
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        HttpResponse<String> console = browser.send(HttpRequest.newBuilder(adminUri(admin, "/")).header("Cookie", cookie).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> logout = browser.send(HttpRequest.newBuilder(adminUri(admin, "/logout")).header("Cookie", cookie).header("Origin", origin)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> afterwards = browser.send(HttpRequest.newBuilder(adminUri(admin, "/")).header("Cookie", cookie).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(anonymous.statusCode()).isEqualTo(303);
        assertThat(anonymous.headers().firstValue("Location")).hasValue("/login");
        assertThat(login.statusCode()).isEqualTo(303);
        assertThat(console.statusCode()).isEqualTo(200);
        assertThat(console.body()).contains("id=\"chart-rate\"").contains("mini");
        assertThat(logout.statusCode()).isEqualTo(303);
        assertThat(afterwards.statusCode()).isEqualTo(303);
        assertThat(afterwards.headers().firstValue("Location")).hasValue("/login");
    }

    private String initialize(McpRelayServer server, String client) throws Exception {
        HttpResponse<String> init = mcp(server, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"" + client + "\",\"version\":\"1\"}}}", null);
        assertThat(init.statusCode()).isEqualTo(200);
        return init.headers().firstValue("Mcp-Session-Id").orElseThrow();
    }

    private static String upstreamOf(McpRelayServer server, String session) {
        return server.sessions().find(new io.mcprelay.domain.session.ProxySessionId(session)).orElseThrow().upstream();
    }

    private HttpResponse<String> mcp(McpRelayServer server, String body, String session) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/mcp"))
                .timeout(Duration.ofSeconds(10)).header("Accept", "application/json, text/event-stream").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> adminPost(McpRelayServer.AdminListener admin, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(adminUri(admin, path)).timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + admin.token())
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
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
