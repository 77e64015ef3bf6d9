package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.application.port.out.InterceptorStatus;
import io.mcprelay.application.port.out.SessionQuery;
import io.mcprelay.application.spi.MessageInterceptor;
import io.mcprelay.bootstrap.e2e.ServerEverything;
import io.mcprelay.domain.intercept.Direction;
import io.mcprelay.domain.intercept.Glob;
import io.mcprelay.domain.intercept.InterceptRule;
import io.mcprelay.domain.intercept.RuleAction;
import io.mcprelay.domain.intercept.RuleMatch;
import io.mcprelay.domain.intercept.RuleSet;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.stream.LoggedEvent;
import io.mcprelay.domain.stream.LogState;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each built-in action end to end: the official MCP Java SDK client, mcp-relay with the jar's wiring
 * and configured rules, a counting pass-through (which proves what reached the upstream), and the
 * reference server {@code server-everything}. Plus the example code interceptor module, loaded from
 * its own module layer through {@link java.util.ServiceLoader}.
 */
class InterceptorsEndToEndIT {

    private static ServerEverything everything;
    private ForwardingUpstream upstream;
    private McpRelayServer relay;

    @BeforeAll
    static void startEverything() {
        everything = ServerEverything.start();
    }

    @AfterAll
    static void stopEverything() {
        if (everything != null) {
            everything.close();
        }
    }

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    private void start(ForwardingUpstream forwarding, InterceptRule... rules) {
        upstream = forwarding;
        relay = McpRelayServer.start(RelayOptions.forUpstream(new UpstreamTarget("everything", upstream.endpoint()))
                .withRules(new RuleSet(List.of(rules))));
    }

    private static InterceptRule rule(String name, Set<Direction> directions, String method, String tool, RuleAction action) {
        return new InterceptRule(name, new RuleMatch(directions, Optional.ofNullable(method).map(Glob::new),
                Optional.ofNullable(tool).map(Glob::new), Optional.empty(), Optional.empty()), action);
    }

    @Test
    void aBlockedToolGetsTheConfiguredErrorAndTheUpstreamNeverSeesTheCall() {
        start(ForwardingUpstream.passingThrough(everything.mcpEndpoint()),
                rule("deny-env", Set.of(Direction.REQUEST), "tools/call", "get-env", new RuleAction.Block(-32001, "get-env is not allowed here")));
        try (McpSyncClient client = newClient("block")) {
            client.initialize();

            assertThatThrownBy(() -> client.callTool(new McpSchema.CallToolRequest("get-env", Map.of())))
                    .isInstanceOfSatisfying(McpError.class, e -> {
                        assertThat(e.getJsonRpcError().code()).isEqualTo(-32001);
                        assertThat(e.getJsonRpcError().message()).isEqualTo("get-env is not allowed here");
                    });
            assertThat(text(client.callTool(new McpSchema.CallToolRequest("echo", Map.of("message", "still fine"))))).contains("still fine");
        }
        assertThat(upstream.callsOf("get-env")).isZero();
        assertThat(upstream.callsOf("echo")).isEqualTo(1);
        assertThat(hits("deny-env")).isEqualTo(1);
    }

    @Test
    void hiddenToolsVanishFromToolsListAndCallsToThemAreUnknownTools() {
        start(ForwardingUpstream.passingThrough(everything.mcpEndpoint()),
                rule("hide-risky", Set.of(), null, null, new RuleAction.HideTools(List.of(new Glob("get-env"), new Glob("trigger-*")))));
        try (McpSyncClient client = newClient("hide")) {
            client.initialize();

            List<String> tools = client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
            assertThat(tools).contains("echo", "get-sum").doesNotContain("get-env").noneMatch(name -> name.startsWith("trigger-"));
            assertThatThrownBy(() -> client.callTool(new McpSchema.CallToolRequest("get-env", Map.of())))
                    .isInstanceOfSatisfying(McpError.class, e -> {
                        assertThat(e.getJsonRpcError().code()).isEqualTo(-32602);
                        assertThat(e.getJsonRpcError().message()).isEqualTo("Unknown tool: get-env");
                    });
        }
        assertThat(upstream.posted()).anyMatch(body -> body.contains("\"tools/list\""));
        assertThat(upstream.callsOf("get-env")).isZero();
    }

    @Test
    void aRedactedFieldArrivesRedactedInEventsAndAResumedStreamReplaysTheRedactedVersion() throws Exception {
        start(ForwardingUpstream.passingThrough(everything.mcpEndpoint()),
                rule("redact-echo", Set.of(Direction.EVENT), "tools/call", "echo", new RuleAction.Redact("/result/content/0/text",
                        RuleAction.Redact.DEFAULT_REPLACEMENT)));
        try (McpSyncClient client = newClient("redact-events")) {
            client.initialize();

            assertThat(text(client.callTool(new McpSchema.CallToolRequest("echo", Map.of("message", "my secret"))))).isEqualTo("[REDACTED]");

            Session session = sessionOf("redact-events");
            LogState stream = relay.eventLog().streamsOf(session.id()).stream()
                    .filter(s -> relay.eventLog().readAfter(s.stream().id(), 0, 100).events().stream()
                            .anyMatch(e -> e.data().contains("REDACTED")))
                    .findFirst().orElseThrow();
            assertThat(relay.eventLog().readAfter(stream.stream().id(), 0, 100).events()).extracting(LoggedEvent::data)
                    .noneMatch(data -> data.contains("my secret"));

            HttpResponse<String> resumed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(relayEndpoint())
                    .header("Accept", "text/event-stream").header("Mcp-Session-Id", session.id().value())
                    .header("MCP-Protocol-Version", session.protocolVersion().value())
                    .header("Last-Event-ID", stream.stream().id().value() + ":0")
                    .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(resumed.statusCode()).isEqualTo(200);
            assertThat(resumed.body()).contains("[REDACTED]").doesNotContain("my secret");
        }
        assertThat(upstream.callsOf("echo")).isEqualTo(1);
    }

    @Test
    void aRedactedFieldArrivesRedactedInJsonResponses() {
        start(ForwardingUpstream.answeringJson(everything.mcpEndpoint()),
                rule("redact-echo", Set.of(Direction.RESPONSE), "tools/call", "echo", new RuleAction.Redact("/result/content/0/text",
                        "\"(withheld)\"")));
        try (McpSyncClient client = newClient("redact-json")) {
            client.initialize();

            assertThat(text(client.callTool(new McpSchema.CallToolRequest("echo", Map.of("message", "my secret"))))).isEqualTo("(withheld)");
            assertThat(text(client.callTool(new McpSchema.CallToolRequest("get-sum", Map.of("a", 2, "b", 40))))).contains("42");
        }
        assertThat(upstream.jsonAnswers()).as("the upstream's answers came as JSON").isGreaterThanOrEqualTo(3);
        assertThat(hits("redact-echo")).isEqualTo(1);
    }

    @Test
    void aMockedMethodAnswersWithoutTheUpstream() {
        start(ForwardingUpstream.passingThrough(everything.mcpEndpoint()),
                rule("mock-sum", Set.of(Direction.REQUEST), "tools/call", "get-sum",
                        new RuleAction.Mock("{\"content\":[{\"type\":\"text\",\"text\":\"The sum is 42 (mocked)\"}]}")));
        try (McpSyncClient client = newClient("mock")) {
            client.initialize();

            assertThat(text(client.callTool(new McpSchema.CallToolRequest("get-sum", Map.of("a", 1, "b", 1))))).isEqualTo("The sum is 42 (mocked)");
        }
        assertThat(upstream.callsOf("get-sum")).isZero();
        assertThat(hits("mock-sum")).isEqualTo(1);
    }

    @Test
    void aDelayHoldsTheCallThenLetsItThrough() {
        start(ForwardingUpstream.passingThrough(everything.mcpEndpoint()),
                rule("slow-echo", Set.of(Direction.REQUEST), "tools/call", "echo", new RuleAction.Delay(Duration.ofMillis(500))));
        try (McpSyncClient client = newClient("delay")) {
            client.initialize();

            long started = System.nanoTime();
            assertThat(text(client.callTool(new McpSchema.CallToolRequest("echo", Map.of("message", "later"))))).contains("later");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        }
        assertThat(upstream.callsOf("echo")).isEqualTo(1);
    }

    @Test
    void theExampleInterceptorModuleIsFoundThroughServiceLoaderAndActsOnMessages() {
        ModuleLayer layer = exampleLayer();
        List<MessageInterceptor> found = CodeInterceptors.load(layer.findLoader("io.mcprelay.examples.interceptor"));
        assertThat(found).singleElement().satisfies(interceptor -> {
            assertThat(interceptor.getClass().getModule().getName()).isEqualTo("io.mcprelay.examples.interceptor");
            assertThat(interceptor.getClass().getModule().getDescriptor().provides()).isNotEmpty();
        });
        assertThat(CodeInterceptors.load(McpRelayServer.class.getClassLoader())).as("nothing on the test's own module path").isEmpty();

        upstream = ForwardingUpstream.passingThrough(everything.mcpEndpoint());
        relay = McpRelayServer.start(RelayOptions.forUpstream(new UpstreamTarget("everything", upstream.endpoint())),
                layer.findLoader("io.mcprelay.examples.interceptor"));
        try (McpSyncClient client = newClient("code-interceptor")) {
            client.initialize();

            assertThatThrownBy(() -> client.callTool(new McpSchema.CallToolRequest("trigger-long-running-operation",
                    Map.of("duration", 1, "steps", 1)))).isInstanceOfSatisfying(McpError.class, e -> {
                        assertThat(e.getJsonRpcError().code()).isEqualTo(-32042);
                        assertThat(e.getJsonRpcError().message()).contains("deny-trigger-tools");
                    });
            assertThat(text(client.callTool(new McpSchema.CallToolRequest("echo", Map.of("message", "allowed"))))).contains("allowed");
        }
        assertThat(upstream.callsOf("trigger-long-running-operation")).isZero();
        assertThat(relay.interception().interceptorStatus()).singleElement().satisfies(status -> {
            assertThat(status.name()).isEqualTo("deny-trigger-tools");
            assertThat(status.kind()).isEqualTo("code");
            assertThat(status.hits()).isEqualTo(1);
        });
    }

    /** The example interceptor as an operator installs it: its own module, resolved in a layer above the relay's. */
    private static ModuleLayer exampleLayer() {
        Path example = Path.of(System.getProperty("mcprelay.interceptorExample", "examples/interceptor-example/target/classes"));
        assertThat(Files.exists(example.resolve("module-info.class"))).as("%s is built", example).isTrue();
        ModuleLayer parent = ModuleLayer.boot();
        Configuration configuration = parent.configuration().resolveAndBind(ModuleFinder.of(example), ModuleFinder.of(),
                Set.of("io.mcprelay.examples.interceptor"));
        return parent.defineModulesWithOneLoader(configuration, McpRelayServer.class.getClassLoader());
    }

    private long hits(String rule) {
        return relay.interception().interceptorStatus().stream().filter(s -> s.name().equals(rule)).findFirst()
                .map(InterceptorStatus::hits).orElseThrow();
    }

    private Session sessionOf(String clientName) {
        return relay.sessions().list(SessionQuery.firstPage(SessionQuery.MAX_LIMIT)).sessions().stream()
                .filter(s -> s.client().name().equals(clientName)).findFirst().orElseThrow();
    }

    private URI relayEndpoint() {
        return URI.create("http://127.0.0.1:" + relay.port() + "/mcp");
    }

    private McpSyncClient newClient(String clientName) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + relay.port())
                .endpoint("/mcp")
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        return McpClient.sync(transport)
                .clientInfo(new McpSchema.Implementation(clientName, "1.0"))
                .requestTimeout(Duration.ofSeconds(20))
                .build();
    }

    private static String text(McpSchema.CallToolResult result) {
        assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
        return result.content().stream()
                .filter(McpSchema.TextContent.class::isInstance)
                .map(c -> ((McpSchema.TextContent) c).text())
                .reduce("", String::concat);
    }
}
