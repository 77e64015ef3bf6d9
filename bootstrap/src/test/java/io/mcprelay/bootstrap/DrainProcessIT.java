package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.http.HeaderNames;
import io.mcprelay.adapter.http.testing.StubUpstream;
import io.mcprelay.adapter.storage.testing.RedisServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SIGTERM drains an instance, step by step, as a platform team's rolling update needs it: two relay
 * processes from the packaged jar on one real redis-server, a resumable stub upstream with a slow
 * tool call (2.5 s) and a long one (60 s), both streaming from instance A when A gets SIGTERM
 * ({@code --drain-timeout 6s}). Readiness fails at once while liveness stays up; a new session is
 * refused with 503; the slow call completes within the grace; the long call's stream is ended
 * cleanly at the deadline (its chunked body terminated); its client resumes it on instance B with
 * {@code Last-Event-ID} and B carries it on within seconds (A gave its streams up); A exits 0.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DrainProcessIT {

    private static final Duration DRAIN = Duration.ofSeconds(6);
    private static final Pattern REQUEST_ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");
    private static final String BOTH = "application/json, text/event-stream";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void stop() {
        for (AutoCloseable resource : resources.reversed()) {
            try {
                resource.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    private <T extends AutoCloseable> T keep(T resource) {
        resources.add(resource);
        return resource;
    }

    @Test
    void sigtermFailsReadinessRefusesNewSessionsFinishesCallsEndsStreamsCleanlyAndHandsThemOver() throws Exception {
        RedisServerProcess redis = keep(RedisServerProcess.startOnFreePort());
        StubUpstream upstream = keep(StubUpstream.start(DrainProcessIT::resumable));
        RelayProcess a = keep(RelayProcess.start("--upstream", upstream.endpoint().toString(), "--store", "redis",
                "--redis-url", redis.uri().toString(), "--drain-timeout", "6s"));
        RelayProcess b = keep(RelayProcess.start("--upstream", upstream.endpoint().toString(), "--store", "redis",
                "--redis-url", redis.uri().toString()));
        String session = initialize(a.mcp()).headers().firstValue("Mcp-Session-Id").orElseThrow();

        ChunkedSseClient longCall = keep(ChunkedSseClient.post(a.port(), session,
                "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/call\",\"params\":{\"name\":\"long\"}}"));
        assertThat(longCall.status()).isEqualTo(200);
        List<SseTestClient.Event> seen = new ArrayList<>();
        seen.add(longCall.next().orElseThrow());
        seen.add(longCall.next().orElseThrow());
        ChunkedSseClient slow = keep(ChunkedSseClient.post(a.port(), session,
                "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"slow\"}}"));
        assertThat(slow.status()).isEqualTo(200);
        List<SseTestClient.Event> slowEvents = new ArrayList<>();
        slowEvents.add(slow.next().orElseThrow());

        long signalledAt = System.nanoTime();
        a.signal("TERM");

        // a signal is delivered asynchronously: readiness fails as soon as the JVM has handled it
        HttpResponse<String> ready = get(a, "/health/ready");
        for (long until = System.nanoTime() + Duration.ofSeconds(3).toNanos(); ready.statusCode() == 200 && System.nanoTime() < until; ) {
            Thread.sleep(20);
            ready = get(a, "/health/ready");
        }
        assertThat(ready.statusCode()).as("readiness fails first; A's output:\n" + String.join("\n", a.output())).isEqualTo(503);
        assertThat(ready.body()).contains("\"status\":\"DOWN\"").contains("draining");
        assertThat(get(a, "/health/live").statusCode()).as("liveness stays up").isEqualTo(200);
        HttpResponse<String> refused = initialize(a.mcp());
        assertThat(refused.statusCode()).as("a new session goes elsewhere").isEqualTo(503);
        assertThat(refused.body()).contains("\"jsonrpc\":\"2.0\"").contains("\"error\"").contains("shutting down");
        assertThat(refused.headers().firstValue("Connection")).hasValue("close");

        for (Optional<SseTestClient.Event> e = slow.next(); e.isPresent(); e = slow.next()) {
            slowEvents.add(e.get());
        }
        Duration slowDone = Duration.ofNanos(System.nanoTime() - signalledAt);
        assertThat(slowEvents.getLast().data()).as("the call in flight completed").contains("\"id\":7").contains("\"result\"");
        assertThat(slow.cleanlyEnded()).isTrue();
        assertThat(slowDone).as("within the grace").isLessThan(DRAIN);

        for (Optional<SseTestClient.Event> e = longCall.next(); e.isPresent(); e = longCall.next()) {
            seen.add(e.get());
        }
        long endedAt = System.nanoTime();
        Duration longEnded = Duration.ofNanos(endedAt - signalledAt);
        a.exitWithin(Duration.ofSeconds(10));
        assertThat(longCall.cleanlyEnded()).as("the stream open at the deadline ends with a terminated chunked body; A's output:\n"
                + String.join("\n", a.output())).isTrue();
        assertThat(longEnded).as("at the drain deadline, not before").isGreaterThan(DRAIN.minusMillis(500)).isLessThan(DRAIN.plusSeconds(10));
        assertThat(seen.getLast().data()).doesNotContain("\"result\"");

        long firstNewAt = 0;
        try (SseTestClient resumed = SseTestClient.get(http, b.mcp(), session, Map.of("Last-Event-ID", seen.getLast().id().orElseThrow()))) {
            assertThat(resumed.status()).isEqualTo(200);
            Optional<SseTestClient.Event> next;
            while ((next = resumed.next()).isPresent()) {
                if (firstNewAt == 0 && next.get().data().contains("\"resumed\":true")) {
                    firstNewAt = System.nanoTime();
                }
                seen.add(next.get());
            }
        }
        assertThat(firstNewAt).as("instance B carried the stream on").isNotZero();
        Duration handOver = Duration.ofNanos(firstNewAt - endedAt);
        System.out.printf("DrainProcessIT: slow call done %d ms after SIGTERM, long stream ended %d ms after, resumed on B %d ms after that%n",
                slowDone.toMillis(), longEnded.toMillis(), handOver.toMillis());
        assertThat(handOver).as("taken over at once, not after a lease").isLessThan(Duration.ofSeconds(8));
        assertThat(seen.getLast().data()).contains("\"id\":8").contains("\"result\"");
        assertThat(SseTestClient.gapsInIds(seen)).isEmpty();

        OptionalInt exit = a.exitWithin(Duration.ofSeconds(20));
        assertThat(exit).as("A exits after the drain; its output:\n" + String.join("\n", a.output())).hasValue(0);
        assertThat(a.output()).anyMatch(line -> line.contains("draining: readiness fails") && line.contains("2 to wait for"))
                .anyMatch(line -> line.contains("drained in") && line.contains("1 streams handed over"));
    }

    /**
     * SIGINT (Ctrl-C) drains as SIGTERM does, and with {@code --log-format json} every log line is a
     * JSON object (no plain-text line from Helidon), the drain and the access log included.
     */
    @Test
    void sigintDrainsTooAndJsonLogsStayJson() throws Exception {
        StubUpstream upstream = keep(StubUpstream.start(MiniMcpUpstream::answer));
        RelayProcess relay = keep(RelayProcess.start("--upstream", upstream.endpoint().toString(), "--log-format", "json", "--access-log",
                "--drain-timeout", "2s"));
        assertThat(initialize(relay.mcp()).statusCode()).isEqualTo(200);

        relay.signal("INT");

        assertThat(relay.exitWithin(Duration.ofSeconds(20))).as(String.join("\n", relay.output())).hasValue(0);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<com.fasterxml.jackson.databind.JsonNode> records = new ArrayList<>();
        for (String line : relay.output()) {
            if (!line.startsWith("mcp-relay ")) {    // the start-up banner on stdout: where it listens
                records.add(json.readTree(line));
            }
        }
        assertThat(records).as("every log line is JSON").isNotEmpty()
                .allSatisfy(r -> assertThat(r.path("level").asText()).isIn("ERROR", "WARN", "INFO", "DEBUG", "TRACE"));
        assertThat(records).anySatisfy(r -> assertThat(r.path("msg").asText()).startsWith("SIGINT: stopping gracefully"))
                .anySatisfy(r -> assertThat(r.path("msg").asText()).startsWith("draining: readiness fails"))
                .anySatisfy(r -> assertThat(r.path("msg").asText()).startsWith("drained in"))
                .anySatisfy(r -> {
                    assertThat(r.path("logger").asText()).isEqualTo("mcp-relay.access");
                    assertThat(r.path("rpc_method").asText()).isEqualTo("initialize");
                    assertThat(r.path("status").asInt()).isEqualTo(200);
                    assertThat(r.path("session").asText()).isNotBlank();
                    assertThat(r.path("upstream").asText()).isEqualTo("upstream-1");
                });
    }

    private HttpResponse<String> get(RelayProcess relay, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + path)).timeout(Duration.ofSeconds(10)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> initialize(URI mcp) throws Exception {
        return http.send(HttpRequest.newBuilder(mcp).timeout(Duration.ofSeconds(20))
                .header("Accept", BOTH).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                        + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"drain\",\"version\":\"1\"}}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A resumable upstream: the {@code slow} tool streams 25 steps 100 ms apart, then its result; the
     * {@code long} one 600. Step n is event id {@code <request id>-<n>}; a GET with {@code Last-Event-ID}
     * carries on after that step (events marked {@code "resumed":true}) and answers ten steps later.
     */
    private static void resumable(StubUpstream.Recorded req, io.helidon.webserver.http.ServerResponse res) throws Exception {
        if (req.method().equals("GET")) {
            String last = req.header("Last-Event-ID");
            if (last == null) {
                res.status(405).send();
                return;
            }
            String[] parts = last.split("-");
            int from = Integer.parseInt(parts[1]) + 1;
            stream(res, parts[0], from, from + 10, true);
            return;
        }
        if (req.method().equals("DELETE")) {
            res.status(200).send();
            return;
        }
        Matcher id = REQUEST_ID.matcher(req.body());
        if (!id.find()) {
            res.status(202).send();
            return;
        }
        if (req.body().contains("\"initialize\"")) {
            res.header(HeaderNames.create("Mcp-Session-Id"), "up-" + System.nanoTime());
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send("{\"jsonrpc\":\"2.0\",\"id\":" + id.group(1) + ",\"result\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{}}}");
            return;
        }
        stream(res, id.group(1), 1, req.body().contains("\"slow\"") ? 26 : 600, false);
    }

    private static void stream(io.helidon.webserver.http.ServerResponse res, String requestId, int from, int until, boolean resumed)
            throws Exception {
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
        try (var out = res.outputStream()) {
            for (int n = from; n < until; n++) {
                if (!StubUpstream.writeAndFlush(out, "id: " + requestId + "-" + n + "\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\","
                        + "\"params\":{\"progressToken\":\"t" + requestId + "\",\"progress\":" + n + ",\"resumed\":" + resumed + "}}\n\n")) {
                    return;
                }
                Thread.sleep(100);
            }
            StubUpstream.writeAndFlush(out, "id: " + requestId + "-" + until + "\ndata: {\"jsonrpc\":\"2.0\",\"id\":" + requestId
                    + ",\"result\":{\"content\":[]}}\n\n");
        }
    }
}
