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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A relay on a real Redis that hangs (SIGSTOP) in the middle of a stream: the events relayed while
 * Redis cannot confirm their appends still reach the client, each under the id it has in the replay
 * log once Redis goes on, so a client resuming from the id before the hang is replayed every later
 * event exactly once, none twice.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RedisHangStreamIT {

    private static final String BOTH = "application/json, text/event-stream";
    private static final String END = "end";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    /** What the upstream writes on the gated stream, one event per entry, as the test hands them over. */
    private final LinkedBlockingQueue<String> gate = new LinkedBlockingQueue<>();
    private RedisServerProcess redis;
    private StubUpstream upstream;
    private McpRelayServer relay;

    @BeforeEach
    void start() {
        redis = RedisServerProcess.startOnFreePort();
        upstream = StubUpstream.start(this::answer);
        relay = McpRelayServer.start(RelayOptions.forUpstream(new UpstreamTarget("stub", upstream.endpoint()))
                .withStore(StoreOptions.redis(redis.uri()))
                .withStreams(new StreamSettings(Duration.ofSeconds(15), Duration.ofSeconds(60), 64, Duration.ofSeconds(30))));
    }

    @AfterEach
    void stop() {
        gate.add(END);
        try {
            redis.thaw();
        } catch (RuntimeException ignored) {
            // not frozen, or already gone
        }
        for (AutoCloseable c : new AutoCloseable[] {relay, upstream, redis}) {
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
    void eventsRelayedWhileRedisHangsKeepTheirIdsAndAreReplayedOnce() throws Exception {
        String session = initialize();
        List<SseTestClient.Event> live = new ArrayList<>();
        gate.add(progress(1)); // the stub's head goes out with its first event
        try (SseTestClient client = SseTestClient.post(http, mcp(), session,
                "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"gated\"}}")) {
            live.add(client.next().orElseThrow());

            redis.freeze();
            try {
                // each append now waits out the command timeout; the events go on to the client all the same
                gate.add(progress(2));
                live.add(client.next().orElseThrow());
                gate.add(progress(3));
                live.add(client.next().orElseThrow());
            } finally {
                redis.thaw();
            }
            gate.add(progress(4));
            live.add(client.next().orElseThrow());
            gate.add(END);
            client.drain().forEach(live::add);
        }

        assertThat(live).extracting(RedisHangStreamIT::progressOf).containsExactly(1, 2, 3, 4, -1);
        assertThat(live).as("every event has our id, also those relayed while Redis hung").allSatisfy(e -> assertThat(e.id()).isPresent());
        String stream = streamOf(live.getFirst());
        assertThat(live).extracting(e -> e.id().orElseThrow())
                .containsExactly(stream + ":1", stream + ":2", stream + ":3", stream + ":4", stream + ":5");

        List<SseTestClient.Event> resumed;
        try (SseTestClient again = SseTestClient.get(http, mcp(), session, Map.of("Last-Event-ID", stream + ":1"))) {
            assertThat(again.status()).isEqualTo(200);
            resumed = again.drain();
        }

        assertThat(resumed).as("what came after the id, each once, as it was sent live").isEqualTo(live.subList(1, live.size()));
    }

    // ---- helpers -------------------------------------------------------------------------------

    private void answer(StubUpstream.Recorded req, io.helidon.webserver.http.ServerResponse res) throws Exception {
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
        if (req.body().contains("\"gated\"")) {
            res.header(io.helidon.http.HeaderNames.CONTENT_TYPE, "text/event-stream");
            try (var out = res.outputStream()) {
                for (int n = 1; ; n++) {
                    String next = gate.poll(60, TimeUnit.SECONDS);
                    if (next == null || next.equals(END)) {
                        StubUpstream.writeAndFlush(out, "id: u" + n + "\ndata: {\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{}}\n\n");
                        return;
                    }
                    StubUpstream.writeAndFlush(out, "id: u" + n + "\ndata: " + next + "\n\n");
                }
            }
        } else {
            res.header(io.helidon.http.HeaderNames.CONTENT_TYPE, "application/json");
            res.send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{}}");
        }
    }

    private static String progress(int n) {
        return "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":\"t\",\"progress\":" + n + "}}";
    }

    private static int progressOf(SseTestClient.Event event) {
        Matcher m = Pattern.compile("\"progress\":(\\d+)").matcher(event.data());
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static String streamOf(SseTestClient.Event event) {
        String id = event.id().orElseThrow();
        return id.substring(0, id.lastIndexOf(':'));
    }

    private String initialize() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(mcp()).timeout(Duration.ofSeconds(20))
                .header("Accept", BOTH).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
                        + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"hang\",\"version\":\"1\"}}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.headers().firstValue("Mcp-Session-Id").orElseThrow();
    }

    private URI mcp() {
        return URI.create("http://127.0.0.1:" + relay.port() + "/mcp");
    }
}
