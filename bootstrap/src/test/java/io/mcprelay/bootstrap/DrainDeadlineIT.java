package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.adapter.http.testing.StubUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real relay drained (as on SIGTERM) while a tool call's JSON answer is still being computed by a
 * real upstream past the drain timeout: the client gets, at the deadline, a 503 with a JSON-RPC error
 * that carries its request's id, instead of a connection closed under it with no answer.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DrainDeadlineIT {

    private static final String BOTH = "application/json, text/event-stream";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final CountDownLatch release = new CountDownLatch(1);
    private StubUpstream upstream;
    private McpRelayServer relay;

    @AfterEach
    void stop() {
        release.countDown();
        if (relay != null) {
            relay.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void aJsonAnswerStillRunningAtTheDeadlineGetsAJsonRpcError() throws Exception {
        upstream = StubUpstream.start((req, res) -> {
            if (req.body().contains("\"slow\"")) {
                release.await(30, TimeUnit.SECONDS);    // the tool outlives the drain
            }
            MiniMcpUpstream.answer(req, res);
        });
        Configuration configuration = Configuration.resolve(CommandLine.parse("--upstream", "mini=" + upstream.endpoint(), "--port", "0",
                "--drain-timeout", "1s"), Map.of());
        relay = McpRelayServer.start(configuration.options(), configuration.operations(), McpRelayServer.class.getClassLoader(), () -> { });
        HttpResponse<String> init = http.send(post(null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"drained\",\"version\":\"1\"}}}"), HttpResponse.BodyHandlers.ofString());
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        CompletableFuture<HttpResponse<String>> slow = http.sendAsync(post(session,
                "{\"jsonrpc\":\"2.0\",\"id\":77,\"method\":\"tools/call\",\"params\":{\"name\":\"slow\",\"arguments\":{}}}"),
                HttpResponse.BodyHandlers.ofString());
        long waitUntil = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (upstream.mcpRequests().stream().noneMatch(r -> r.body().contains("\"slow\"")) && System.nanoTime() < waitUntil) {
            Thread.sleep(20);
        }

        long began = System.nanoTime();
        relay.drain(configuration.operations().drainTimeout());
        relay = null;

        HttpResponse<String> answer = slow.get(10, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - began)).as("answered at the deadline, not when the tool ends")
                .isLessThan(Duration.ofSeconds(8));
        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(answer.body()).startsWith("{\"jsonrpc\":\"2.0\",\"id\":77,\"error\":{\"code\":-32603,")
                .contains("shut down before the upstream answered (drain timeout 1s)");
    }

    private HttpRequest post(String session, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/mcp")).timeout(Duration.ofSeconds(30))
                .header("Accept", BOTH).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-06-18");
        }
        return request.build();
    }
}
