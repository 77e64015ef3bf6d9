package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.mcprelay.adapter.http.testing.StubUpstream;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bridge (a) over real loopback sockets: a 2025-era client (plain HTTP here; the real v1 SDK in
 * {@link EraMatrixEndToEndIT}) in front of an upstream that serves only 2026-07-28 (a stub answering
 * 2025-era requests with 400 {@code -32022}, as the v2 SDK's {@code legacy: 'reject'} does). The relay
 * is configured {@code auto}: the refused initialize, a probe, then the session of its own.
 */
class BridgeToModernIT {

    private static final String BOTH = "application/json, text/event-stream";
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\"[^\"]*\"|-?\\d+)");
    private static final Pattern METHOD = Pattern.compile("\"method\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final CountDownLatch listenClosed = new CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicInteger eraProbes = new java.util.concurrent.atomic.AtomicInteger();
    private StubUpstream upstream;
    private McpRelayServer relay;

    @BeforeEach
    void start() {
        upstream = StubUpstream.start(this::answer);
        relay = McpRelayServer.start(RelayOptions.forUpstream(new UpstreamTarget("modern-only", upstream.endpoint())));
    }

    @AfterEach
    void stop() {
        relay.close();
        upstream.close();
    }

    /** The modern-only upstream. */
    private void answer(StubUpstream.Recorded req, io.helidon.webserver.http.ServerResponse res) throws Exception {
        if (!req.method().equals("POST")) {
            res.header(HeaderNames.ALLOW, "POST");
            res.status(Status.METHOD_NOT_ALLOWED_405).send();
            return;
        }
        String body = req.body();
        String id = find(ID, body);
        if (body.contains("\"id\":\"mcp-relay-discover\"") && eraProbes.getAndIncrement() == 0) {
            // the relay's era probe at start fails (503): the upstream stays unjudged until a client's initialize
            json(res, 503, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"error\":{\"code\":-32603,\"message\":\"starting\"}}");
            return;
        }
        if (!body.contains("\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\"")) {
            json(res, 400, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"error\":{\"code\":-32022,\"message\":\"Unsupported protocol version\","
                    + "\"data\":{\"supported\":[\"2026-07-28\"]}}}");
            return;
        }
        switch (find(METHOD, body)) {
            case "server/discover" -> json(res, 200, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"supportedVersions\":[\"2026-07-28\"],"
                    + "\"capabilities\":{\"tools\":{\"listChanged\":true}},\"ttlMs\":0,\"cacheScope\":\"private\","
                    + "\"_meta\":{\"io.modelcontextprotocol/serverInfo\":{\"name\":\"stub\",\"version\":\"1\"}}}}");
            case "tools/call" -> json(res, 200, body.contains("inputResponses")
                    ? "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"resultType\":\"complete\",\"content\":[{\"type\":\"text\",\"text\":\""
                            + (body.contains("Ada") ? "hello Ada" : "no name") + "\"}]}}"
                    : "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"resultType\":\"input_required\",\"inputRequests\":{\"form\":"
                            + "{\"method\":\"elicitation/create\",\"params\":{\"message\":\"Your name?\",\"requestedSchema\":{\"type\":\"object\"}}}},"
                            + "\"requestState\":\"state-1\"}}");
            case "subscriptions/listen" -> {
                res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
                try (OutputStream out = res.outputStream()) {
                    StubUpstream.writeAndFlush(out, "data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/subscriptions/acknowledged\",\"params\":{}}\n\n");
                    StubUpstream.writeAndFlush(out, "data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\",\"params\":"
                            + "{\"_meta\":{\"io.modelcontextprotocol/subscriptionId\":" + id + "}}}\n\n");
                    for (int i = 0; i < 600; i++) {
                        if (!StubUpstream.writeAndFlush(out, ": keepalive\n\n")) {
                            break;
                        }
                        Thread.sleep(50);
                    }
                } catch (Exception e) {
                    // the relay closed the listen stream
                }
                listenClosed.countDown();
            }
            default -> json(res, 404, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"error\":{\"code\":-32601,\"message\":\"Method not found\"}}");
        }
    }

    private URI endpoint() {
        return URI.create("http://127.0.0.1:" + relay.port() + "/mcp");
    }

    private HttpResponse<String> post(Optional<String> session, String body) throws Exception {
        return post(endpoint(), session, body);
    }

    private HttpResponse<String> post(URI endpoint, Optional<String> session, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json").header("Accept", BOTH)
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(10));
        session.ifPresent(s -> request.header("Mcp-Session-Id", s).header("MCP-Protocol-Version", "2025-11-25"));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String initialize() throws Exception {
        return initialize(endpoint());
    }

    private String initialize(URI endpoint) throws Exception {
        HttpResponse<String> init = post(endpoint, Optional.empty(), "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{"
                + "\"protocolVersion\":\"2025-11-25\",\"capabilities\":{\"elicitation\":{}},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}");
        assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
        assertThat(init.body()).contains("\"protocolVersion\":\"2025-11-25\"").contains("\"serverInfo\":{\"name\":\"stub\"");
        return init.headers().firstValue("Mcp-Session-Id").orElseThrow();
    }

    @Test
    void aLegacyClientGetsASessionAndAnElicitationRoundTripsThroughAnInputRequiredResult() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (upstream.eraProbes().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10); // the probe at start, failed: the initialize finds the upstream unjudged
        }
        Thread.sleep(100);
        String session = initialize();
        assertThat(post(Optional.of(session), "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").statusCode()).isEqualTo(202);
        assertThat(post(Optional.of(session), "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}").body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}");

        HttpRequest call = HttpRequest.newBuilder(endpoint()).header("Content-Type", "application/json").header("Accept", BOTH)
                .header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-11-25").timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"ask\","
                        + "\"arguments\":{}}}")).build();
        HttpResponse<java.io.InputStream> stream = http.send(call, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/event-stream"));
        try (SseEventReader events = new SseEventReader(stream.body())) {
            SseEventReader.SseEvent question = nextWithData(events);
            assertThat(question.data()).contains("\"method\":\"elicitation/create\"").contains("Your name?");
            assertThat(question.id()).isNotNull(); // a proxy event id: the stream is logged and resumable
            String ourId = find(ID, question.data());
            HttpResponse<String> answered = post(Optional.of(session), "{\"jsonrpc\":\"2.0\",\"id\":" + ourId
                    + ",\"result\":{\"action\":\"accept\",\"content\":{\"name\":\"Ada\"}}}");
            assertThat(answered.statusCode()).isEqualTo(202);
            SseEventReader.SseEvent result = nextWithData(events);
            assertThat(result.data()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"hello Ada\"}]}}");
        }

        List<StubUpstream.Recorded> seen = upstream.mcpRequests();
        // the initialize refused with -32022, then mcp-relay's discover for it (the probe it sent on that refusal is its own)
        assertThat(seen.stream().map(r -> find(METHOD, r.body())).toList())
                .containsExactly("initialize", "server/discover", "tools/call", "tools/call");
        assertThat(upstream.eraProbes()).hasSizeGreaterThanOrEqualTo(2);
        StubUpstream.Recorded retry = seen.getLast();
        assertThat(retry.body()).contains("\"inputResponses\":{\"form\":{\"action\":\"accept\"").contains("\"requestState\":\"state-1\"")
                .contains("\"io.modelcontextprotocol/clientCapabilities\":{\"elicitation\":{}}");
        assertThat(retry.header("MCP-Protocol-Version")).isEqualTo("2026-07-28");
        assertThat(retry.header("Mcp-Method")).isEqualTo("tools/call");
        assertThat(retry.header("Mcp-Name")).isEqualTo("ask");
        assertThat(retry.header("Mcp-Session-Id")).isNull();
    }

    @Test
    void aStopEndsTheRoundWaitingForTheClientWithAnErrorAndClosesTheUpstreamListen() throws Exception {
        String session = initialize();
        HttpRequest get = HttpRequest.newBuilder(endpoint()).header("Accept", "text/event-stream").header("Mcp-Session-Id", session)
                .header("MCP-Protocol-Version", "2025-11-25").GET().build();
        HttpResponse<java.io.InputStream> listen = http.send(get, HttpResponse.BodyHandlers.ofInputStream());
        HttpRequest call = HttpRequest.newBuilder(endpoint()).header("Content-Type", "application/json").header("Accept", BOTH)
                .header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-11-25").timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"ask\","
                        + "\"arguments\":{}}}")).build();
        HttpResponse<java.io.InputStream> stream = http.send(call, HttpResponse.BodyHandlers.ofInputStream());
        try (SseEventReader events = new SseEventReader(stream.body()); SseEventReader listened = new SseEventReader(listen.body())) {
            assertThat(nextWithData(listened).data()).contains("list_changed");
            assertThat(nextWithData(events).data()).contains("\"method\":\"elicitation/create\"");

            long began = System.nanoTime();
            relay.drain(Duration.ofSeconds(8));

            assertThat(Duration.ofNanos(System.nanoTime() - began)).as("the round did not hold the drain").isLessThan(Duration.ofSeconds(6));
            assertThat(nextWithData(events).data()).startsWith("{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32603,")
                    .contains("this mcp-relay instance is stopping");
            assertThat(listenClosed.await(10, TimeUnit.SECONDS)).as("the upstream listen stream is closed").isTrue();
        }
        assertThat(upstream.mcpRequests().stream().filter(r -> r.body().contains("inputResponses"))).isEmpty();
    }

    @Test
    void theGetStreamCarriesListenNotificationsWithProxyEventIdsAndDeleteClosesIt() throws Exception {
        String session = initialize();
        HttpRequest get = HttpRequest.newBuilder(endpoint()).header("Accept", "text/event-stream").header("Mcp-Session-Id", session)
                .header("MCP-Protocol-Version", "2025-11-25").GET().build();
        HttpResponse<java.io.InputStream> stream = http.send(get, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        try (SseEventReader events = new SseEventReader(stream.body())) {
            SseEventReader.SseEvent changed = nextWithData(events);
            assertThat(changed.data()).isEqualTo("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\",\"params\":{}}");
            assertThat(changed.id()).isNotNull();

            HttpResponse<Void> deleted = http.send(HttpRequest.newBuilder(endpoint()).header("Mcp-Session-Id", session)
                    .header("MCP-Protocol-Version", "2025-11-25").DELETE().build(), HttpResponse.BodyHandlers.discarding());
            assertThat(deleted.statusCode()).isEqualTo(200);
            assertThat(listenClosed.await(10, TimeUnit.SECONDS)).as("the upstream listen stream is closed").isTrue();
        }
        // nothing session-like upstream: no DELETE, no GET stream (a GET there is the health check's, without a session)
        assertThat(upstream.requests().stream().map(StubUpstream.Recorded::method)).doesNotContain("DELETE");
        assertThat(upstream.requests()).allMatch(r -> r.header("Mcp-Session-Id") == null);
    }

    @Test
    void aBridgedSessionInRedisIsServedByAnotherInstanceWithTheStateTheFirstStored() throws Exception {
        try (io.mcprelay.adapter.storage.testing.RedisServerProcess redis = io.mcprelay.adapter.storage.testing.RedisServerProcess.startOnFreePort()) {
            RelayOptions options = RelayOptions.forUpstream(new UpstreamTarget("modern-only", upstream.endpoint()))
                    .withStore(StoreOptions.redis(redis.uri()));
            try (McpRelayServer a = McpRelayServer.start(options); McpRelayServer b = McpRelayServer.start(options)) {
                URI onA = URI.create("http://127.0.0.1:" + a.port() + "/mcp");
                URI onB = URI.create("http://127.0.0.1:" + b.port() + "/mcp");
                String session = initialize(onA);
                assertThat(post(onB, Optional.of(session), "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"logging/setLevel\",\"params\":"
                        + "{\"level\":\"warning\"}}").body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}");

                HttpResponse<String> list = post(onA, Optional.of(session), "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"prompts/list\"}");

                assertThat(list.statusCode()).isEqualTo(404); // the stub has no prompts: its -32601, passed on
                assertThat(list.body()).contains("-32601");
                StubUpstream.Recorded sent = upstream.mcpRequests().getLast();
                assertThat(sent.body()).contains("\"io.modelcontextprotocol/logLevel\":\"warning\"")
                        .contains("\"io.modelcontextprotocol/clientInfo\":{\"name\":\"it\"");
            }
        }
    }

    private static SseEventReader.SseEvent nextWithData(SseEventReader events) throws Exception {
        while (true) {
            SseEventReader.SseEvent event = events.next().orElseThrow(() -> new AssertionError("the stream ended"));
            if (!event.data().isEmpty()) {
                return event;
            }
        }
    }

    private static String find(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    private static void json(io.helidon.webserver.http.ServerResponse res, int status, String body) {
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(body);
    }
}
