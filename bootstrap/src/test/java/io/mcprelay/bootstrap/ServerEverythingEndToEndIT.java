package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.port.out.SessionQuery;
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
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real thing, end to end: the official MCP Java SDK client, mcp-relay with the jar's wiring, and
 * the reference server {@code @modelcontextprotocol/server-everything} (pinned in e2e/package.json),
 * none of which knows it is being tested.
 */
class ServerEverythingEndToEndIT {

    @RegisterExtension
    static final RelayOverEverything EVERYTHING = new RelayOverEverything();

    @Test
    void sdkClientInitializesListsAndCallsToolsThroughTheRelay() {
        try (McpSyncClient client = newClient("mcp-relay-e2e-tools")) {
            McpSchema.InitializeResult init = client.initialize();
            assertThat(init.serverInfo().name()).isEqualTo("mcp-servers/everything");

            assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).contains("echo", "get-sum");

            McpSchema.CallToolResult echo = client.callTool(new McpSchema.CallToolRequest("echo", Map.of("message", "hello relay")));
            assertThat(text(echo)).contains("hello relay");

            McpSchema.CallToolResult sum = client.callTool(new McpSchema.CallToolRequest("get-sum", Map.of("a", 2, "b", 40)));
            assertThat(text(sum)).contains("42");

            String big = "0123456789abcdef".repeat(256 * 1024 / 16);
            McpSchema.CallToolResult bigEcho = client.callTool(new McpSchema.CallToolRequest("echo", Map.of("message", big)));
            assertThat(text(bigEcho)).contains(big);
        }
    }

    @Test
    void deletedSessionGets404AndAFreshInitializeWorks() throws Exception {
        McpSyncClient client = newClient("mcp-relay-e2e-delete");
        try {
            client.initialize();
            String sessionId = onlySessionOf("mcp-relay-e2e-delete").id().value();
            HttpClient http = HttpClient.newHttpClient();

            HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(relayEndpoint()).header("Mcp-Session-Id", sessionId)
                    .DELETE().build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> after = http.send(HttpRequest.newBuilder(relayEndpoint()).header("Mcp-Session-Id", sessionId)
                    .header("Accept", "application/json, text/event-stream").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/list\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(deleted.statusCode()).isEqualTo(200);
            assertThat(after.statusCode()).isEqualTo(404);
            // The SDK client either reports the 404 or, as the protocol asks of clients, starts a new
            // session by itself; either way the deleted session is never used again.
            try {
                assertThat(client.listTools().tools()).isNotEmpty();
                assertThat(onlySessionOf("mcp-relay-e2e-delete").id().value()).isNotEqualTo(sessionId);
            } catch (RuntimeException reported) {
                assertThat(EVERYTHING.relay().sessions().find(new io.mcprelay.domain.session.ProxySessionId(sessionId))).isEmpty();
            }
        } finally {
            try {
                client.close();
            } catch (RuntimeException sdkCloseAfterA404) {
                // SDK 2.1.0 can throw a NullPointerException closing a client whose session failed; not the relay's concern
            }
        }
        try (McpSyncClient fresh = newClient("mcp-relay-e2e-fresh")) {
            assertThat(fresh.initialize().serverInfo().name()).isEqualTo("mcp-servers/everything");
            assertThat(fresh.listTools().tools()).isNotEmpty();
        }
    }

    /**
     * The load test's real leg (see {@link LoadIT}, which runs 1,000 clients against a fast stub): 20
     * SDK clients at once, each with its own session, make 20 echo calls each with a message no other
     * call sends, and each answer must echo that very message.
     */
    @Test
    void twentySdkClientsAtOnceEachGetOnlyTheirOwnEchoes() throws Exception {
        int clients = 20;
        int calls = 20;
        Map<String, Integer> errors = new ConcurrentHashMap<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            for (int c = 0; c < clients; c++) {
                String name = "mcp-relay-e2e-load-" + c;
                pool.submit(() -> {
                    try (McpSyncClient client = newClient(name)) {
                        client.initialize();
                        for (int call = 0; call < calls; call++) {
                            String message = name + "-call-" + call + "-" + UUID.randomUUID();
                            String echoed = text(client.callTool(new McpSchema.CallToolRequest("echo", Map.of("message", message))));
                            if (!echoed.equals("Echo: " + message)) {
                                errors.merge("not its own echo: " + echoed, 1, Integer::sum);
                            }
                        }
                    } catch (RuntimeException | AssertionError e) {
                        errors.merge(e.getClass().getSimpleName() + ": " + e.getMessage(), 1, Integer::sum);
                    }
                });
            }
        }

        assertThat(errors).as("errors by kind").isEmpty();
    }

    private static Session onlySessionOf(String clientName) {
        List<Session> sessions = EVERYTHING.relay().sessions().list(SessionQuery.firstPage(SessionQuery.MAX_LIMIT)).sessions().stream()
                .filter(s -> s.client().name().equals(clientName)).toList();
        assertThat(sessions).hasSize(1);
        return sessions.getFirst();
    }

    private static McpSyncClient newClient(String clientName) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + EVERYTHING.relay().port())
                .endpoint("/mcp")
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        return McpClient.sync(transport)
                .clientInfo(new McpSchema.Implementation(clientName, "1.0"))
                .requestTimeout(Duration.ofSeconds(20))
                .build();
    }

    private static URI relayEndpoint() {
        return URI.create("http://127.0.0.1:" + EVERYTHING.relay().port() + "/mcp");
    }

    private static String text(McpSchema.CallToolResult result) {
        assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
        return result.content().stream()
                .filter(McpSchema.TextContent.class::isInstance)
                .map(c -> ((McpSchema.TextContent) c).text())
                .reduce("", String::concat);
    }
}
