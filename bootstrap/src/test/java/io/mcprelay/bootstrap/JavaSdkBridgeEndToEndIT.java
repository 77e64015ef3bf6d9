package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.bootstrap.e2e.EraServer;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official MCP Java SDK client (2025 era: {@code initialize}, sessions) through mcp-relay in front of
 * the TypeScript SDK v2 test server serving only 2026-07-28, which refuses that client when reached
 * directly: bridge (a) (docs/eras.md) answers {@code initialize} itself and carries every request as a
 * modern one. A third client implementation beside the v1 and v2 TypeScript clients of
 * {@link EraMatrixEndToEndIT}, with its own elicitation, progress and list-changed handling.
 */
class JavaSdkBridgeEndToEndIT {

    private static EraServer modernOnly;
    private static McpRelayServer relay;

    @BeforeAll
    static void start() {
        modernOnly = EraServer.start(EraServer.Mode.MODERN_ONLY);
        relay = McpRelayServer.start(RelayOptions.forUpstream(new UpstreamTarget("modern-only", modernOnly.mcpEndpoint())));
    }

    @AfterAll
    static void stop() throws Exception {
        if (relay != null) {
            relay.close();
        }
        if (modernOnly != null) {
            modernOnly.close();
        }
    }

    @Test
    void theJavaSdkClientIsRefusedDirectly() {
        try (McpSyncClient direct = client(modernOnly.mcpEndpoint().toString(), List.of(), new CountDownLatch(1))) {
            assertThat(org.assertj.core.api.Assertions.catchThrowable(direct::initialize)).as("a modern-only server refuses initialize")
                    .isNotNull();
        }
    }

    @Test
    void theJavaSdkClientWorksThroughTheBridgeWithElicitationProgressAndListChanged() throws Exception {
        List<McpSchema.ElicitFormRequest> asked = new CopyOnWriteArrayList<>();
        CountDownLatch toolsChanged = new CountDownLatch(1);
        try (McpSyncClient client = client("http://127.0.0.1:" + relay.port() + "/mcp", asked, toolsChanged)) {
            McpSchema.InitializeResult init = client.initialize();
            assertThat(init.protocolVersion()).as("a 2025-era version, answered by mcp-relay").startsWith("2025-");
            assertThat(init.serverInfo().name()).isEqualTo("mcp-relay-era-v2-server");
            assertThat(init.instructions()).isEqualTo("era matrix test server");

            assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name)
                    .contains("echo", "trigger-long-running-operation", "trigger-elicitation-request", "trigger-list-changed");
            assertThat(text(client.callTool(new McpSchema.CallToolRequest("echo", Map.of("message", "über den Bridge")))))
                    .isEqualTo("Echo: über den Bridge");

            List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
            try (McpSyncClient withProgress = McpClient.sync(transport("http://127.0.0.1:" + relay.port() + "/mcp"))
                    .clientInfo(new McpSchema.Implementation("java-sdk-progress", "1.0"))
                    .requestTimeout(Duration.ofSeconds(30))
                    .progressConsumer(progress::add)
                    .build()) {
                withProgress.initialize();
                McpSchema.CallToolResult done = withProgress.callTool(McpSchema.CallToolRequest.builder()
                        .name("trigger-long-running-operation").arguments(Map.of("duration", 1, "steps", 3)).progressToken("p-1").build());
                assertThat(text(done)).contains("Long running operation completed");
                assertThat(progress).extracting(McpSchema.ProgressNotification::progress).containsExactly(1.0, 2.0, 3.0);
            }

            McpSchema.CallToolResult elicited = client.callTool(new McpSchema.CallToolRequest("trigger-elicitation-request", Map.of()));
            assertThat(asked).as("the client's elicitation handler was asked once").hasSize(1);
            assertThat(asked.getFirst().message()).isEqualTo("Please provide your name");
            assertThat(text(elicited)).contains("Name: Ada Lovelace");

            client.callTool(new McpSchema.CallToolRequest("trigger-list-changed", Map.of()));
            assertThat(toolsChanged.await(30, TimeUnit.SECONDS)).as("tools/list_changed reached the client's GET stream").isTrue();
        }
    }

    private static McpSyncClient client(String endpoint, List<McpSchema.ElicitFormRequest> asked, CountDownLatch toolsChanged) {
        return McpClient.sync(transport(endpoint))
                .clientInfo(new McpSchema.Implementation("java-sdk-bridge", "1.0"))
                .requestTimeout(Duration.ofSeconds(30))
                .capabilities(McpSchema.ClientCapabilities.builder().elicitation().build())
                .elicitation(request -> {
                    asked.add(request);
                    return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of("name", "Ada Lovelace", "check", true));
                })
                .toolsChangeConsumer(tools -> toolsChanged.countDown())
                .build();
    }

    private static HttpClientStreamableHttpTransport transport(String endpoint) {
        java.net.URI uri = java.net.URI.create(endpoint);
        return HttpClientStreamableHttpTransport.builder(uri.getScheme() + "://" + uri.getAuthority())
                .endpoint(uri.getPath())
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    private static String text(McpSchema.CallToolResult result) {
        assertThat(result.isError()).as("tool error: %s", result).isNotEqualTo(Boolean.TRUE);
        return result.content().stream()
                .filter(McpSchema.TextContent.class::isInstance)
                .map(c -> ((McpSchema.TextContent) c).text())
                .reduce("", (a, b) -> a.isEmpty() ? b : a + "\n" + b);
    }
}
