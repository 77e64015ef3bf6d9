package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.routing.UpstreamTransport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * stdio upstreams that misbehave, each behind its own relay: a command that does not exist, one that
 * exits at once, one that writes non-JSON, one that never answers initialize, one that floods stderr,
 * one that dies mid-call; and a session evicted by {@code --max-sessions}. Each is a clear error for the client
 * (the 503 of a failed start says why), the relay stays healthy, and no
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
        runWith(marker, target, UnaryOperator.identity(), scenario);
    }

    private void runWith(String marker, UpstreamTarget target, UnaryOperator<RelayOptions> tuned, Consumer<McpRelayServer> scenario) {
        RelayOptions options = RelayOptions.forUpstream(target);
        options = tuned.apply(options.withUpstreams(options.upstreams(), options.upstreamPolicies().withStdio(4, Duration.ofSeconds(3))));
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
                assertClearError(send(relay, "POST", "/mcp", null, INITIALIZE), 503, "Service Unavailable: no upstream can take a new session;"
                        + " none of faulty can be reached (faulty: cannot start 'no-such-mcp-server-xyz': no such command or working directory)"));
    }

    @Test
    void aCommandThatExitsAtOnceWithoutShowingTheClientItsEnvironment() {
        String marker = "fault-exits";
        UpstreamTarget target = new UpstreamTarget("faulty", new UpstreamTransport.Stdio("sh",
                List.of("-c", "echo \"missing API key (got '$API_KEY')\" >&2; exit 3 # " + marker), Map.of("API_KEY", "sk-live-not-this-one"),
                Optional.empty()));
        runWith(marker, target, relay -> {
            HttpResponse<String> response = send(relay, "POST", "/mcp", null, INITIALIZE);
            assertClearError(response, 503, "none of faulty can be reached (faulty: the upstream process exited with status 3 at start"
                    + " (last stderr line: missing API key (got '********')))");
            assertThat(response.body()).doesNotContain("sk-live-not-this-one");
        });
    }

    @Test
    void aCommandThatWritesNonJson() {
        withRelay("fault-garbage", "echo 'Welcome to my MCP server!'; sleep 30", relay ->
                assertClearError(send(relay, "POST", "/mcp", null, INITIALIZE), 502,
                        "Bad Gateway: the upstream process wrote something other than JSON-RPC on stdout before its first message"));
    }

    @Test
    void aCommandThatNeverAnswersInitialize() {
        withRelay("fault-silent", "cat > /dev/null", relay -> {
            long start = System.nanoTime();
            assertClearError(send(relay, "POST", "/mcp", null, INITIALIZE), 504,
                    "Gateway Timeout: the upstream process did not answer initialize within 3 s");
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
                    + "\"params\":{\"name\":\"x\"}}"), 502, "Bad Gateway: the upstream process exited with status 9");
            HttpResponse<String> after = send(relay, "POST", "/mcp", session, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}");
            assertThat(after.statusCode()).as("the session ended with its process: " + after.body()).isEqualTo(404);
        });
    }

    @Test
    void aSessionEvictedByTheSessionLimitEndsItsProcessAtOnce() {
        // ignores SIGTERM, so it ends only by reading the end of its stdin (or by SIGKILL): the eviction must close it
        String marker = "fault-evicted";
        UpstreamTarget target = StdioUpstreamEndToEndIT.stdio("faulty", "sh", "-c",
                "trap '' TERM; " + ANSWER_INITIALIZE + "while read line; do :; done # " + marker);
        runWith(marker, target, options -> options.withMaxSessions(2), relay -> {
            String first = openSession(relay);
            openSession(relay);
            assertThat(StdioUpstreamEndToEndIT.childProcesses(marker)).hasSize(2);
            long start = System.nanoTime();
            openSession(relay);    // the store is full: the least recently used session (the first) gives way
            assertThat(send(relay, "POST", "/mcp", first, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}").statusCode())
                    .as("the evicted session is gone").isEqualTo(404);
            awaitProcesses(marker, 2, Duration.ofSeconds(20));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("ended by the eviction, not by the idle reaper (30 min)")
                    .isLessThan(Duration.ofSeconds(20));
        });
    }

    private String openSession(McpRelayServer relay) {
        HttpResponse<String> init = send(relay, "POST", "/mcp", null, INITIALIZE);
        assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        assertThat(send(relay, "POST", "/mcp", session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").statusCode())
                .isEqualTo(202);
        return session;
    }

    private static void awaitProcesses(String marker, int count, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (StdioUpstreamEndToEndIT.childProcesses(marker).size() != count && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        assertThat(StdioUpstreamEndToEndIT.childProcesses(marker)).as("processes of " + marker).hasSize(count);
    }

    private static void assertClearError(HttpResponse<String> response, int status, String mentioned) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
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
