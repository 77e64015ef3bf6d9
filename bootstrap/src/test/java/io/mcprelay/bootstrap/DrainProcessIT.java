package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.adapter.http.testing.StubUpstream;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

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

    @RegisterExtension
    final TwoRelaysOnRedis relays = new TwoRelaysOnRedis();
    private final HttpClient http = relays.http;

    private <T extends AutoCloseable> T keep(T resource) {
        return relays.keep(resource);
    }

    @Test
    void sigtermFailsReadinessRefusesNewSessionsFinishesCallsEndsStreamsCleanlyAndHandsThemOver() throws Exception {
        StubUpstream upstream = keep(new ResumableUpstream().start());
        RelayProcess a = relays.relay(upstream.endpoint(), "--drain-timeout", "6s");
        RelayProcess b = relays.relay(upstream.endpoint());
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

        TwoRelaysOnRedis.Resumed resumed = relays.resume(b.mcp(), session, Map.of("Last-Event-ID", seen.getLast().id().orElseThrow()), seen,
                e -> e.data().contains("\"resumed\":true"));
        assertThat(resumed.status()).isEqualTo(200);
        long firstNewAt = resumed.firstMarkedAt();
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
        return relays.initialize(mcp, "2025-06-18", "drain");
    }
}
