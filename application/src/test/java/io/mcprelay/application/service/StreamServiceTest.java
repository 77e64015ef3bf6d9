package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.Messages.request;
import static io.mcprelay.application.fixtures.RelayCommands.aPost;
import static io.mcprelay.application.fixtures.SessionTestData.aSession;
import static io.mcprelay.application.fixtures.UpstreamReplies.eventStream;
import static io.mcprelay.application.fixtures.UpstreamReplies.failed;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.fixtures.BlockingEventSource;
import io.mcprelay.application.fixtures.RecordingDownstream;
import io.mcprelay.application.fixtures.UpstreamReplies;
import io.mcprelay.application.fixtures.RecordingDownstream.Answer;
import io.mcprelay.application.fixtures.RelayHarness;
import io.mcprelay.application.fixtures.ScriptedEventSource;
import io.mcprelay.application.port.in.OpenStreamCommand;
import io.mcprelay.application.fixtures.ScriptedUpstream;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.session.ProtocolVersion;
import io.mcprelay.domain.session.UpstreamSessionId;
import io.mcprelay.domain.stream.SseEvent;
import io.mcprelay.domain.stream.StreamId;
import io.mcprelay.domain.stream.StreamKind;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StreamServiceTest {

    private static final String SESSION = "session-1";
    private static final String OTHER = "session-2";
    /** Blocking pumps need threads of their own: the common pool may have a single worker on 2 cores. */
    private static final java.util.concurrent.ExecutorService THREADS = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    private final RelayHarness relay = RelayHarness.builder()
            .streamSettings(new StreamSettings(Duration.ofMillis(50), Duration.ofMillis(150), 2))
            .build();

    StreamServiceTest() {
        relay.sessions().holding(aSession().withId(SESSION).withUpstreamSessionId("upstream-session-1").build());
        relay.sessions().holding(aSession().withId(OTHER).withUpstreamSessionId("upstream-session-2").build());
    }

    private static OpenStreamCommand get(String session, String lastEventId) {
        return new OpenStreamCommand(Optional.ofNullable(session), Optional.empty(), Optional.ofNullable(lastEventId),
                Map.of("Accept", "text/event-stream", "Last-Event-ID", lastEventId == null ? "" : lastEventId));
    }

    private RecordingDownstream postStream(String session, String requestId, String... data) {
        relay.upstream().thenAnswer(eventStream(ScriptedEventSource.ofData(data)));
        return relay.post(aPost(request(requestId, "tools/call")).inSession(session).withProtocolVersion("2025-06-18").build());
    }

    @Test
    void getWithoutLastEventIdRelaysTheUpstreamStandaloneStreamUnderOurIds() {
        relay.upstream().thenAnswer(eventStream(ScriptedEventSource.ofData("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\"}")));

        RecordingDownstream client = relay.get(get(SESSION, null));

        assertThat(client.answer()).isEqualTo(Answer.EVENT_STREAM);
        assertThat(client.events()).extracting(e -> e.id().orElseThrow()).containsExactly("stream-1:1");
        ScriptedUpstream.Sent sent = relay.upstream().onlyRequest();
        assertThat(sent.kind()).isEqualTo(ScriptedUpstream.Kind.LISTEN);
        assertThat(sent.sessionId()).contains(new UpstreamSessionId("upstream-session-1"));
        assertThat(sent.client().keySet()).as("the client's Last-Event-ID is ours, never the upstream's").noneMatch(h -> h.equalsIgnoreCase("last-event-id"));
        assertThat(sent.cursor()).isEmpty();
        assertThat(relay.eventLog().streams()).singleElement().satisfies(s -> assertThat(s.kind()).isEqualTo(StreamKind.STANDALONE));
    }

    @Test
    void upstreamWithoutAGetStreamGives405() {
        relay.upstream().thenAnswer(UpstreamReplies.noStream());

        assertThat(relay.get(get(SESSION, null)).rejection().reason()).isEqualTo(RejectionReason.STREAM_NOT_OFFERED);
    }

    @Test
    void upstreamThatLostTheSessionOnGetRemovesOursAndGives404() {
        relay.upstream().thenAnswer(failed(404, "application/json", "{}"));

        assertThat(relay.get(get(SESSION, null)).rejection().reason()).isEqualTo(RejectionReason.SESSION_NOT_FOUND);
        assertThat(relay.sessions().find(new io.mcprelay.domain.session.ProxySessionId(SESSION))).isEmpty();
    }

    @Test
    void getNeedsAKnownSession() {
        assertThat(relay.get(get(null, null)).rejection().reason()).isEqualTo(RejectionReason.MISSING_SESSION_ID);
        assertThat(relay.get(get("nope", null)).rejection().reason()).isEqualTo(RejectionReason.SESSION_NOT_FOUND);
        assertThat(relay.upstream().requestCount()).isZero();
    }

    @Test
    void resumeReplaysOnlyThatStreamAfterThePositionWithoutAskingTheUpstream() {
        postStream(SESSION, "1", "{\"a\":1}", "{\"a\":2}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}");
        postStream(SESSION, "2", "{\"b\":1}", "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{}}");
        int upstreamRequests = relay.upstream().requestCount();

        RecordingDownstream resumed = relay.get(get(SESSION, "stream-1:1"));

        assertThat(resumed.answer()).isEqualTo(Answer.EVENT_STREAM);
        assertThat(resumed.events()).extracting(e -> e.id().orElseThrow()).containsExactly("stream-1:2", "stream-1:3");
        assertThat(resumed.eventData()).noneMatch(d -> d.contains("\"b\"") || d.contains("\"id\":2"));
        assertThat(resumed.isClosed()).isTrue();
        assertThat(relay.upstream().requestCount()).as("resumption is served from the log").isEqualTo(upstreamRequests);
        assertThat(relay.metrics().eventsReplayed).hasValue(2);
    }

    @Test
    void resumeFromTheStartReplaysEverything() {
        postStream(SESSION, "1", "{\"a\":1}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}");

        assertThat(relay.get(get(SESSION, "stream-1:0")).events()).extracting(e -> e.id().orElseThrow())
                .containsExactly("stream-1:1", "stream-1:2");
    }

    @Test
    void badLastEventIdsAreRefusedWithTheirOwnReason() {
        postStream(SESSION, "1", "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}");

        assertThat(relay.get(get(SESSION, "garbage")).rejection().reason()).isEqualTo(RejectionReason.LAST_EVENT_ID_MALFORMED);
        assertThat(relay.get(get(SESSION, "stream-9:1")).rejection().reason()).isEqualTo(RejectionReason.LAST_EVENT_ID_UNKNOWN);
        assertThat(relay.get(get(SESSION, "stream-1:7")).rejection().reason()).isEqualTo(RejectionReason.LAST_EVENT_ID_UNKNOWN);
        assertThat(relay.get(get(OTHER, "stream-1:1")).rejection().reason()).isEqualTo(RejectionReason.LAST_EVENT_ID_FOREIGN);
    }

    @Test
    void anUnknownStreamSaysWhatItMayBe() {
        postStream(SESSION, "1", "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}");

        assertThat(relay.get(get(SESSION, "stream-9:1")).rejection().detail())
                .isEqualTo("Bad Request: Last-Event-ID stream-9:1 names no stream or position of this session (never issued, or its log expired)");
    }

    @Test
    void withReplayLogsKeptByEachInstanceAnUnknownStreamMayBeAnotherInstancesAndTheRefusalSaysSo() {
        RelayHarness localLogs = RelayHarness.builder()
                .settings(new RelaySettings(io.mcprelay.domain.access.HeaderPolicy.defaults(), 32,
                        io.mcprelay.domain.session.SessionShare.defaults(), io.mcprelay.domain.session.ClientQuota.defaults(), true))
                .build();
        localLogs.sessions().holding(aSession().withId(SESSION).withUpstreamSessionId("upstream-session-1").build());

        RecordingDownstream refused = localLogs.get(get(SESSION, "stream-9:4"));

        assertThat(refused.rejection().reason()).isEqualTo(RejectionReason.LAST_EVENT_ID_UNKNOWN);
        assertThat(refused.rejection().detail()).startsWith("Bad Request: Last-Event-ID stream-9:4 names no stream or position of this session on this instance")
                .contains("another instance relayed the stream: each instance keeps its own replay logs")
                .endsWith("open a new stream without Last-Event-ID");
        assertThat(localLogs.upstream().requestCount()).as("nothing goes upstream").isZero();
    }

    @Test
    void clientsOf2025_11_25GetAPrimingEventWithACursorFirst() {
        relay.sessions().holding(aSession().withId("session-new").withProtocolVersion(ProtocolVersion.V2025_11_25).build());
        relay.upstream().thenAnswer(eventStream(ScriptedEventSource.ofData("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}")));

        RecordingDownstream client = relay.post(aPost(request("1", "tools/list")).inSession("session-new").build());

        assertThat(client.events().getFirst()).isEqualTo(new SseEvent(Optional.of("stream-1:0"), Optional.empty(), "",
                Optional.of(StreamRelay.PRIMING_RETRY_MILLIS)));
        assertThat(client.events().get(1).id()).contains("stream-1:1");
    }

    @Test
    void theStandaloneStreamOfA2025_11_25SessionIsPrimedTooAndResumesFromThePrimingId() {
        relay.sessions().holding(aSession().withId("session-new").withUpstreamSessionId("upstream-new")
                .withProtocolVersion(ProtocolVersion.V2025_11_25).build());
        relay.upstream().thenAnswer(eventStream(ScriptedEventSource.of(
                ScriptedEventSource.priming("up-0"),
                ScriptedEventSource.event("up-1", "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\"}"))));

        RecordingDownstream client = relay.get(get("session-new", null));

        assertThat(client.events()).extracting(e -> e.id().orElseThrow())
                .as("our priming event only, not the upstream's; then the upstream's event under our id")
                .containsExactly("stream-1:0", "stream-1:1");
        assertThat(client.events().getFirst().data()).isEmpty();
        assertThat(client.events().getFirst().retryMillis()).contains(StreamRelay.PRIMING_RETRY_MILLIS);
        assertThat(relay.eventLog().events(new StreamId("stream-1"))).as("the priming event is not logged").hasSize(1);

        RecordingDownstream resumed = relay.get(get("session-new", "stream-1:0"));
        assertThat(resumed.events()).as("exactly what came after the priming event, and no second priming event")
                .extracting(e -> e.id().orElseThrow()).containsExactly("stream-1:1");
    }

    @Test
    void olderSessionsGetNoPrimingEventOnTheirStandaloneStream() {
        relay.upstream().thenAnswer(eventStream(ScriptedEventSource.ofData("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\"}")));

        assertThat(relay.get(get(SESSION, null)).events()).extracting(e -> e.id().orElseThrow()).containsExactly("stream-1:1");
    }

    @Test
    void reportsStreamMetrics() {
        postStream(SESSION, "1", "{\"a\":1}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}");

        assertThat(relay.metrics().streamsOpened).hasValue(1);
        assertThat(relay.metrics().streamsClosed).hasValue(1);
        assertThat(relay.metrics().eventsRelayed).hasValue(2);
        assertThat(relay.metrics().firstEvents).hasValue(1);
    }

    @Test
    void idleStreamsGetHeartbeats() throws Exception {
        BlockingEventSource source = new BlockingEventSource();
        relay.upstream().thenAnswer(io.mcprelay.application.fixtures.UpstreamReplies.eventStream(source));
        RecordingDownstream client = new RecordingDownstream();

        CompletableFuture<Void> pumping = CompletableFuture.runAsync(() ->
                relay.post(aPost(request("1", "tools/call")).inSession(SESSION).build(), client), THREADS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (client.comments().size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        source.push("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}").end();
        pumping.get(10, TimeUnit.SECONDS);

        assertThat(client.comments()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(client.eventData()).containsExactly("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}");
    }

    @Test
    void aQuietLiveStreamKeepsItsLogAliveEveryRenewalIntervalNotAtEveryHeartbeat() throws Exception {
        // lease 300 ms: the store is looked at every 1.5 s (a third of 15 leases); heartbeats every 50 ms
        RelayHarness quick = RelayHarness.builder()
                .streamSettings(new StreamSettings(Duration.ofMillis(50), Duration.ofMillis(150), 2, Duration.ofMillis(300)))
                .build();
        quick.sessions().holding(aSession().withId(SESSION).withUpstreamSessionId("upstream-session-1").build());
        BlockingEventSource source = new BlockingEventSource();
        quick.upstream().thenAnswer(io.mcprelay.application.fixtures.UpstreamReplies.eventStream(source));
        RecordingDownstream client = new RecordingDownstream();

        CompletableFuture<Void> pumping = CompletableFuture.runAsync(() ->
                quick.post(aPost(request("1", "tools/call")).inSession(SESSION).build(), client), THREADS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (quick.eventLog().keepAlives() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        int keepAlives = quick.eventLog().keepAlives();
        int heartbeats = client.comments().size();
        source.push("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}").end();
        pumping.get(10, TimeUnit.SECONDS);

        assertThat(keepAlives).as("a quiet live stream keeps its log alive").isGreaterThanOrEqualTo(2);
        assertThat(heartbeats).as("not one keep-alive per heartbeat: about 30 heartbeats per keep-alive")
                .isGreaterThan(5 * keepAlives);
    }

    @Test
    void upstreamIsReleasedAfterTheGraceWhenTheClientIsGoneAndTheLogGetsAnError() throws Exception {
        BlockingEventSource source = new BlockingEventSource();
        relay.upstream().thenAnswer(io.mcprelay.application.fixtures.UpstreamReplies.eventStream(source));

        CompletableFuture<Void> pumping = CompletableFuture.runAsync(() ->
                relay.post(aPost(request("1", "tools/call")).inSession(SESSION).build(), RecordingDownstream.goneAfter(0)), THREADS);

        assertThat(source.awaitClosed(10_000)).as("upstream released after the grace time").isTrue();
        pumping.get(10, TimeUnit.SECONDS);
        StreamId stream = new StreamId("stream-1");
        assertThat(relay.eventLog().state(stream).orElseThrow().complete()).isTrue();
        assertThat(relay.eventLog().events(stream)).singleElement()
                .satisfies(e -> assertThat(e.data()).contains("\"id\":1,\"error\""));
    }

    @Test
    void aResumedClientTakesTheStreamOverAndTheUpstreamIsKeptWhileItFollows() throws Exception {
        BlockingEventSource source = new BlockingEventSource();
        relay.upstream().thenAnswer(io.mcprelay.application.fixtures.UpstreamReplies.eventStream(source));
        RecordingDownstream original = new RecordingDownstream();
        source.push("{\"n\":1}");
        CompletableFuture<Void> pumping = CompletableFuture.runAsync(() ->
                relay.post(aPost(request("1", "tools/call")).inSession(SESSION).build(), original), THREADS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (original.events().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }

        RecordingDownstream resumed = new RecordingDownstream();
        CompletableFuture<Void> following = CompletableFuture.runAsync(() -> relay.get(get(SESSION, "stream-1:1"), resumed), THREADS);
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!original.isClosed() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(400); // well past the 150 ms grace: a follower keeps the upstream
        assertThat(source.isClosed()).isFalse();
        source.push("{\"n\":2}").push("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}").end();
        pumping.get(10, TimeUnit.SECONDS);
        following.get(10, TimeUnit.SECONDS);

        assertThat(original.isClosed()).isTrue();
        assertThat(original.eventData()).containsExactly("{\"n\":1}");
        assertThat(resumed.eventData()).containsExactly("{\"n\":2}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}");
    }

    @Test
    void aSecondResumeOfTheSameStreamEndsTheFirstSoNoEventGoesToTwoConnections() throws Exception {
        BlockingEventSource source = new BlockingEventSource();
        relay.upstream().thenAnswer(io.mcprelay.application.fixtures.UpstreamReplies.eventStream(source));
        RecordingDownstream original = new RecordingDownstream();
        source.push("{\"n\":1}");
        CompletableFuture<Void> pumping = CompletableFuture.runAsync(() ->
                relay.post(aPost(request("1", "tools/call")).inSession(SESSION).build(), original), THREADS);
        awaitUntil(() -> !original.events().isEmpty());

        RecordingDownstream first = new RecordingDownstream();
        CompletableFuture<Void> firstFollowing = CompletableFuture.runAsync(() -> relay.get(get(SESSION, "stream-1:1"), first), THREADS);
        awaitUntil(original::isClosed);
        RecordingDownstream second = new RecordingDownstream();
        CompletableFuture<Void> secondFollowing = CompletableFuture.runAsync(() -> relay.get(get(SESSION, "stream-1:1"), second), THREADS);
        awaitUntil(first::isClosed);
        source.push("{\"n\":2}").push("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}").end();
        pumping.get(10, TimeUnit.SECONDS);
        firstFollowing.get(10, TimeUnit.SECONDS);
        secondFollowing.get(10, TimeUnit.SECONDS);

        assertThat(first.eventData()).doesNotContain("{\"n\":2}");
        assertThat(second.eventData()).containsExactly("{\"n\":2}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}");
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(5);
        }
    }
}
