package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.port.out.SessionQuery;
import io.mcprelay.application.port.out.UpstreamStatus;
import io.mcprelay.bootstrap.e2e.ServerEverything;
import io.mcprelay.domain.routing.HealthCheckPolicy;
import io.mcprelay.domain.routing.UpstreamHealth;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.session.Session;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Failover with real upstreams: two server-everything processes behind one relay; one is killed
 * during traffic, new sessions all land on the other, the dead one's sessions get 404 and succeed
 * after re-initializing, and the killed upstream, restarted, is taken back once its probe passes.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UpstreamFailoverEndToEndIT {

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
    void killingAnUpstreamMovesNewSessionsToTheOtherAndItIsTakenBackAfterRestart() throws Exception {
        first = ServerEverything.start();
        second = ServerEverything.start();
        RelayOptions defaults = RelayOptions.forUpstream(new UpstreamTarget("first", first.mcpEndpoint()));
        UpstreamOptions policies = UpstreamOptions.defaults();
        relay = McpRelayServer.start(defaults.withUpstreams(
                List.of(new UpstreamTarget("first", first.mcpEndpoint()), new UpstreamTarget("second", second.mcpEndpoint())),
                new UpstreamOptions(policies.strategy(), Map.of(),
                        new HealthCheckPolicy(Duration.ofMillis(300), Duration.ofMillis(250), 1, 1), policies.breaker(),
                        policies.maxConcurrent(), policies.queueTimeout())));

        List<McpSyncClient> before = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            McpSyncClient client = connect("before-" + i);
            before.add(client);
            assertThat(echo(client, "hello " + i)).contains("hello " + i);
        }
        assertThat(upstreamCounts()).as("round-robin over two healthy upstreams").containsEntry("first", 2).containsEntry("second", 2);

        int firstPort = first.port();
        first.close();
        awaitUntil(() -> health("first") == UpstreamHealth.UNHEALTHY);

        for (int i = 0; i < 4; i++) {
            assertThat(echo(connect("during-" + i), "new " + i)).contains("new " + i);
        }
        assertThat(sessionsOn("first", "during-")).as("no new session goes to the dead upstream").isZero();
        assertThat(sessionsOn("second", "during-")).isEqualTo(4);

        for (McpSyncClient client : before) {
            String clientName = client.getClientInfo().name();
            boolean wasOnFirst = sessionsOn("first", clientName) == 1;
            try {
                assertThat(echo(client, "again")).contains("again");
            } catch (RuntimeException lost) {
                assertThat(wasOnFirst).as("only sessions of the dead upstream are lost").isTrue();
                McpSyncClient fresh = connect(clientName + "-again");
                assertThat(echo(fresh, "again")).contains("again");
            }
        }

        first = ServerEverything.startOn(firstPort);
        awaitUntil(() -> health("first") == UpstreamHealth.HEALTHY);
        for (int i = 0; i < 4; i++) {
            assertThat(echo(connect("after-" + i), "back " + i)).contains("back " + i);
        }
        assertThat(sessionsOn("first", "after-")).as("the restarted upstream takes new sessions again").isPositive();
    }

    private McpSyncClient connect(String name) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + relay.port())
                .endpoint("/mcp").connectTimeout(Duration.ofSeconds(5)).build();
        McpSyncClient client = McpClient.sync(transport).clientInfo(new McpSchema.Implementation(name, "1.0"))
                .requestTimeout(Duration.ofSeconds(20)).build();
        clients.add(client);
        client.initialize();
        return client;
    }

    private static String echo(McpSyncClient client, String message) {
        McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("echo", Map.of("message", message)));
        return result.content().stream().filter(McpSchema.TextContent.class::isInstance)
                .map(c -> ((McpSchema.TextContent) c).text()).reduce("", String::concat);
    }

    private List<Session> sessions() {
        return relay.sessions().list(SessionQuery.firstPage(SessionQuery.MAX_LIMIT)).sessions();
    }

    private Map<String, Integer> upstreamCounts() {
        Map<String, Integer> counts = new HashMap<>();
        sessions().forEach(s -> counts.merge(s.upstream(), 1, Integer::sum));
        return counts;
    }

    private long sessionsOn(String upstream, String clientPrefix) {
        return sessions().stream().filter(s -> s.upstream().equals(upstream) && s.client().name().startsWith(clientPrefix)).count();
    }

    private UpstreamHealth health(String name) {
        return relay.upstreamStatus().stream().filter(s -> s.name().equals(name)).map(UpstreamStatus::health).findFirst().orElseThrow();
    }

    private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 30 s");
            }
            Thread.sleep(50);
        }
    }
}
