package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.adapter.http.testing.StubUpstream;
import io.mcprelay.adapter.storage.testing.RedisServerProcess;
import io.mcprelay.application.service.StreamSettings;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two mcp-relay instances sharing one real Redis, as behind a plain load balancer without sticky
 * sessions: any instance serves any session and any stream, a deletion or expiry is seen by both,
 * and Redis going away gives clear 503s and recovers.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DistributedSessionsIT {

    private static final String BOTH = "application/json, text/event-stream";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private RedisServerProcess redis;
    private StubUpstream upstream;
    private McpRelayServer a;
    private McpRelayServer b;

    @BeforeEach
    void start() {
        redis = RedisServerProcess.startOnFreePort();
        upstream = StubUpstream.start(DistributedSessionsIT::answer);
    }

    private void startRelays(Duration sessionTtl) {
        RelayOptions options = RelayOptions.forUpstream(new UpstreamTarget("stub", upstream.endpoint()))
                .withStore(StoreOptions.redis(redis.uri()))
                .withSessionTtl(sessionTtl)
                .withStreams(new StreamSettings(Duration.ofMillis(500), Duration.ofSeconds(10), 64, Duration.ofSeconds(2)));
        a = McpRelayServer.start(options);
        b = McpRelayServer.start(options);
    }

    @AfterEach
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {a, b, upstream, redis}) {
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
    void initializeThroughACallThroughBDeleteThroughAThen404OnB() throws Exception {
        startRelays(Duration.ofMinutes(5));

        String session = initialize(a);
        HttpResponse<String> call = post(b, session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}}");
        HttpResponse<String> deleted = send(HttpRequest.newBuilder(mcp(a)).header("Mcp-Session-Id", session).DELETE());
        HttpResponse<String> afterOnB = post(b, session, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}");

        assertThat(call.statusCode()).isEqualTo(200);
        assertThat(call.body()).contains("\"id\":2,\"result\"");
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(afterOnB.statusCode()).isEqualTo(404);
        assertThat(upstream.mcpRequests()).extracting(StubUpstream.Recorded::method).containsExactly("POST", "POST", "DELETE");
    }

    @Test
    void sessionExpiryIsSeenThroughBothInstances() throws Exception {
        startRelays(Duration.ofSeconds(1));

        String session = initialize(a);
        assertThat(post(b, session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}").statusCode()).isEqualTo(200);
        Thread.sleep(1_600);

        assertThat(post(b, session, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}").statusCode()).isEqualTo(404);
        assertThat(post(a, session, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"ping\"}").statusCode()).isEqualTo(404);
    }

    @Test
    void aStreamStartedOnAResumesOnBWithEveryRemainingEventOnce() throws Exception {
        startRelays(Duration.ofMinutes(5));
        String session = initialize(a);
        List<SseTestClient.Event> events = new ArrayList<>();
        try (SseTestClient client = SseTestClient.post(http, mcp(a), session,
                "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"slow\"}}")) {
            events.add(client.next().orElseThrow());
        }

        try (SseTestClient resumed = SseTestClient.get(http, mcp(b), session, Map.of("Last-Event-ID", events.getFirst().id().orElseThrow()))) {
            assertThat(resumed.status()).isEqualTo(200);
            Optional<SseTestClient.Event> next;
            while ((next = resumed.next()).isPresent()) {
                events.add(next.get());
            }
        }

        assertThat(events).extracting(SseTestClient.Event::data).filteredOn(d -> d.contains("progress"))
                .extracting(DistributedSessionsIT::progress).containsExactly(1, 2, 3, 4, 5);
        assertThat(events.getLast().data()).contains("\"id\":7,\"result\"");
        assertThat(upstream.mcpRequests()).hasSize(2);
    }

    @Test
    void redisDownGivesClear503sAndTheRelayRecoversWhenItReturns() throws Exception {
        startRelays(Duration.ofMinutes(5));
        String session = initialize(a);

        redis.stop();
        HttpResponse<String> whileDown = post(b, session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}");
        HttpResponse<String> initWhileDown = post(a, null, initializeBody());
        HttpResponse<String> healthWhileDown = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.port() + "/health")));
        redis.start();
        HttpResponse<String> healthAfter = awaitHealthy(a);
        String fresh = initialize(b);

        assertThat(whileDown.statusCode()).isEqualTo(503);
        assertThat(whileDown.body()).contains("\"error\"").contains("session store cannot be reached");
        assertThat(initWhileDown.statusCode()).isEqualTo(503);
        assertThat(healthWhileDown.statusCode()).isEqualTo(503);
        assertThat(healthWhileDown.body()).contains("DOWN");
        assertThat(healthAfter.statusCode()).isEqualTo(200);
        assertThat(post(a, fresh, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}").statusCode()).isEqualTo(200);
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static void answer(StubUpstream.Recorded req, io.helidon.webserver.http.ServerResponse res) throws Exception {
        if (req.method().equals("DELETE")) {
            res.status(200).send();
            return;
        }
        if (req.method().equals("GET")) {
            res.status(405).send();
            return;
        }
        String id = ResumableUpstream.callToAnswer(req, res);
        if (id == null) {
            return;
        }
        if (req.body().contains("\"slow\"")) {
            res.header(io.helidon.http.HeaderNames.CONTENT_TYPE, "text/event-stream");
            try (var out = res.outputStream()) {
                for (int i = 1; i <= 5; i++) {
                    StubUpstream.writeAndFlush(out, "id: u" + i + "\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":\"t\",\"progress\":" + i + "}}\n\n");
                    Thread.sleep(150);
                }
                StubUpstream.writeAndFlush(out, "id: u6\ndata: {\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{}}\n\n");
            }
        } else {
            res.header(io.helidon.http.HeaderNames.CONTENT_TYPE, "application/json");
            res.send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{}}");
        }
    }

    private static int progress(String data) {
        Matcher m = Pattern.compile("\"progress\":(\\d+)").matcher(data);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static String initializeBody() {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"distributed\",\"version\":\"1\"}}}";
    }

    private String initialize(McpRelayServer relay) throws Exception {
        HttpResponse<String> response = post(relay, null, initializeBody());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.headers().firstValue("Mcp-Session-Id").orElseThrow();
    }

    private HttpResponse<String> post(McpRelayServer relay, String session, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(mcp(relay)).header("Accept", BOTH).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return send(request);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> awaitHealthy(McpRelayServer relay) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        HttpResponse<String> health;
        do {
            Thread.sleep(100);
            health = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/health")));
        } while (health.statusCode() != 200 && System.nanoTime() < deadline);
        return health;
    }

    private static URI mcp(McpRelayServer relay) {
        return URI.create("http://127.0.0.1:" + relay.port() + "/mcp");
    }
}
