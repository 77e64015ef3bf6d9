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
import org.junit.jupiter.api.Test;

/**
 * The admin cookie never reaches an upstream (issue 16, item 11), with the real relay and credentials
 * forwarded: a browser sends the admin listener's cookie to the MCP listener of the same host too
 * (cookies are not tied to ports). The cookie is an expiring handle, not the token, and the forwarded
 * Cookie header the upstream sees has none of mcp-relay's own cookies.
 */
class AdminCookieIT {

    private static final Duration LOGIN_TTL = Duration.ofSeconds(2);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private StubUpstream upstream;
    private McpRelayServer relay;

    @AfterEach
    void stop() {
        relay.close();
        upstream.close();
    }

    @Test
    void theUpstreamNeverSeesTheAdminCookieWhichIsAnExpiringHandle() throws Exception {
        upstream = MiniMcpUpstream.start();
        RelayOptions options = RelayOptions.forUpstream(new UpstreamTarget("mini", upstream.endpoint()))
                .withAdmin(new AdminOptions(Optional.of(0), "127.0.0.1", Optional.empty(), LOGIN_TTL));
        relay = McpRelayServer.start(new RelayOptions(options.upstreams(), options.bind(), options.port(), options.maxBodyBytes(),
                options.sessionTtl(), options.maxSessions(), options.allowedOrigins(), options.allowedHosts(), true,
                options.upstreamConnectTimeout(), options.upstreamReadTimeout(), options.streams(), options.replayLog(),
                options.upstreamPolicies(), options.store(), options.admin(), options.rules(), options.fairness(), options.clients()));
        McpRelayServer.AdminListener admin = relay.admin().orElseThrow();

        HttpResponse<String> login = http.send(HttpRequest.newBuilder(adminUri(admin, "/login?token=" + admin.token())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        String adminCookie = setCookie.substring(0, setCookie.indexOf(';'));
        String handle = adminCookie.substring(adminCookie.indexOf('=') + 1);
        String browserCookies = "theme=dark; " + adminCookie + "; mcp_relay_other=x; sid=42";

        HttpResponse<String> init = http.send(HttpRequest.newBuilder(mcp()).header("Accept", "application/json, text/event-stream")
                .header("Content-Type", "application/json").header("Cookie", browserCookies).header("Authorization", "Bearer client")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                        + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        http.send(HttpRequest.newBuilder(mcp()).header("Accept", "application/json, text/event-stream")
                .header("Content-Type", "application/json").header("Cookie", adminCookie).header("Mcp-Session-Id", session)
                .header("MCP-Protocol-Version", "2025-06-18")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(handle).isNotEqualTo(admin.token()).doesNotContain(admin.token());
        assertThat(setCookie).contains("Max-Age=2");
        assertThat(upstream.mcpRequests()).hasSize(2);
        StubUpstream.Recorded initialize = upstream.mcpRequests().get(0);
        assertThat(initialize.header("Cookie")).isEqualTo("theme=dark; sid=42");
        assertThat(initialize.header("Authorization")).as("credentials are forwarded").isEqualTo("Bearer client");
        assertThat(upstream.mcpRequests().get(1).header("Cookie")).as("nothing left to forward").isNull();
        assertThat(upstream.requests()).allSatisfy(r -> assertThat(String.valueOf(r.header("Cookie")))
                .doesNotContain("mcp_relay_").doesNotContain(handle).doesNotContain(admin.token()));

        assertThat(adminGet(admin, adminCookie).statusCode()).isEqualTo(200);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int status = 200;
        while (status == 200 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            status = adminGet(admin, adminCookie).statusCode();
        }
        assertThat(status).as("the handle expired after the login TTL").isEqualTo(401);
        assertThat(http.send(HttpRequest.newBuilder(adminUri(admin, "/api/stats")).header("Cookie", "mcp_relay_admin=" + admin.token())
                .GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode()).as("the token is no cookie").isEqualTo(401);
    }

    private HttpResponse<String> adminGet(McpRelayServer.AdminListener admin, String cookie) throws Exception {
        return http.send(HttpRequest.newBuilder(adminUri(admin, "/api/stats")).header("Cookie", cookie).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI adminUri(McpRelayServer.AdminListener admin, String path) {
        return URI.create("http://127.0.0.1:" + admin.port() + path);
    }

    private URI mcp() {
        return URI.create("http://127.0.0.1:" + relay.port() + "/mcp");
    }
}
