package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcprelay.bootstrap.e2e.ServerEverything;
import io.mcprelay.domain.era.UpstreamEra;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bridge (b)'s multi round-trip translation over real loopback sockets, in front of the real {@code server-everything}
 * (2025-era only), with two mcp-relay instances: the server's elicitation mid-call reaches a 2026-07-28 client as an
 * {@code input_required} result; the retry carrying the answer completes the call on the instance that parked it, is
 * refused by name on the other instance, and its token is good for one retry only.
 */
class BridgeMrtrIT {

    private static final String MODERN = "2026-07-28";
    private static final String META = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"" + MODERN
            + "\",\"io.modelcontextprotocol/clientCapabilities\":{\"elicitation\":{\"form\":{}}},"
            + "\"io.modelcontextprotocol/clientInfo\":{\"name\":\"bridge-it\",\"version\":\"1\"}}";
    private static final String TOOL = "trigger-elicitation-request";
    private static final String ANSWER = "{\"q1\":{\"action\":\"accept\",\"content\":{\"name\":\"Ada Lovelace\",\"check\":true}}}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ServerEverything everything;
    private static McpRelayServer first;
    private static McpRelayServer second;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        everything = ServerEverything.start();
        RelayOptions options = RelayOptions.forUpstream(new UpstreamTarget("everything", everything.mcpEndpoint()));
        options = options.withUpstreams(options.upstreams(), options.upstreamPolicies().withBridgeLegacy(true)
                .withEras(Map.of("everything", UpstreamEra.LEGACY)));
        first = McpRelayServer.start(options);
        second = McpRelayServer.start(options);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closing : new AutoCloseable[] {first, second, everything}) {
            if (closing != null) {
                try {
                    closing.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static String call(String id, String extra) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + TOOL + "\",\"arguments\":{},"
                + extra + META + "}}";
    }

    private HttpResponse<String> post(McpRelayServer relay, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/mcp"))
                .header("Accept", "application/json, text/event-stream").header("Content-Type", "application/json")
                .header("MCP-Protocol-Version", MODERN).header("Mcp-Method", "tools/call").header("Mcp-Name", TOOL)
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The last JSON-RPC message of an answer: its JSON body, or its event stream's last {@code data:} line. */
    private static JsonNode last(HttpResponse<String> response) throws Exception {
        if (response.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
            return JSON.readTree(response.body());
        }
        List<String> data = Arrays.stream(response.body().split("\n")).filter(l -> l.startsWith("data:"))
                .map(l -> l.substring("data:".length()).strip()).filter(d -> !d.isEmpty()).toList();
        return JSON.readTree(data.getLast());
    }

    @Test
    void theElicitationIsAnInputRequiredRoundAndTheRetryCompletesTheCallOnlyWhereItIsParked() throws Exception {
        HttpResponse<String> asked = post(first, call("1", ""));

        assertThat(asked.statusCode()).isEqualTo(200);
        JsonNode round = last(asked);
        assertThat(round.path("id").asInt()).as("%s", asked.body()).isEqualTo(1);
        assertThat(round.path("result").path("resultType").asText()).isEqualTo("input_required");
        assertThat(round.path("result").path("inputRequests").path("q1").path("method").asText()).isEqualTo("elicitation/create");
        String token = round.path("result").path("requestState").asText();
        assertThat(token).isNotEmpty();
        String retry = "\"inputResponses\":" + ANSWER + ",\"requestState\":\"" + token + "\",";

        HttpResponse<String> elsewhere = post(second, call("2", retry));

        assertThat(elsewhere.statusCode()).isEqualTo(200);
        assertThat(last(elsewhere).path("error").path("code").asInt()).isEqualTo(-32602);
        assertThat(last(elsewhere).path("error").path("message").asText()).contains("parked on mcp-relay instance").contains("not on this one");

        HttpResponse<String> answered = post(first, call("3", retry));

        JsonNode done = last(answered);
        assertThat(done.path("id").asInt()).as("%s", answered.body()).isEqualTo(3);
        assertThat(done.path("result").path("resultType").asText()).isEqualTo("complete");
        assertThat(done.path("result").path("isError").asBoolean()).isFalse();
        assertThat(done.path("result").path("content").toString()).contains("Ada Lovelace");

        HttpResponse<String> again = post(first, call("4", retry));

        assertThat(last(again).path("error").path("code").asInt()).isEqualTo(-32602);
        assertThat(last(again).path("error").path("message").asText()).contains("used already");
        HttpResponse<String> tampered = post(first, call("5", retry.replace(token, token.substring(0, token.length() - 2) + "AA")));
        assertThat(last(tampered).path("error").path("message").asText()).contains("signature");
    }
}
