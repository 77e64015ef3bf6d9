package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.mcprelay.application.port.out.SessionQuery;
import io.mcprelay.application.port.out.UpstreamStatus;
import io.mcprelay.bootstrap.e2e.ServerEverything;
import io.mcprelay.domain.session.Session;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reloading the configuration file under traffic, with the real MCP Java SDK client and real
 * server-everything upstreams: the upstream list or the interception rules change while a session
 * streams a long-running call; the stream completes, the session keeps working, and what comes next
 * (new sessions, the next call) sees the new configuration.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConfigReloadEndToEndIT {

    @TempDir
    Path dir;

    private ServerEverything first;
    private ServerEverything second;
    private McpRelayServer relay;
    private final List<McpSyncClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(McpSyncClient::close);
        if (relay != null) {
            relay.close();
        }
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
    }

    @Test
    void aRemovedUpstreamIsRetiredWhileItsSessionAndItsOpenStreamCarryOnAndNewSessionsGoToTheNewList() throws Exception {
        first = ServerEverything.start();
        second = ServerEverything.start();
        Path file = dir.resolve("mcp-relay.yaml");
        Files.writeString(file, upstreams("first", first));
        startRelay(file);

        List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
        McpSyncClient old = connect("old", progress);
        CompletableFuture<McpSchema.CallToolResult> longCall = longRunning(old, 3, 6);
        awaitUntil(() -> !progress.isEmpty(), "the first progress notification");

        Path next = dir.resolve("next.yaml");
        Files.writeString(next, upstreams("second", second));
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        awaitUntil(() -> status("first").map(s -> !s.enabled()).orElse(false) && status("second").isPresent(), "the reload");

        assertThat(progress.size()).as("the reload happened while the stream was open").isLessThan(6);
        McpSchema.CallToolResult result = longCall.get(30, TimeUnit.SECONDS);
        assertThat(text(result)).contains("Long running operation completed", "Steps: 6");
        awaitUntil(() -> progress.size() == 6, "every progress notification");
        assertThat(progress).extracting(McpSchema.ProgressNotification::progress).containsExactly(1.0, 2.0, 3.0, 4.0, 5.0, 6.0);

        assertThat(echo(old, "still here")).as("the session on the retired upstream keeps working").contains("still here");
        assertThat(sessionOf("old").upstream()).isEqualTo("first");

        McpSyncClient fresh = connect("fresh", new CopyOnWriteArrayList<>());
        assertThat(echo(fresh, "new")).contains("new");
        assertThat(sessionOf("fresh").upstream()).as("new sessions go to the new list").isEqualTo("second");
    }

    @Test
    void aRuleReloadedDuringALongStreamedCallLetsTheStreamCompleteAndTheNextCallSeesTheRule() throws Exception {
        first = ServerEverything.start();
        Path file = dir.resolve("mcp-relay.yaml");
        Files.writeString(file, upstreams("everything", first));
        startRelay(file);
        List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
        McpSyncClient client = connect("rules", progress);
        assertThat(echo(client, "before")).contains("before");

        CompletableFuture<McpSchema.CallToolResult> longCall = longRunning(client, 3, 6);
        awaitUntil(() -> !progress.isEmpty(), "the first progress notification");
        Path next = dir.resolve("next.yaml");
        Files.writeString(next, upstreams("everything", first) + """
                interceptors:
                  rules:
                    - name: no-echo
                      match: {direction: request, method: tools/call, tool: echo}
                      action: block
                      code: -32001
                      message: echo is switched off
                    - name: no-long-calls
                      match: {direction: request, method: tools/call, tool: "trigger-long-*"}
                      action: block
                """);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        awaitUntil(() -> relay.interception().interceptorStatus().size() == 2, "the reload of the rules");

        assertThat(progress.size()).as("the rules changed while the stream was open").isLessThan(6);
        assertThat(text(longCall.get(30, TimeUnit.SECONDS))).as("the call already under way completes")
                .contains("Long running operation completed", "Steps: 6");
        awaitUntil(() -> progress.size() == 6, "every progress notification");
        assertThat(progress).extracting(McpSchema.ProgressNotification::progress).containsExactly(1.0, 2.0, 3.0, 4.0, 5.0, 6.0);

        assertThat(catchThrowable(() -> echo(client, "after"))).as("the next call sees the new rule")
                .isInstanceOfSatisfying(McpError.class, e -> {
                    assertThat(e.getJsonRpcError().code()).isEqualTo(-32001);
                    assertThat(e.getJsonRpcError().message()).isEqualTo("echo is switched off");
                });
        assertThat(catchThrowable(() -> longRunning(client, 1, 1).get(30, TimeUnit.SECONDS))).hasRootCauseInstanceOf(McpError.class)
                .rootCause().hasMessageContaining("Blocked by the gateway's policy");
        assertThat(relay.interception().interceptorStatus()).extracting(s -> s.name() + "=" + s.hits())
                .containsExactly("no-echo=1", "no-long-calls=1");
    }

    private static CompletableFuture<McpSchema.CallToolResult> longRunning(McpSyncClient client, int seconds, int steps) {
        CompletableFuture<McpSchema.CallToolResult> call = new CompletableFuture<>();
        Thread.ofPlatform().name("long-call").start(() -> {    // not the common pool: the SDK's notification handling stalls there
            try {
                call.complete(client.callTool(McpSchema.CallToolRequest.builder("trigger-long-running-operation")
                        .arguments(Map.of("duration", seconds, "steps", steps)).progressToken("reload-progress").build()));
            } catch (RuntimeException e) {
                call.completeExceptionally(e);
            }
        });
        return call;
    }

    @Test
    void aRateLimitAddedByAReloadHoldsForTheNextCallsAndARemovedOneNoLonger() throws Exception {
        first = ServerEverything.start();
        Path file = dir.resolve("mcp-relay.yaml");
        Files.writeString(file, upstreams("first", first));
        ConfigReloader reloader = startRelay(file);
        McpSyncClient client = connect("limited", new CopyOnWriteArrayList<>());
        assertThat(echo(client, "before")).contains("before");

        Files.writeString(file, upstreams("first", first) + "limits:\n  perTool: [echo=1/1h]\n");
        assertThat(reloader.reload("limit on")).isInstanceOfSatisfying(ConfigReloader.Outcome.Applied.class,
                a -> assertThat(a.needRestart()).isEmpty());
        assertThat(echo(client, "first under the limit")).contains("first under the limit");
        assertThatThrownBy(() -> echo(client, "second")).as("one echo an hour").hasMessageContaining("429").hasMessageContaining("the per-tool limit of tool echo (1/1h) is exhausted");

        Files.writeString(file, upstreams("first", first));
        assertThat(reloader.reload("limit off")).isInstanceOf(ConfigReloader.Outcome.Applied.class);
        assertThat(echo(client, "after")).as("the same session, no limit any more").contains("after");
    }

    @Test
    void anInvalidFileLeavesTheRunningUpstreamsInPlace() throws Exception {
        first = ServerEverything.start();
        Path file = dir.resolve("mcp-relay.yaml");
        Files.writeString(file, upstreams("first", first));
        ConfigReloader reloader = startRelay(file);

        Files.writeString(file, "upstreams:\n  - name: first\n    url: not a url\n");
        ConfigReloader.Outcome outcome = reloader.reload("test");

        assertThat(outcome).isInstanceOfSatisfying(ConfigReloader.Outcome.Rejected.class,
                r -> assertThat(r.problems()).containsExactly("upstreams[0].url: not an http(s) URL: \"not a url\""));
        McpSyncClient client = connect("after-rejected", new CopyOnWriteArrayList<>());
        assertThat(echo(client, "ok")).contains("ok");
        assertThat(status("first")).hasValueSatisfying(s -> assertThat(s.enabled()).isTrue());
    }

    private ConfigReloader startRelay(Path file) throws Exception {
        CommandLine.Arguments arguments = CommandLine.parse("--config", file.toString(), "--port", "0");
        ConfigReloader.Source source = () -> Configuration.resolve(arguments, Map.of());
        Configuration configuration = source.load();
        relay = McpRelayServer.start(configuration.options());
        return relay.reloadFrom(file, source, configuration, Duration.ofMillis(200));
    }

    private static String upstreams(String name, ServerEverything upstream) {
        return "upstreams:\n  - name: " + name + "\n    url: " + upstream.mcpEndpoint() + "\n";
    }

    private McpSyncClient connect(String name, List<McpSchema.ProgressNotification> progress) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + relay.port())
                .endpoint("/mcp").connectTimeout(Duration.ofSeconds(5)).build();
        McpSyncClient client = McpClient.sync(transport).clientInfo(new McpSchema.Implementation(name, "1.0"))
                .requestTimeout(Duration.ofSeconds(30)).progressConsumer(progress::add).build();
        clients.add(client);
        client.initialize();
        return client;
    }

    private static String echo(McpSyncClient client, String message) {
        return text(client.callTool(new McpSchema.CallToolRequest("echo", Map.of("message", message))));
    }

    private static String text(McpSchema.CallToolResult result) {
        return result.content().stream().filter(McpSchema.TextContent.class::isInstance)
                .map(c -> ((McpSchema.TextContent) c).text()).reduce("", String::concat);
    }

    private Session sessionOf(String client) {
        List<Session> sessions = relay.sessions().list(SessionQuery.firstPage(SessionQuery.MAX_LIMIT)).sessions();
        return sessions.stream().filter(s -> s.client().name().equals(client)).findFirst().orElseThrow();
    }

    private java.util.Optional<UpstreamStatus> status(String name) {
        return relay.upstreamStatus().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    private static void awaitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within 30 s");
            }
            Thread.sleep(20);
        }
    }
}
