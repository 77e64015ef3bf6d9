package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.mcprelay.adapter.http.testing.StubUpstream;
import io.mcprelay.domain.era.UpstreamEra;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bridge (b) at a graceful stop, over real loopback sockets in front of a real 2025-era upstream: the call the
 * upstream asked a question in the middle of (parked for the client's retry) is cancelled upstream with
 * {@code notifications/cancelled}, and both the parked call's session and the idle pooled one are ended with a
 * {@code DELETE}, before the drain returns.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BridgeStopIT {

    private static final String MODERN = "2026-07-28";
    private static final String META = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"" + MODERN
            + "\",\"io.modelcontextprotocol/clientCapabilities\":{\"elicitation\":{\"form\":{}}},"
            + "\"io.modelcontextprotocol/clientInfo\":{\"name\":\"bridge-stop-it\",\"version\":\"1\"}}";

    private static final Pattern ID = Pattern.compile("\"id\":(\"[^\"]*\"|\\d+)");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final CountDownLatch release = new CountDownLatch(1);
    private int sessions;
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

    /** A 2025-era server: {@code ask} asks for a name on its stream and waits; {@code quick} answers at once. */
    private void answer(StubUpstream.Recorded req, io.helidon.webserver.http.ServerResponse res) throws Exception {
        String id = MiniMcpUpstream.find(ID, req.body());
        if (req.method().equals("DELETE")) {
            res.status(Status.OK_200).send();
        } else if (!req.method().equals("POST") || id == null) {
            res.status(req.method().equals("POST") ? Status.ACCEPTED_202 : Status.METHOD_NOT_ALLOWED_405).send();
        } else if (req.body().contains("\"initialize\"")) {
            synchronized (this) {
                sessions++;
                res.header(HeaderNames.create("Mcp-Session-Id"), "up-" + sessions);
            }
            json(res, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{\"tools\":{}},"
                    + "\"serverInfo\":{\"name\":\"asker\",\"version\":\"1\"}}}");
        } else if (req.body().contains("\"name\":\"ask\"")) {
            res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
            try (OutputStream out = res.outputStream()) {
                StubUpstream.writeAndFlush(out, "data: {\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"elicitation/create\",\"params\":{\"message\":"
                        + "\"name?\",\"requestedSchema\":{\"type\":\"object\",\"properties\":{}}}}\n\n");
                release.await(30, TimeUnit.SECONDS);
            }
        } else if (req.body().contains("\"name\":\"quick\"")) {
            json(res, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"content\":[]}}");
        } else {
            json(res, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"error\":{\"code\":-32601,\"message\":\"not here\"}}");
        }
    }

    private static void json(io.helidon.webserver.http.ServerResponse res, String body) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(body);
    }

    private HttpResponse<String> call(String id, String tool) throws Exception {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool + "\",\"arguments\":{},"
                + META + "}}";
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/mcp"))
                .header("Accept", "application/json, text/event-stream").header("Content-Type", "application/json")
                .header("MCP-Protocol-Version", MODERN).header("Mcp-Method", "tools/call").header("Mcp-Name", tool)
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aStopCancelsTheParkedCallUpstreamAndEndsEverySessionTheBridgeHeld() throws Exception {
        upstream = StubUpstream.start(this::answer);
        RelayOptions options = RelayOptions.forUpstream(new UpstreamTarget("asker", upstream.endpoint()));
        options = options.withUpstreams(options.upstreams(), options.upstreamPolicies().withBridgeLegacy(true)
                .withEras(Map.of("asker", UpstreamEra.LEGACY)));
        relay = McpRelayServer.start(options);

        HttpResponse<String> asked = call("1", "ask");
        assertThat(asked.body()).as("the question reaches the client as a round").contains("input_required").contains("requestState");
        assertThat(call("2", "quick").body()).contains("\"content\":[]"); // a second session, idle once answered

        relay.drain(Duration.ofSeconds(1));
        relay = null;

        List<StubUpstream.Recorded> seen = upstream.mcpRequests();
        assertThat(seen).filteredOn(r -> r.body().contains("notifications/cancelled")).singleElement().satisfies(cancel -> {
            assertThat(cancel.body()).contains("\"requestId\":1").contains("mcp-relay is stopping");
            assertThat(cancel.header("mcp-session-id")).isEqualTo("up-1");
        });
        assertThat(seen).filteredOn(r -> r.method().equals("DELETE")).extracting(r -> r.header("mcp-session-id"))
                .containsExactlyInAnyOrder("up-1", "up-2");
    }
}
