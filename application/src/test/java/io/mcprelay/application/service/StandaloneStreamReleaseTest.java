package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.Messages.request;
import static io.mcprelay.application.fixtures.RelayCommands.aPost;
import static io.mcprelay.application.fixtures.ScriptedEventSource.event;
import static io.mcprelay.application.fixtures.SessionTestData.aSession;
import static io.mcprelay.application.fixtures.UpstreamReplies.eventStream;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.fixtures.BlockingEventSource;
import io.mcprelay.application.fixtures.RecordingDownstream;
import io.mcprelay.application.fixtures.RelayHarness;
import io.mcprelay.application.fixtures.ScriptedEventSource;
import io.mcprelay.application.port.in.OpenStreamCommand;
import io.mcprelay.application.fixtures.ScriptedUpstream;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.domain.stream.SseEvent;
import io.mcprelay.domain.stream.StreamId;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The standalone GET stream owes its client nothing, so when its client leaves its upstream
 * connection is released at once (at the next write that finds the client gone), not after the
 * disconnect grace; its log stays open, so a client that resumes it re-attaches the upstream where it
 * stopped. A POST stream, which owes an answer, still keeps its upstream for the grace.
 */
class StandaloneStreamReleaseTest {

    private static final String SESSION = "session-1";
    private static final String NOTIFICATION = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\"}";
    private static final ExecutorService THREADS = Executors.newVirtualThreadPerTaskExecutor();
    /** Far longer than any test waits: whatever is released was released without it. */
    private static final Duration GRACE = Duration.ofMinutes(5);

    private final RelayHarness relay = RelayHarness.builder()
            .streamSettings(new StreamSettings(Duration.ofMillis(50), GRACE, 2, Duration.ofMillis(300)))
            .build();

    StandaloneStreamReleaseTest() {
        relay.sessions().holding(aSession().withId(SESSION).withUpstreamSessionId("upstream-session-1").build());
    }

    @Test
    void aStandaloneStreamWhoseClientLeftReleasesItsUpstreamAtOnceAndAResumeReattachesIt() throws Exception {
        BlockingEventSource upstream = new BlockingEventSource().push(new SseEvent(Optional.of("up-1"), Optional.empty(), NOTIFICATION, Optional.empty()));
        relay.upstream().thenAnswer(io.mcprelay.application.fixtures.UpstreamReplies.eventStream(upstream));
        RecordingDownstream client = RecordingDownstream.goneAfter(1);

        CompletableFuture<Void> pumping = CompletableFuture.runAsync(() -> relay.get(get(Optional.empty()), client), THREADS);

        assertThat(upstream.awaitClosed(10_000)).as("upstream released long before the grace").isTrue();
        pumping.get(10, TimeUnit.SECONDS);
        assertThat(client.events()).extracting(e -> e.id().orElseThrow()).containsExactly("stream-1:1");
        StreamId stream = new StreamId("stream-1");
        assertThat(relay.eventLog().state(stream).orElseThrow().complete()).as("handed over, not over").isFalse();

        relay.upstream().thenAnswer(eventStream(ScriptedEventSource.of(event("up-2", NOTIFICATION))));
        RecordingDownstream resumed = new RecordingDownstream();
        CompletableFuture.runAsync(() -> relay.get(get(Optional.of("stream-1:1")), resumed), THREADS).get(10, TimeUnit.SECONDS);

        assertThat(resumed.events()).extracting(e -> e.id().orElseThrow()).containsExactly("stream-1:2");
        ScriptedUpstream.Sent reattach = relay.upstream().requests().getLast();
        assertThat(reattach.kind()).isEqualTo(ScriptedUpstream.Kind.RESUME);
        assertThat(reattach.cursor()).hasValue("up-1");
        assertThat(reattach.budget()).as("a standalone stream's budget").isEqualTo(io.mcprelay.application.port.out.upstream.UpstreamPort.Budget.STREAM);
    }

    @Test
    void aStandaloneStreamWithoutUpstreamIdsIsCompletedWhenReleased() throws Exception {
        BlockingEventSource upstream = new BlockingEventSource().push(NOTIFICATION);
        relay.upstream().thenAnswer(io.mcprelay.application.fixtures.UpstreamReplies.eventStream(upstream));

        CompletableFuture.runAsync(() -> relay.get(get(Optional.empty()), RecordingDownstream.goneAfter(1)), THREADS).get(10, TimeUnit.SECONDS);

        assertThat(upstream.isClosed()).isTrue();
        assertThat(relay.eventLog().state(new StreamId("stream-1")).orElseThrow().complete())
                .as("nothing to re-attach from: a resume replays it and ends").isTrue();
    }

    @Test
    void aStandaloneStreamFollowedByAResumedClientKeepsItsUpstream() throws Exception {
        BlockingEventSource upstream = new BlockingEventSource().push(new SseEvent(Optional.of("up-1"), Optional.empty(), NOTIFICATION, Optional.empty()));
        relay.upstream().thenAnswer(io.mcprelay.application.fixtures.UpstreamReplies.eventStream(upstream));
        RecordingDownstream first = new RecordingDownstream();
        CompletableFuture<Void> pumping = CompletableFuture.runAsync(() -> relay.get(get(Optional.empty()), first), THREADS);
        awaitUntil(() -> first.events().size() == 1);

        RecordingDownstream resumed = new RecordingDownstream();
        CompletableFuture<Void> following = CompletableFuture.runAsync(() -> relay.get(get(Optional.of("stream-1:0")), resumed), THREADS);
        awaitUntil(() -> resumed.events().size() == 1 && resumed.comments().size() >= 3);

        assertThat(upstream.isClosed()).as("the resumed client attends the stream").isFalse();
        upstream.push(new SseEvent(Optional.of("up-2"), Optional.empty(), NOTIFICATION, Optional.empty()));
        awaitUntil(() -> resumed.events().size() == 2);
        upstream.end();
        pumping.get(10, TimeUnit.SECONDS);
        following.get(10, TimeUnit.SECONDS);
        assertThat(resumed.events()).extracting(e -> e.id().orElseThrow()).containsExactly("stream-1:1", "stream-1:2");
    }

    @Test
    void aPostStreamWhoseClientLeftKeepsItsUpstreamForTheGrace() throws Exception {
        BlockingEventSource upstream = new BlockingEventSource();
        relay.upstream().thenAnswer(io.mcprelay.application.fixtures.UpstreamReplies.eventStream(upstream));
        RecordingDownstream client = RecordingDownstream.goneAfter(0);

        CompletableFuture<Void> pumping = CompletableFuture.runAsync(() ->
                relay.post(aPost(request("1", "tools/call")).inSession(SESSION).build(), client), THREADS);
        awaitUntil(client::isGone);
        Thread.sleep(300);

        assertThat(upstream.isClosed()).as("the answer is still owed").isFalse();
        upstream.push("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}");
        pumping.get(10, TimeUnit.SECONDS);
        assertThat(relay.eventLog().events(new StreamId("stream-1"))).hasSize(1);
    }

    private static OpenStreamCommand get(Optional<String> lastEventId) {
        return new OpenStreamCommand(Optional.of(SESSION), Optional.empty(), lastEventId,
                lastEventId.map(id -> Map.of("Accept", "text/event-stream", "Last-Event-ID", id)).orElse(Map.of("Accept", "text/event-stream")));
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
