package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.Messages.progress;
import static io.mcprelay.application.fixtures.Messages.result;
import static io.mcprelay.application.fixtures.ScriptedEventSource.event;
import static io.mcprelay.application.fixtures.SessionTestData.aSession;
import static io.mcprelay.application.fixtures.UpstreamReplies.eventStream;
import static io.mcprelay.application.fixtures.UpstreamReplies.failed;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.fixtures.InMemoryEventLog;
import io.mcprelay.application.port.out.StreamLeasePort;
import io.mcprelay.application.fixtures.RecordingDownstream;
import io.mcprelay.application.fixtures.RelayHarness;
import io.mcprelay.application.fixtures.ScriptedEventSource;
import io.mcprelay.application.port.in.OpenStreamCommand;
import io.mcprelay.application.port.out.EventLogPort;
import io.mcprelay.application.fixtures.ScriptedUpstream;
import io.mcprelay.domain.jsonrpc.JsonRpcError;
import io.mcprelay.domain.jsonrpc.JsonRpcErrorCodes;
import io.mcprelay.domain.jsonrpc.RequestId;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.stream.StreamId;
import io.mcprelay.domain.stream.StreamInfo;
import io.mcprelay.domain.stream.StreamKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A client resumes a stream whose reading instance died (its lease is gone, nobody pumps it here):
 * this instance claims the stream, re-attaches to the upstream from the last upstream event id in
 * the shared log and carries on into the same log and to this client; or, when the upstream cannot
 * resume, answers the stream's unanswered requests with an error and ends it.
 */
class StreamTakeoverTest {

    private static final String SESSION = "session-1";
    private static final StreamId ORPHAN = new StreamId("orphan-1");
    private static final ExecutorService THREADS = Executors.newVirtualThreadPerTaskExecutor();

    private final RelayHarness relay = RelayHarness.builder()
            .streamSettings(new StreamSettings(Duration.ofMillis(50), Duration.ofSeconds(1), 2, Duration.ofMillis(300)))
            .build();

    StreamTakeoverTest() {
        relay.sessions().holding(aSession().withId(SESSION).withUpstreamSessionId("upstream-session-1").build());
    }

    /** A POST stream that a dead instance was relaying: two requests, one answered, the other still open. */
    private void orphanedStream(Optional<String> upstreamIdOfLastEvent) {
        streamOf("dead-instance", upstreamIdOfLastEvent);
        relay.eventLog().kill("dead-instance");
    }

    /** The same stream, relayed by {@code owner}. */
    private StreamLeasePort.Lease streamOf(String owner, Optional<String> upstreamIdOfLastEvent) {
        InMemoryEventLog log = relay.eventLog();
        log.open(new StreamInfo(ORPHAN, new ProxySessionId(SESSION), StreamKind.POST_RESPONSE, relay.clock().now(),
                List.of(new RequestId.NumericId("7"), new RequestId.NumericId("8"))));
        StreamLeasePort.Lease lease = log.claim(ORPHAN, owner).orElseThrow();
        log.append(ORPHAN, lease, new EventLogPort.Entry(Optional.empty(), result("8"), Optional.of("up-1")));
        log.append(ORPHAN, lease, new EventLogPort.Entry(Optional.empty(), progress("\"p\"", 1), upstreamIdOfLastEvent));
        return lease;
    }

    @Test
    void reattachesToTheUpstreamFromTheLastUpstreamEventIdAndCarriesOnIntoTheSameLog() throws Exception {
        orphanedStream(Optional.of("up-2"));
        relay.upstream().thenAnswer(eventStream(ScriptedEventSource.of(event("up-3", progress("\"p\"", 2)), event("up-4", result("7")))));

        RecordingDownstream client = resume("orphan-1:2");

        assertThat(client.eventData()).containsExactly(progress("\"p\"", 2), result("7"));
        assertThat(client.events()).extracting(e -> e.id().orElseThrow()).containsExactly("orphan-1:3", "orphan-1:4");
        ScriptedUpstream.Sent get = relay.upstream().onlyRequest();
        assertThat(get.kind()).isEqualTo(ScriptedUpstream.Kind.RESUME);
        assertThat(get.cursor()).hasValue("up-2");
        assertThat(get.protocolVersion()).hasValue(new io.mcprelay.domain.session.ProtocolVersion("2025-06-18"));
        assertThat(relay.eventLog().lease(ORPHAN)).hasValue(new StreamLeasePort.Lease("test-instance", 2));
        assertThat(relay.eventLog().state(ORPHAN).orElseThrow().complete()).isTrue();
        assertThat(relay.eventLog().events(ORPHAN)).hasSize(4);
    }

    /** The same orphaned stream, written as a pump writes it: each event says which requests it answers. */
    private void orphanedStreamWithAnswers() {
        InMemoryEventLog log = relay.eventLog();
        log.keepAnswers();
        log.open(new StreamInfo(ORPHAN, new ProxySessionId(SESSION), StreamKind.POST_RESPONSE, relay.clock().now(),
                List.of(new RequestId.NumericId("7"), new RequestId.NumericId("8"))));
        StreamLeasePort.Lease lease = log.claim(ORPHAN, "dead-instance").orElseThrow();
        log.append(ORPHAN, lease, new EventLogPort.Entry(Optional.empty(), result("8"), Optional.of("up-1"), List.of(new RequestId.NumericId("8"))));
        log.append(ORPHAN, lease, new EventLogPort.Entry(Optional.empty(), progress("\"p\"", 1), Optional.of("up-2")));
        log.kill("dead-instance");
    }

    @Test
    void withTheAnswersKeptBesideTheLogTheTakeOverReadsOnlyWhatFollowsAndLogsTheNewAnswers() throws Exception {
        orphanedStreamWithAnswers();
        relay.upstream().thenAnswer(eventStream(ScriptedEventSource.of(event("up-3", progress("\"p\"", 2)), event("up-4", result("7")))));

        RecordingDownstream client = resume("orphan-1:1");

        assertThat(relay.eventLog().takeOversAfter()).as("read after the follower's position").containsExactly(2L);
        assertThat(client.events()).as("the event after the resumed one, then the upstream's")
                .extracting(e -> e.id().orElseThrow()).containsExactly("orphan-1:2", "orphan-1:3", "orphan-1:4");
        assertThat(relay.eventLog().answered(ORPHAN)).as("the pump says what its events answer")
                .containsExactlyInAnyOrder(new RequestId.NumericId("7"), new RequestId.NumericId("8"));
        assertThat(relay.eventLog().state(ORPHAN).orElseThrow().complete()).isTrue();
    }

    /**
     * The dead instance logged the last answer but died before it completed the log: the stream is over,
     * so the take-over sends what the follower missed and ends it, without a re-attachment whose upstream
     * (which has nothing more to send) would keep the client waiting for good.
     */
    @Test
    void aStreamWhoseEveryRequestIsAnsweredInTheLogEndsAtTheTakeOverWithoutAskingTheUpstream() throws Exception {
        orphanedStreamWithAnswers();
        InMemoryEventLog log = relay.eventLog();
        log.revive("dead-instance");
        StreamLeasePort.Lease lease = log.lease(ORPHAN).orElseThrow();
        log.append(ORPHAN, lease, new EventLogPort.Entry(Optional.empty(), result("7"), Optional.of("up-3"), List.of(new RequestId.NumericId("7"))));
        log.kill("dead-instance");
        relay.upstream().thenAnswer(eventStream(ScriptedEventSource.of()));

        RecordingDownstream client = resume("orphan-1:2");

        assertThat(client.eventData()).containsExactly(result("7"));
        assertThat(client.isClosed()).isTrue();
        assertThat(relay.upstream().requestCount()).as("nothing is left to ask the upstream").isZero();
        assertThat(log.state(ORPHAN).orElseThrow().complete()).isTrue();
    }

    /** The same with a log that keeps no answers (an older mcp-relay wrote it): they are read from its events. */
    @Test
    void aStreamAnsweredInALogWithoutKeptAnswersEndsAtTheTakeOverToo() throws Exception {
        StreamLeasePort.Lease lease = streamOf("dead-instance", Optional.of("up-2"));
        relay.eventLog().append(ORPHAN, lease, new EventLogPort.Entry(Optional.empty(), result("7"), Optional.of("up-3")));
        relay.eventLog().kill("dead-instance");
        relay.upstream().thenAnswer(eventStream(ScriptedEventSource.of()));

        RecordingDownstream client = resume("orphan-1:2");

        assertThat(client.eventData()).containsExactly(result("7"));
        assertThat(client.isClosed()).isTrue();
        assertThat(relay.eventLog().state(ORPHAN).orElseThrow().complete()).isTrue();
    }

    @Test
    void withTheAnswersKeptBesideTheLogOnlyTheOpenRequestGetsAnErrorWhenTheUpstreamCannotResume() throws Exception {
        orphanedStreamWithAnswers();
        relay.upstream().thenAnswer(failed(405, "text/plain", "no resumption"));

        RecordingDownstream client = resume("orphan-1:2");

        assertThat(client.eventData()).as("8 was answered before the position the take-over read from")
                .containsExactly(new JsonRpcError(Optional.of(new RequestId.NumericId("7")), JsonRpcErrorCodes.INTERNAL_ERROR,
                "Upstream error: the mcp-relay instance relaying this stream stopped and the upstream cannot resume it").toJson());
        assertThat(relay.eventLog().answered(ORPHAN)).as("the error answers 7").contains(new RequestId.NumericId("7"));
    }

    @Test
    void aLongLogIsReadInBatchesAtTheTakeOverAndTheClientMissesNothing() throws Exception {
        InMemoryEventLog log = relay.eventLog();
        log.open(new StreamInfo(ORPHAN, new ProxySessionId(SESSION), StreamKind.POST_RESPONSE, relay.clock().now(),
                List.of(new RequestId.NumericId("7"), new RequestId.NumericId("8"))));
        StreamLeasePort.Lease lease = log.claim(ORPHAN, "dead-instance").orElseThrow();
        log.append(ORPHAN, lease, new EventLogPort.Entry(Optional.empty(), result("8"), Optional.of("up-1")));
        for (int i = 2; i <= 7; i++) {
            log.append(ORPHAN, lease, new EventLogPort.Entry(Optional.empty(), progress("\"p\"", i), Optional.of("up-" + i)));
        }
        log.kill("dead-instance");
        relay.upstream().thenAnswer(eventStream(ScriptedEventSource.of(event("up-8", result("7")))));

        RecordingDownstream client = resume("orphan-1:1");

        assertThat(client.events()).as("six logged events, read two at a time, then the upstream's answer")
                .extracting(e -> e.id().orElseThrow())
                .containsExactly("orphan-1:2", "orphan-1:3", "orphan-1:4", "orphan-1:5", "orphan-1:6", "orphan-1:7", "orphan-1:8");
        assertThat(relay.upstream().onlyRequest().cursor()).hasValue("up-7");
        assertThat(relay.eventLog().state(ORPHAN).orElseThrow().complete()).isTrue();
    }

    @Test
    void endsTheStreamWithAnErrorForItsOpenRequestWhenTheUpstreamCannotResume() throws Exception {
        orphanedStream(Optional.of("up-2"));
        relay.upstream().thenAnswer(failed(405, "text/plain", "no resumption"));

        RecordingDownstream client = resume("orphan-1:2");

        assertThat(client.eventData()).containsExactly(new JsonRpcError(Optional.of(new RequestId.NumericId("7")), JsonRpcErrorCodes.INTERNAL_ERROR,
                "Upstream error: the mcp-relay instance relaying this stream stopped and the upstream cannot resume it").toJson());
        assertThat(client.isClosed()).isTrue();
        assertThat(relay.eventLog().state(ORPHAN).orElseThrow().complete()).isTrue();
    }

    @Test
    void doesNotAskTheUpstreamWhenTheLogHoldsNoUpstreamEventId() throws Exception {
        InMemoryEventLog log = relay.eventLog();
        log.open(new StreamInfo(ORPHAN, new ProxySessionId(SESSION), StreamKind.POST_RESPONSE, relay.clock().now(),
                List.of(new RequestId.NumericId("7"))));
        log.append(ORPHAN, new EventLogPort.Entry(Optional.empty(), progress("\"p\"", 1), Optional.empty()));

        RecordingDownstream client = resume("orphan-1:1");

        assertThat(client.eventData()).singleElement().satisfies(data -> assertThat(data).contains("\"id\":7,\"error\""));
        assertThat(relay.upstream().requestCount()).isZero();
    }

    @Test
    void aStreamStillOwnedByALiveInstanceIsFollowedNotTakenOver() throws Exception {
        streamOf("live-instance", Optional.of("up-2"));
        RecordingDownstream client = new RecordingDownstream();

        CompletableFuture<Void> following = CompletableFuture.runAsync(() -> relay.get(command("orphan-1:1"), client), THREADS);
        awaitUntil(() -> client.comments().size() >= 2);
        relay.eventLog().append(ORPHAN, new EventLogPort.Entry(Optional.empty(), result("7"), Optional.of("up-3")));
        relay.eventLog().complete(ORPHAN);
        following.get(10, TimeUnit.SECONDS);

        assertThat(client.eventData()).containsExactly(progress("\"p\"", 1), result("7"));
        assertThat(relay.upstream().requestCount()).isZero();
        assertThat(relay.eventLog().lease(ORPHAN)).map(StreamLeasePort.Lease::owner).hasValue("live-instance");
    }

    @Test
    void aFollowerEndsWhenTheLogGoesAway() throws Exception {
        streamOf("live-instance", Optional.of("up-2"));
        RecordingDownstream client = new RecordingDownstream();

        CompletableFuture<Void> following = CompletableFuture.runAsync(() -> relay.get(command("orphan-1:2"), client), THREADS);
        awaitUntil(() -> !client.comments().isEmpty());
        relay.eventLog().deleteSession(new ProxySessionId(SESSION));
        following.get(10, TimeUnit.SECONDS);

        assertThat(client.isClosed()).isTrue();
        assertThat(client.eventData()).isEmpty();
    }

    @Test
    void aFollowerWhoseClientLeftStopsAtTheNextHeartbeat() throws Exception {
        streamOf("live-instance", Optional.of("up-2"));
        RecordingDownstream client = RecordingDownstream.goneAfter(0);

        relay.get(command("orphan-1:2"), client);

        assertThat(client.isClosed()).isTrue();
        assertThat(relay.eventLog().isFollowed(ORPHAN)).as("unfollowed when it ends").isFalse();
    }

    private RecordingDownstream resume(String lastEventId) throws Exception {
        RecordingDownstream client = new RecordingDownstream();
        CompletableFuture.runAsync(() -> relay.get(command(lastEventId), client), THREADS).get(10, TimeUnit.SECONDS);
        return client;
    }

    private static OpenStreamCommand command(String lastEventId) {
        return new OpenStreamCommand(Optional.of(SESSION), Optional.empty(), Optional.of(lastEventId),
                Map.of("Accept", "text/event-stream", "Last-Event-ID", lastEventId));
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
