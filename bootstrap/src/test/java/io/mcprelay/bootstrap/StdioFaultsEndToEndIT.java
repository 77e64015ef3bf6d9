package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.domain.routing.UpstreamTarget;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * stdio upstreams that misbehave, each behind its own relay: a command that does not exist, one that
 * exits at once, one that writes non-JSON, one that never answers initialize, one that floods stderr,
 * one that dies mid-call. Each is a clear error for the client, the relay stays healthy, and no
 * process is left behind. Every script carries a marker in its command line, so the check of the
 * process table finds its processes and only them.
 */
class StdioFaultsEndToEndIT {

    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
            + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"faults\",\"version\":\"1\"}}}";
    private static final String ANSWER_INITIALIZE = "read init; echo '{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"protocolVersion\":"
            + "\"2025-06-18\",\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"script\",\"version\":\"1\"}}}'; ";

    private final HttpClient http = HttpClient.newHttpClient();

    /** Runs {@code scenario} against a relay whose one upstream is {@code sh -c SCRIPT}; then checks the relay and the process table. */
    private void withRelay(String marker, String script, Consumer<McpRelayServer> scenario) {
        UpstreamTarget target = StdioUpstreamEndToEndIT.stdio("faulty", "sh", "-c", script + " # " + marker);
        runWith(marker, target, scenario);
    }

    private void runWith(String marker, UpstreamTarget target, Consumer<McpRelayServer> scenario) {
        RelayOptions options = RelayOptions.forUpstream(target);
        options = options.withUpstreams(options.upstreams(), options.upstreamPolicies().withStdio(4, Duration.ofSeconds(3)));
        McpRelayServer relay = McpRelayServer.start(options);
        try {
            scenario.accept(relay);
            assertThat(send(relay, "GET", "/health", null, null).statusCode()).as("the relay is healthy").isEqualTo(200);
        } finally {
            relay.close();
        }
        assertThat(StdioUpstreamEndToEndIT.childProcesses(marker)).as("processes left behind").isEmpty();
    }

    @Test
    void aCommandThatDoesNotExist() {
        runWith("no-such-mcp-server-xyz", StdioUpstreamEndToEndIT.stdio("faulty", "no-such-mcp-server-xyz"), relay ->
                assertClearError(send(relay, "POST", "/mcp", null, INITIALIZE), "none of faulty can be reached"));
    }

    @Test
    void aCommandThatExitsAtOnce() {
        withRelay("fault-exits", "echo 'missing API key' >&2; exit 3", relay ->
                assertClearError(send(relay, "POST", "/mcp", null, INITIALIZE), "none of faulty can be reached"));
    }

    @Test
    void aCommandThatWritesNonJson() {
        withRelay("fault-garbage", "echo 'Welcome to my MCP server!'; sleep 30", relay ->
                assertClearError(send(relay, "POST", "/mcp", null, INITIALIZE), "other than JSON-RPC on stdout before its first message"));
    }

    @Test
    void aCommandThatNeverAnswersInitialize() {
        withRelay("fault-silent", "cat > /dev/null", relay -> {
            long start = System.nanoTime();
            assertClearError(send(relay, "POST", "/mcp", null, INITIALIZE), "did not answer in time");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        });
    }

    @Test
    void aCommandThatFloodsStderrStillServesAndIsStopped() {
        withRelay("fault-flood", "(while :; do echo flood; done) >&2 & " + ANSWER_INITIALIZE
                + "while read line; do echo '{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"tools\":[]}}'; done", relay -> {
                    HttpResponse<String> init = send(relay, "POST", "/mcp", null, INITIALIZE);
                    assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
                    String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
                    HttpResponse<String> tools = send(relay, "POST", "/mcp", session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
                    assertThat(tools.statusCode()).isEqualTo(200);
                    assertThat(tools.body()).contains("\"tools\"");
                    assertThat(send(relay, "DELETE", "/mcp", session, null).statusCode()).isEqualTo(200);
                });
    }

    @Test
    void aCommandThatDiesMidCall() {
        withRelay("fault-dies", ANSWER_INITIALIZE + "read initialized; read call; exit 9", relay -> {
            HttpResponse<String> init = send(relay, "POST", "/mcp", null, INITIALIZE);
            assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
            String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
            assertThat(send(relay, "POST", "/mcp", session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").statusCode())
                    .isEqualTo(202);
            assertClearError(send(relay, "POST", "/mcp", session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\","
                    + "\"params\":{\"name\":\"x\"}}"), "exited with status 9");
            HttpResponse<String> after = send(relay, "POST", "/mcp", session, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}");
            assertThat(after.statusCode()).as("the session ended with its process: " + after.body()).isEqualTo(404);
        });
    }

    private static void assertClearError(HttpResponse<String> response, String mentioned) {
        assertThat(response.statusCode()).as(response.body()).isBetween(500, 599);
        assertThat(response.body()).contains("\"jsonrpc\":\"2.0\"").contains("\"error\"").contains(mentioned)
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    private HttpResponse<String> send(McpRelayServer relay, String method, String path, String session, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + path))
                .timeout(Duration.ofSeconds(60)).header("Accept", "application/json, text/event-stream")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (session != null) {
            request.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-06-18");
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(method + " " + path + " failed", e);
        }
    }
}
