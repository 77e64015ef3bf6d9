package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import io.mcprelay.adapter.http.testing.StubUpstream;
import io.mcprelay.application.service.StreamSettings;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.stream.EventId;
import io.mcprelay.domain.stream.LogState;
import io.mcprelay.domain.stream.ReplayLogLimits;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The stream relay over real sockets, against an upstream whose pace and length the test controls:
 * incremental delivery, exactly one upstream request, resumption after a dropped connection (during
 * and after the stream), isolation of concurrent streams, the answers to bad Last-Event-IDs, and the
 * release of an endless upstream after the disconnect grace.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StreamRelayIT {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\"[^\"]*\"|-?\\d+)");
    private static final Pattern TOOL = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern COUNT = Pattern.compile("\"count\"\\s*:\\s*(\\d+)");
    private static final Pattern MARK = Pattern.compile("\"mark\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final CountDownLatch clientSawFirst = new CountDownLatch(1);
    private final AtomicBoolean endlessReleased = new AtomicBoolean();
    private final AtomicInteger toolCalls = new AtomicInteger();
    private StubUpstream upstream;
    private McpRelayServer relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    private void start(StreamSettings streams, ReplayLogLimits limits) {
        upstream = StubUpstream.start(this::answer);
        relay = McpRelayServer.start(RelayOptions.forUpstream(new UpstreamTarget("paced", upstream.endpoint()))
                .withStreams(streams).withReplayLog(limits));
    }

    private void start() {
        start(StreamSettings.defaults(), ReplayLogLimits.defaults());
    }

    @Test
    void firstEventReachesTheClientWhileTheUpstreamIsStillSending() throws Exception {
        start();
        String session = initialize();

        try (SseTestClient client = SseTestClient.post(http, mcp(), session, call(2, "gated", 3, "G"))) {
            SseTestClient.Event first = client.next().orElseThrow();
            assertThat(first.data()).contains("\"progress\":1");
            // the upstream sends the rest only after the client has seen event 1: a buffering relay would deadlock here
            clientSawFirst.countDown();
            List<SseTestClient.Event> rest = client.drain();
            assertThat(rest).extracting(SseTestClient.Event::data).last().asString().contains("\"id\":2,\"result\"");
        }
        assertThat(toolCalls).as("exactly one upstream request per client request").hasValue(1);
    }

    @Test
    void droppedClientResumesWithEveryRemainingEventExactlyOnceInOrder() throws Exception {
        start();
        String session = initialize();
        List<SseTestClient.Event> before = new ArrayList<>();
        try (SseTestClient client = SseTestClient.post(http, mcp(), session, call(3, "paced", 8, "A"))) {
            before.add(client.next().orElseThrow());
            before.add(client.next().orElseThrow());
        }

        List<SseTestClient.Event> after;
        try (SseTestClient resumed = SseTestClient.get(http, mcp(), session, Map.of("Last-Event-ID", before.get(1).id().orElseThrow()))) {
            assertThat(resumed.status()).isEqualTo(200);
            after = resumed.drain();
        }

        List<SseTestClient.Event> all = new ArrayList<>(before);
        all.addAll(after);
        assertThat(SseTestClient.progressOf(all)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(all.getLast().data()).contains("\"id\":3,\"result\"");
        assertConsecutiveIdsOfOneStream(all);
        assertThat(toolCalls).hasValue(1);
    }

    @Test
    void resumingAfterTheStreamFinishedReplaysTheRestThenEnds() throws Exception {
        start();
        String session = initialize();
        SseTestClient.Event first;
        try (SseTestClient client = SseTestClient.post(http, mcp(), session, call(4, "paced", 5, "A"))) {
            first = client.next().orElseThrow();
        }
        EventId firstId = EventId.parse(first.id().orElseThrow()).orElseThrow();
        awaitComplete(firstId);

        try (SseTestClient resumed = SseTestClient.get(http, mcp(), session, Map.of("Last-Event-ID", firstId.text()))) {
            List<SseTestClient.Event> after = resumed.drain();
            assertThat(SseTestClient.progressOf(after)).containsExactly(2, 3, 4, 5);
            assertThat(after.getLast().data()).contains("\"id\":4,\"result\"");
        }
    }

    @Test
    void resumingOneOfTwoConcurrentStreamsNeverShowsTheOthersEvents() throws Exception {
        start();
        String session = initialize();
        SseTestClient a = SseTestClient.post(http, mcp(), session, call(5, "paced", 6, "A"));
        try (SseTestClient b = SseTestClient.post(http, mcp(), session, call(6, "paced", 6, "B"))) {
            SseTestClient.Event firstOfA = a.next().orElseThrow();
            a.close();
            List<SseTestClient.Event> ofB = b.drain();
            try (SseTestClient resumed = SseTestClient.get(http, mcp(), session, Map.of("Last-Event-ID", firstOfA.id().orElseThrow()))) {
                List<SseTestClient.Event> ofA = resumed.drain();

                assertThat(ofA).isNotEmpty().allSatisfy(e -> assertThat(e.data()).doesNotContain("\"mark\":\"B\"").doesNotContain("\"id\":6"));
                assertThat(ofA.getLast().data()).contains("\"id\":5,\"result\"");
                assertThat(ofB).allSatisfy(e -> assertThat(e.data()).doesNotContain("\"mark\":\"A\""));
                assertThat(streamOf(ofA.getFirst())).isNotEqualTo(streamOf(ofB.getFirst()));
            }
        }
    }

    @Test
    void badLastEventIdsGetDefinedAnswers() throws Exception {
        start(StreamSettings.defaults(), new ReplayLogLimits(3, 1 << 20, Duration.ofMinutes(5), 100));
        String session = initialize();
        String other = initialize();
        SseTestClient.Event first;
        try (SseTestClient client = SseTestClient.post(http, mcp(), session, call(7, "paced", 6, "A"))) {
            first = client.next().orElseThrow();
        }
        EventId firstId = EventId.parse(first.id().orElseThrow()).orElseThrow();
        awaitComplete(firstId);

        assertAnswer(session, "not-an-event-id", 400, "not an event id this proxy issued");
        assertAnswer(session, "AAAAAAAAAAAAAAAAAAAAAA:5", 400, "names no stream or position");
        assertAnswer(session, firstId.stream().value() + ":999", 400, "names no stream or position");
        assertAnswer(other, firstId.text(), 400, "belongs to another session");
        assertAnswer(session, firstId.text(), 410, "no longer in the replay log");
    }

    @Test
    void endlessUpstreamIsReleasedAfterTheGraceTimeAndItsLogStaysBounded() throws Exception {
        start(new StreamSettings(Duration.ofMillis(200), Duration.ofSeconds(1), 64), new ReplayLogLimits(5, 1 << 20, Duration.ofMinutes(5), 100));
        String session = initialize();
        SseTestClient.Event first;
        try (SseTestClient client = SseTestClient.post(http, mcp(), session, call(8, "endless", 0, "E"))) {
            first = client.next().orElseThrow();
        }
        EventId id = EventId.parse(first.id().orElseThrow()).orElseThrow();

        awaitComplete(id);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!endlessReleased.get() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(endlessReleased).as("the upstream saw the relay close its connection").isTrue();
        LogState state = relay.eventLog().state(id.stream()).orElseThrow();
        assertThat(state.lastSequence() - state.firstSequence() + 1).isLessThanOrEqualTo(5);
        assertThat(state.lastSequence()).isGreaterThan(5);
    }

    @Test
    void upstreamThatClosesEarlyToBePolledIsReattachedWithItsOwnLastEventIdAndTheClientStreamContinues() throws Exception {
        start();
        String session = initialize();

        List<SseTestClient.Event> events;
        try (SseTestClient client = SseTestClient.post(http, mcp(), session, call(9, "polling", 0, "P"))) {
            events = client.drain();
        }

        assertThat(SseTestClient.progressOf(events)).containsExactly(1, 2);
        assertThat(events.getLast().data()).contains("\"id\":9,\"result\"");
        assertConsecutiveIdsOfOneStream(events);
        assertThat(upstream.mcpRequests()).extracting(StubUpstream.Recorded::method).containsExactly("POST", "POST", "GET");
        StubUpstream.Recorded reattach = upstream.mcpRequests().get(2);
        assertThat(reattach.header("last-event-id")).isEqualTo("u-1");
        assertThat(reattach.header("mcp-session-id")).startsWith("up-");
        assertThat(reattach.header("accept")).isEqualTo("text/event-stream");
    }

    // ---- the upstream ------------------------------------------------------------------------

    private void answer(StubUpstream.Recorded req, ServerResponse res) throws Exception {
        String body = req.body();
        if (req.method().equals("GET")) {
            // 2025-11-25 polling: the client (the relay) comes back for the rest of the stream
            res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
            try (OutputStream out = res.outputStream()) {
                if ("u-1".equals(req.header("last-event-id"))) {
                    StubUpstream.writeAndFlush(out, "id: u-2\ndata: " + progress(2, "P") + "\n\n");
                    StubUpstream.writeAndFlush(out, "id: u-3\ndata: {\"jsonrpc\":\"2.0\",\"id\":9,\"result\":{\"content\":[]}}\n\n");
                }
            }
            return;
        }
        if (body.contains("\"initialize\"")) {
            res.header(HeaderNames.create("Mcp-Session-Id"), "up-" + System.nanoTime());
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send("{\"jsonrpc\":\"2.0\",\"id\":" + MiniMcpUpstream.find(ID, body) + ",\"result\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{}}}");
            return;
        }
        if (!body.contains("\"tools/call\"")) {
            res.status(202).send();
            return;
        }
        toolCalls.incrementAndGet();
        String id = MiniMcpUpstream.find(ID, body);
        String tool = MiniMcpUpstream.find(TOOL, body);
        String mark = MiniMcpUpstream.find(MARK, body);
        int count = Integer.parseInt(Optional.ofNullable(MiniMcpUpstream.find(COUNT, body)).orElse("0"));
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
        if ("polling".equals(tool)) {
            try (OutputStream out = res.outputStream()) {
                StubUpstream.writeAndFlush(out, "id: u-0\ndata:\n\n");
                StubUpstream.writeAndFlush(out, "id: u-1\nretry: 100\ndata: " + progress(1, "P") + "\n\n");
            }
            return;
        }
        try (OutputStream out = res.outputStream()) {
            int i = 1;
            while ("endless".equals(tool) || i <= count) {
                if (!StubUpstream.writeAndFlush(out, "id: u-" + i + "\ndata: " + progress(i, mark) + "\n\n")) {
                    endlessReleased.set(true);
                    return;
                }
                if ("gated".equals(tool) && i == 1) {
                    clientSawFirst.await(10, TimeUnit.SECONDS);
                }
                Thread.sleep("endless".equals(tool) ? 20 : 100);
                i++;
            }
            StubUpstream.writeAndFlush(out, "id: u-end\ndata: {\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"content\":[]}}\n\n");
        }
    }

    private static String progress(int i, String mark) {
        return "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":\"t\",\"progress\":" + i
                + ",\"mark\":\"" + mark + "\"}}";
    }

    // ---- helpers -----------------------------------------------------------------------------

    private String initialize() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(mcp())
                .header("Accept", "application/json, text/event-stream").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                        + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"stream-it\",\"version\":\"1\"}}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.headers().firstValue("Mcp-Session-Id").orElseThrow();
    }

    private static String call(int id, String tool, int count, String mark) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
                + "\",\"arguments\":{\"count\":" + count + ",\"mark\":\"" + mark + "\"}}}";
    }

    private void assertAnswer(String session, String lastEventId, int status, String message) throws Exception {
        try (SseTestClient client = SseTestClient.get(http, mcp(), session, Map.of("Last-Event-ID", lastEventId))) {
            assertThat(client.status()).as(lastEventId).isEqualTo(status);
            assertThat(client.rest()).as(lastEventId).contains("\"jsonrpc\":\"2.0\"").contains("\"error\"").contains(message);
        }
    }

    private void awaitComplete(EventId id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            Optional<LogState> state = relay.eventLog().state(id.stream());
            if (state.isPresent() && state.get().complete()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("stream " + id.stream() + " did not complete within 20 s");
    }

    private static void assertConsecutiveIdsOfOneStream(List<SseTestClient.Event> events) {
        assertThat(SseTestClient.gapsInIds(events)).isEmpty();
    }

    private static String streamOf(SseTestClient.Event event) {
        return EventId.parse(event.id().orElseThrow()).orElseThrow().stream().value();
    }

    private URI mcp() {
        return URI.create("http://127.0.0.1:" + relay.port() + "/mcp");
    }
}
