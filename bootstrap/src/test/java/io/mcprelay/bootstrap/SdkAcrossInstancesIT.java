package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.adapter.storage.testing.RedisServerProcess;
import io.mcprelay.application.port.out.SessionQuery;
import io.mcprelay.bootstrap.e2e.ServerEverything;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.session.Session;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The scenario with nothing simulated but the load balancer: two mcp-relay instances
 * sharing one real Redis, the official MCP Java SDK client, and the reference server
 * {@code @modelcontextprotocol/server-everything}. The client only knows one address, a
 * {@link SwitchableForwarder} acting as an L4 balancer without stickiness; switching it cuts every
 * open connection, so the client's next requests land on the other instance.
 *
 * <p>Initialize through A, list and call tools through B, DELETE (the SDK's graceful close)
 * through A, then B answers 404 for the deleted session, and a fresh client initializes through B.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SdkAcrossInstancesIT {

    private static final String CLIENT = "sdk-across-instances";
    private static final String FRESH_CLIENT = "sdk-across-instances-fresh";
    /** Lets the client's HTTP stack notice that the switch closed its idle pooled connections. */
    private static final Duration AFTER_SWITCH = Duration.ofMillis(300);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private RedisServerProcess redis;
    private ServerEverything upstream;
    private McpRelayServer a;
    private McpRelayServer b;
    private SwitchableForwarder balancer;

    @BeforeEach
    void start() {
        redis = RedisServerProcess.startOnFreePort();
        upstream = ServerEverything.start();
        RelayOptions options = RelayOptions.forUpstream(new UpstreamTarget("everything", upstream.mcpEndpoint()))
                .withStore(StoreOptions.redis(redis.uri()));
        a = McpRelayServer.start(options);
        b = McpRelayServer.start(options);
        balancer = SwitchableForwarder.to(a.port());
    }

    @AfterEach
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {balancer, a, b, upstream, redis}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // best effort
                }
            }
        }
    }

    @Test
    void initializeThroughACallToolsThroughBDeleteThroughAThen404OnB() throws Exception {
        String sessionId;
        String protocolVersion;
        try (McpSyncClient client = sdkClient(CLIENT)) {
            // ---- initialize through A ----------------------------------------------------------
            McpSchema.InitializeResult init = client.initialize();
            protocolVersion = init.protocolVersion();

            assertThat(init.serverInfo().name()).isEqualTo("mcp-servers/everything");
            assertThat(balancer.connectionTargets()).as("every connection so far went to A").isNotEmpty().containsOnly(a.port());
            Session seenByA = onlySession(a, CLIENT);
            Session seenByB = onlySession(b, CLIENT);
            assertThat(seenByB.id()).as("B sees the session A created").isEqualTo(seenByA.id());
            assertThat(seenByB.upstreamSessionId()).as("bound to server-everything's session").isPresent()
                    .isEqualTo(seenByA.upstreamSessionId());
            assertThat(a.sessions().count()).isEqualTo(1);
            assertThat(b.sessions().count()).isEqualTo(1);
            sessionId = seenByA.id().value();

            // ---- tools through B ---------------------------------------------------------------
            int cut = balancer.switchTo(b.port());
            int mark = balancer.connectionTargets().size();
            assertThat(cut).as("the client's connections to A were open and are now cut").isPositive();
            Thread.sleep(AFTER_SWITCH);

            McpSchema.ListToolsResult tools = client.listTools();
            McpSchema.CallToolResult echo = client.callTool(new McpSchema.CallToolRequest("echo", Map.of("message", "served by B")));
            McpSchema.CallToolResult sum = client.callTool(new McpSchema.CallToolRequest("get-sum", Map.of("a", 2, "b", 40)));

            assertThat(tools.tools()).extracting(McpSchema.Tool::name).contains("echo", "get-sum");
            assertThat(text(echo)).contains("served by B");
            assertThat(text(sum)).contains("42");
            List<Integer> sinceSwitchToB = since(mark);
            assertThat(sinceSwitchToB).as("the tool calls opened new connections, all to B").isNotEmpty().containsOnly(b.port());
            Session afterCallsOnB = onlySession(a, CLIENT);
            assertThat(afterCallsOnB.id().value()).as("the SDK kept its session: B did not refuse it").isEqualTo(sessionId);
            assertThat(afterCallsOnB.lastSeenAt()).as("B renewed the shared session").isAfter(seenByA.lastSeenAt());
            assertThat(a.sessions().count()).as("no second session was initialized behind our back").isEqualTo(1);

            // ---- DELETE through A --------------------------------------------------------------
            balancer.switchTo(a.port());
            int markBack = balancer.connectionTargets().size();
            Thread.sleep(AFTER_SWITCH);

            assertThat(client.closeGracefully()).as("the SDK closed (sending DELETE) in time").isTrue();

            assertThat(since(markBack)).as("the DELETE opened a new connection, to A").isNotEmpty().containsOnly(a.port());
        }
        ProxySessionId deleted = new ProxySessionId(sessionId);
        assertThat(a.sessions().find(deleted)).as("A deleted the session").isEmpty();
        assertThat(b.sessions().find(deleted)).as("B sees the deletion").isEmpty();
        assertThat(b.sessions().count()).isZero();

        // ---- 404 on B ------------------------------------------------------------------------------
        HttpResponse<String> onB = http.send(HttpRequest.newBuilder(mcp(b))
                .header("Accept", "application/json, text/event-stream")
                .header("Content-Type", "application/json")
                .header("Mcp-Session-Id", sessionId)
                .header("MCP-Protocol-Version", protocolVersion)
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/list\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(onB.statusCode()).as(onB.body()).isEqualTo(404);

        // ---- a fresh client through B ------------------------------------------------------------
        balancer.switchTo(b.port());
        int markFresh = balancer.connectionTargets().size();
        try (McpSyncClient fresh = sdkClient(FRESH_CLIENT)) {
            assertThat(fresh.initialize().serverInfo().name()).isEqualTo("mcp-servers/everything");
            // Listing first fills the SDK's tool cache, so callTool does not list tools in the
            // background (a listing still in flight at closeGracefully would be cut short).
            assertThat(fresh.listTools().tools()).extracting(McpSchema.Tool::name).contains("echo");
            McpSchema.CallToolResult echo = fresh.callTool(new McpSchema.CallToolRequest("echo", Map.of("message", "fresh on B")));
            assertThat(text(echo)).contains("fresh on B");

            assertThat(since(markFresh)).as("the fresh client only talked to B").isNotEmpty().containsOnly(b.port());
            Session freshSession = onlySession(a, FRESH_CLIENT);
            assertThat(freshSession.id().value()).isNotEqualTo(sessionId);
            assertThat(a.sessions().count()).as("only the fresh session lives").isEqualTo(1);
            assertThat(fresh.closeGracefully()).isTrue();
        }
        assertThat(b.sessions().count()).as("the fresh session was deleted too").isZero();
    }

    // ---- helpers -------------------------------------------------------------------------------

    private McpSyncClient sdkClient(String clientName) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + balancer.port())
                .endpoint("/mcp")
                .clientBuilder(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        return McpClient.sync(transport)
                .clientInfo(new McpSchema.Implementation(clientName, "1.0"))
                .requestTimeout(Duration.ofSeconds(20))
                .build();
    }

    /** The targets of the connections the balancer opened after the first {@code mark}. */
    private List<Integer> since(int mark) {
        List<Integer> all = balancer.connectionTargets();
        return all.subList(mark, all.size());
    }

    private static Session onlySession(McpRelayServer relay, String clientName) {
        List<Session> sessions = relay.sessions().list(SessionQuery.firstPage(SessionQuery.MAX_LIMIT)).sessions().stream()
                .filter(s -> s.client().name().equals(clientName)).toList();
        assertThat(sessions).as("sessions of %s seen through port %d", clientName, relay.port()).hasSize(1);
        return sessions.getFirst();
    }

    private static URI mcp(McpRelayServer relay) {
        return URI.create("http://127.0.0.1:" + relay.port() + "/mcp");
    }

    private static String text(McpSchema.CallToolResult result) {
        assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
        return result.content().stream()
                .filter(McpSchema.TextContent.class::isInstance)
                .map(c -> ((McpSchema.TextContent) c).text())
                .reduce("", String::concat);
    }
}
