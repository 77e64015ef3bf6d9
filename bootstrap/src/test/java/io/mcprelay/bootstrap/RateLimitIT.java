package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.adapter.http.testing.StubUpstream;
import io.mcprelay.adapter.storage.testing.RedisServerProcess;
import io.mcprelay.domain.limit.OutagePolicy;
import io.mcprelay.domain.limit.RateLimit;
import io.mcprelay.domain.limit.RateLimits;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rate limits (issue 20 §3) against the real relay over loopback, in front of a test upstream: a burst
 * over a limit gets 429 with {@code Retry-After} and a JSON-RPC error naming the limit; two relays
 * sharing a real redis-server share the buckets; and a Redis stopped mid-test lets requests through
 * (open, counted) or refuses them with 503 (closed), as configured.
 */
class RateLimitIT {

    private static final RateLimit THREE_PER_MINUTE = RateLimit.of(3, Duration.ofMinutes(1));

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private StubUpstream upstream;
    private int ids = 100;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
    }

    @Test
    void aBurstOverTheCallersLimitGets429WithRetryAfterAndTheLimitNamed() throws Exception {
        McpRelayServer relay = relay(new LimitOptions(limits(Optional.of(THREE_PER_MINUTE), Map.of(), Optional.empty(), OutagePolicy.OPEN),
                Optional.empty()), StoreOptions.memory());
        String session = initialize(relay);
        for (int i = 0; i < 3; i++) {
            assertThat(ping(relay, session).statusCode()).as("request %d of the burst", i + 1).isEqualTo(200);
        }
        int id = ids + 1;
        HttpResponse<String> limited = ping(relay, session);

        assertThat(limited.statusCode()).isEqualTo(429);
        long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).as("one token of 3/1m comes back in 20 s").isBetween(15L, 20L);
        assertThat(limited.body()).contains("\"id\":" + id).contains("\"limit\":\"per-principal\"").contains("\"rate\":\"3/1m\"")
                .contains("per-principal limit");
        assertThat(upstream.mcpRequests()).filteredOn(r -> r.body().contains("\"id\":" + id)).as("never reached the upstream").isEmpty();

        String other = initialize(relay);
        assertThat(ping(relay, other).statusCode()).as("without auth each session has its own bucket").isEqualTo(200);
        assertThat(notification(relay, session).statusCode()).as("notifications take no token").isEqualTo(202);
        assertThat(metrics(relay)).contains("mcp_relay_requests_limited_total{caller=\"session\",limit=\"per-principal\"} 1.0");
    }

    @Test
    void aToolsLimitIsSharedByEveryCallerAndNamesTheTool() throws Exception {
        McpRelayServer relay = relay(new LimitOptions(limits(Optional.empty(), Map.of("slow", RateLimit.of(2, Duration.ofMinutes(1))),
                Optional.empty(), OutagePolicy.OPEN), Optional.empty()), StoreOptions.memory());
        String first = initialize(relay);
        String second = initialize(relay);
        assertThat(callTool(relay, first, "slow").statusCode()).isEqualTo(200);
        assertThat(callTool(relay, second, "slow").statusCode()).isEqualTo(200);

        HttpResponse<String> limited = callTool(relay, first, "slow");

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        assertThat(limited.body()).contains("\"limit\":\"per-tool\"").contains("\"tool\":\"slow\"");
        assertThat(callTool(relay, second, "fast").statusCode()).as("another tool is not limited").isEqualTo(200);
        assertThat(metrics(relay)).contains("mcp_relay_requests_limited_total{caller=\"session\",limit=\"per-tool\"} 1.0");
    }

    @Test
    void twoRelaysSharingRedisShareTheGlobalBucket() throws Exception {
        RedisServerProcess redis = RedisServerProcess.startOnFreePort();
        resources.add(redis);
        LimitOptions global = new LimitOptions(limits(Optional.empty(), Map.of(), Optional.of(RateLimit.of(4, Duration.ofMinutes(1))),
                OutagePolicy.OPEN), Optional.empty());
        McpRelayServer a = relay(global, StoreOptions.redis(redis.uri()));
        McpRelayServer b = relay(global, StoreOptions.redis(redis.uri()));
        String onA = initialize(a);
        String onB = initialize(b);
        assertThat(ping(a, onA).statusCode()).isEqualTo(200);
        assertThat(ping(b, onB).statusCode()).isEqualTo(200);
        assertThat(ping(a, onA).statusCode()).isEqualTo(200);
        assertThat(ping(b, onB).statusCode()).isEqualTo(200);

        HttpResponse<String> limitedOnA = ping(a, onA);
        HttpResponse<String> limitedOnB = ping(b, onB);

        assertThat(limitedOnA.statusCode()).as("4 requests of 4/1m were spent over both relays").isEqualTo(429);
        assertThat(limitedOnB.statusCode()).isEqualTo(429);
        assertThat(limitedOnB.body()).contains("\"limit\":\"global\"");
        assertThat(Long.parseLong(limitedOnB.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 15L);
    }

    @Test
    void aStoppedLimitRedisFailsOpenCountedThenLimitsAgainOnceBack() throws Exception {
        RedisServerProcess redis = RedisServerProcess.startOnFreePort();
        resources.add(redis);
        McpRelayServer relay = relay(new LimitOptions(limits(Optional.of(THREE_PER_MINUTE), Map.of(), Optional.empty(), OutagePolicy.OPEN),
                Optional.of(redis.uri())), StoreOptions.memory());
        String session = initialize(relay);
        assertThat(ping(relay, session).statusCode()).isEqualTo(200);

        redis.stop();
        for (int i = 0; i < 5; i++) {
            assertThat(ping(relay, session).statusCode()).as("request %d while Redis is down: let through", i + 1).isEqualTo(200);
        }
        assertThat(metrics(relay)).contains("mcp_relay_limit_store_failures_total{policy=\"open\"} 5.0");

        redis.start();
        awaitCheckedAgain(relay, session);
        assertThat(ping(relay, session).statusCode()).isEqualTo(200);
        assertThat(ping(relay, session).statusCode()).isEqualTo(200);
        assertThat(ping(relay, session).statusCode()).as("a fresh Redis, a fresh bucket of 3: limited again").isEqualTo(429);
    }

    @Test
    void aStoppedLimitRedisFailsClosedWith503() throws Exception {
        RedisServerProcess redis = RedisServerProcess.startOnFreePort();
        resources.add(redis);
        McpRelayServer relay = relay(new LimitOptions(limits(Optional.of(THREE_PER_MINUTE), Map.of(), Optional.empty(), OutagePolicy.CLOSED),
                Optional.of(redis.uri())), StoreOptions.memory());
        String session = initialize(relay);
        assertThat(ping(relay, session).statusCode()).isEqualTo(200);

        redis.stop();
        int id = ids + 1;
        HttpResponse<String> refused = ping(relay, session);

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("\"id\":" + id).contains("rate limits cannot be checked");
        assertThat(notification(relay, session).statusCode()).as("what no limit applies to still passes").isEqualTo(202);
        assertThat(metrics(relay)).contains("mcp_relay_limit_store_failures_total{policy=\"closed\"} 1.0");
        redis.start();
        awaitStatus(relay, session, 200);
    }

    private static RateLimits limits(Optional<RateLimit> perPrincipal, Map<String, RateLimit> perTool, Optional<RateLimit> global,
                                     OutagePolicy outage) {
        return new RateLimits(perPrincipal, perTool, global, outage);
    }

    private McpRelayServer relay(LimitOptions limits, StoreOptions store) throws Exception {
        if (upstream == null) {
            upstream = MiniMcpUpstream.start();
            resources.add(upstream);
        }
        RelayOptions options = RelayOptions.forUpstream(new UpstreamTarget("mini", upstream.endpoint())).withStore(store)
                .withFairness(FairnessOptions.defaults().withLimits(limits));
        McpRelayServer relay = McpRelayServer.start(options);
        resources.add(relay);
        return relay;
    }

    /** Lettuce reconnects with a backoff of up to 5 s; until then requests fail as configured. */
    private void awaitStatus(McpRelayServer relay, String session, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (ping(relay, session).statusCode() != status) {
            assertThat(System.nanoTime()).as("Redis back within 30 s").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** Pings until one is checked against Redis again (the failure count stands still): that ping took a token. */
    private void awaitCheckedAgain(McpRelayServer relay, String session) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            String before = openFailures(metrics(relay));
            assertThat(ping(relay, session).statusCode()).isEqualTo(200);
            if (openFailures(metrics(relay)).equals(before)) {
                return;
            }
            assertThat(System.nanoTime()).as("Redis back within 30 s").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static String openFailures(String metrics) {
        return metrics.lines().filter(line -> line.startsWith("mcp_relay_limit_store_failures_total{policy=\"open\"}")).findFirst().orElse("");
    }

    private String initialize(McpRelayServer relay) throws Exception {
        HttpResponse<String> opened = post(relay, Optional.empty(), "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}");
        assertThat(opened.statusCode()).isEqualTo(200);
        return opened.headers().firstValue("Mcp-Session-Id").orElseThrow();
    }

    private HttpResponse<String> ping(McpRelayServer relay, String session) throws Exception {
        return post(relay, Optional.of(session), "{\"jsonrpc\":\"2.0\",\"id\":" + (++ids) + ",\"method\":\"ping\"}");
    }

    private HttpResponse<String> callTool(McpRelayServer relay, String session, String tool) throws Exception {
        return post(relay, Optional.of(session), "{\"jsonrpc\":\"2.0\",\"id\":" + (++ids) + ",\"method\":\"tools/call\",\"params\":"
                + "{\"name\":\"" + tool + "\",\"arguments\":{}}}");
    }

    private HttpResponse<String> notification(McpRelayServer relay, String session) throws Exception {
        return post(relay, Optional.of(session), "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":1}}");
    }

    private HttpResponse<String> post(McpRelayServer relay, Optional<String> session, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/mcp"))
                .header("Accept", "application/json, text/event-stream").header("Content-Type", "application/json")
                .header("MCP-Protocol-Version", "2025-06-18").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        session.ifPresent(id -> request.header("Mcp-Session-Id", id));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String metrics(McpRelayServer relay) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
