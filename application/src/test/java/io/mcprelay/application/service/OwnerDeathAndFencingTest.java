package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.Messages.progress;
import static io.mcprelay.application.fixtures.Messages.request;
import static io.mcprelay.application.fixtures.Messages.result;
import static io.mcprelay.application.fixtures.RelayCommands.aPost;
import static io.mcprelay.application.fixtures.ScriptedEventSource.event;
import static io.mcprelay.application.fixtures.SessionTestData.aSession;
import static io.mcprelay.application.fixtures.UpstreamReplies.eventStream;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.fixtures.InMemoryEventLog;
import io.mcprelay.application.port.out.StreamLeasePort;
import io.mcprelay.application.fixtures.BlockingEventSource;
import io.mcprelay.application.fixtures.RecordingDownstream;
import io.mcprelay.application.fixtures.RelayHarness;
import io.mcprelay.application.fixtures.ScriptedEventSource;
import io.mcprelay.application.port.in.OpenStreamCommand;
import io.mcprelay.application.port.out.EventLogPort;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.domain.jsonrpc.RequestId;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.stream.LoggedEvent;
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
 * The two sides of a take-over: a follower learns of its stream's owner's death from the owner's
 * liveness, promptly and not at the end of its wait; and an instance whose stream was taken over
 * (it was paused past its lease, say) writes nothing more to it and lets its client go.
 */
class OwnerDeathAndFencingTest {

    private static final String SESSION = "session-1";
    private static final StreamId STREAM = new StreamId("orphan-1");
    private static final ExecutorService THREADS = Executors.newVirtualThreadPerTaskExecutor();

    @Test
    void aFollowerTakesTheStreamOverWithinAPollOfItsOwnersDeathNotAtTheEndOfItsWait() throws Exception {
        // default lease (2 s): a follower's wait lasts 10 s (the renewal interval), the heartbeat 30 s
        RelayHarness relay = harness(new StreamSettings(Duration.ofSeconds(30), Duration.ofSeconds(1), 2, StreamSettings.DEFAULT_LEASE));
        InMemoryEventLog log = relay.eventLog();
        log.open(new StreamInfo(STREAM, new ProxySessionId(SESSION), StreamKind.POST_RESPONSE, relay.clock().now(),
                List.of(new RequestId.NumericId("7"))));
        StreamLeasePort.Lease theirs = log.claim(STREAM, "other-instance").orElseThrow();
        log.append(STREAM, theirs, new EventLogPort.Entry(Optional.empty(), progress("\"p\"", 1), Optional.of("up-1")));
        relay.upstream().thenAnswer(eventStream(ScriptedEventSource.of(event("up-2", progress("\"p\"", 2)), event("up-3", result("7")))));
        RecordingDownstream client = new RecordingDownstream();

        CompletableFuture<Void> following = CompletableFuture.runAsync(() -> relay.get(resume("orphan-1:1"), client), THREADS);
        awaitUntil(() -> log.isFollowed(STREAM));
        Thread.sleep(300);
        assertThat(following).as("still following the live owner").isNotDone();
        long killedAt = System.nanoTime();
        relay.eventLog().kill("other-instance");
        following.get(10, TimeUnit.SECONDS);

        assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).as("woken by the owner watch, not by its 10 s wait")
                .isLessThan(Duration.ofSeconds(5));
        assertThat(client.eventData()).containsExactly(progress("\"p\"", 2), result("7"));
        assertThat(log.lease(STREAM)).hasValue(new StreamLeasePort.Lease("test-instance", 2));
        assertThat(relay.upstream().onlyRequest().cursor()).as("resumed after the upstream's own cursor").hasValue("up-1");
    }

    @Test
    void aFollowerWokenByItsOwnersDeathTakesOverWithoutReadingTheLeaseOrCheckingItsHoldAgain() throws Exception {
        RelayHarness relay = harness(new StreamSettings(Duration.ofSeconds(30), Duration.ofSeconds(1), 2, StreamSettings.DEFAULT_LEASE));
        InMemoryEventLog log = relay.eventLog();
        log.open(new StreamInfo(STREAM, new ProxySessionId(SESSION), StreamKind.POST_RESPONSE, relay.clock().now(),
                List.of(new RequestId.NumericId("7"))));
        StreamLeasePort.Lease theirs = log.claim(STREAM, "other-instance").orElseThrow();
        log.append(STREAM, theirs, new EventLogPort.Entry(Optional.empty(), progress("\"p\"", 1), Optional.of("up-1")));
        relay.upstream().thenAnswer(eventStream(ScriptedEventSource.of(event("up-2", result("7")))));
        RecordingDownstream client = new RecordingDownstream();

        CompletableFuture<Void> following = CompletableFuture.runAsync(() -> relay.get(resume("orphan-1:1"), client), THREADS);
        awaitUntil(() -> log.isFollowed(STREAM) && log.leaseReads() >= 1);
        // past the follower's hold-check interval, so that only the owner's death decides what it does next
        Thread.sleep(700);
        int leaseReads = log.leaseReads();
        int holdChecks = log.holdChecks();
        relay.eventLog().kill("other-instance");
        following.get(10, TimeUnit.SECONDS);
        int leaseReadsAfter = log.leaseReads();
        int holdChecksAfter = log.holdChecks();

        assertThat(client.eventData()).containsExactly(result("7"));
        assertThat(log.lease(STREAM)).hasValue(new StreamLeasePort.Lease("test-instance", 2));
        assertThat(leaseReadsAfter - leaseReads).as("the lease read when it began following is the one moved").isZero();
        assertThat(holdChecksAfter - holdChecks).as("the take-over checks the hold itself").isZero();
    }

    @Test
    void aFollowerWhoseHoldAnotherConnectionTookLeavesTheTakeOverToThatOne() throws Exception {
        RelayHarness relay = harness(new StreamSettings(Duration.ofSeconds(30), Duration.ofSeconds(1), 2, StreamSettings.DEFAULT_LEASE));
        InMemoryEventLog log = relay.eventLog();
        log.open(new StreamInfo(STREAM, new ProxySessionId(SESSION), StreamKind.POST_RESPONSE, relay.clock().now(),
                List.of(new RequestId.NumericId("7"))));
        StreamLeasePort.Lease theirs = log.claim(STREAM, "other-instance").orElseThrow();
        log.append(STREAM, theirs, new EventLogPort.Entry(Optional.empty(), progress("\"p\"", 1), Optional.of("up-1")));
        RecordingDownstream client = new RecordingDownstream();

        CompletableFuture<Void> following = CompletableFuture.runAsync(() -> relay.get(resume("orphan-1:1"), client), THREADS);
        awaitUntil(() -> log.isFollowed(STREAM) && log.leaseReads() >= 1);
        log.follow(STREAM, "a-connection-on-another-instance", Duration.ofSeconds(30));
        relay.eventLog().kill("other-instance");
        following.get(10, TimeUnit.SECONDS);

        assertThat(log.lease(STREAM)).as("left to the connection that holds the stream now").hasValue(theirs);
        assertThat(relay.upstream().requestCount()).isZero();
        assertThat(client.eventData()).isEmpty();
    }

    @Test
    void aTakeOverThatTheStoreBrokeHalfWayIsTakenBackBySameFollowerNotLeftUnderItsOwnLease() throws Exception {
        RelayHarness relay = harness(new StreamSettings(Duration.ofSeconds(30), Duration.ofSeconds(1), 2, StreamSettings.DEFAULT_LEASE));
        InMemoryEventLog log = relay.eventLog();
        log.open(new StreamInfo(STREAM, new ProxySessionId(SESSION), StreamKind.POST_RESPONSE, relay.clock().now(),
                List.of(new RequestId.NumericId("7"))));
        StreamLeasePort.Lease theirs = log.claim(STREAM, "other-instance").orElseThrow();
        log.append(STREAM, theirs, new EventLogPort.Entry(Optional.empty(), progress("\"p\"", 1), Optional.of("up-1")));
        relay.upstream().thenAnswer(eventStream(ScriptedEventSource.of(event("up-2", progress("\"p\"", 2)), event("up-3", result("7")))));
        RecordingDownstream client = new RecordingDownstream();

        CompletableFuture<Void> following = CompletableFuture.runAsync(() -> relay.get(resume("orphan-1:1"), client), THREADS);
        awaitUntil(() -> log.isFollowed(STREAM));
        relay.eventLog().loseTakeOverAnswers(1);
        relay.eventLog().kill("other-instance");
        following.get(10, TimeUnit.SECONDS);

        assertThat(client.eventData()).as("every event once").containsExactly(progress("\"p\"", 2), result("7"));
        assertThat(log.lease(STREAM)).as("taken, then taken back from itself").hasValue(new StreamLeasePort.Lease("test-instance", 3));
        assertThat(log.state(STREAM).orElseThrow().complete()).isTrue();
    }

    @Test
    void aPumpWhoseStreamAnotherInstanceTookOverWritesNothingMoreAndLetsItsClientGo() throws Exception {
        RelayHarness relay = harness(new StreamSettings(Duration.ofMillis(50), Duration.ofSeconds(1), 2, Duration.ofSeconds(20)));
        BlockingEventSource source = new BlockingEventSource();
        relay.upstream().thenAnswer(io.mcprelay.application.fixtures.UpstreamReplies.eventStream(source));
        RecordingDownstream original = new RecordingDownstream();
        source.push("{\"n\":1}");
        CompletableFuture<Void> pumping = CompletableFuture.runAsync(() ->
                relay.post(aPost(request("1", "tools/call")).inSession(SESSION).build(), original), THREADS);
        awaitUntil(() -> !original.events().isEmpty());
        StreamId stream = new StreamId("stream-1");
        StreamLeasePort.Lease mine = relay.eventLog().lease(stream).orElseThrow();
        assertThat(mine.owner()).isEqualTo("test-instance");

        StreamLeasePort.Lease theirs = relay.eventLog().takeOver(stream, mine, "other-instance").orElseThrow();
        source.push("{\"n\":2}");
        pumping.get(10, TimeUnit.SECONDS);

        assertThat(original.eventData()).as("neither the fenced event nor an error for the open request").containsExactly("{\"n\":1}");
        assertThat(original.isClosed()).isTrue();
        assertThat(relay.eventLog().events(stream)).extracting(LoggedEvent::data).containsExactly("{\"n\":1}");
        assertThat(relay.eventLog().state(stream).orElseThrow().complete()).as("the new owner's to complete").isFalse();
        assertThat(relay.eventLog().lease(stream)).hasValue(theirs);
        assertThat(source.isClosed()).isTrue();
    }

    @Test
    void aQuietPumpNoticesAtItsNextCheckThatItsStreamWasTakenOver() throws Exception {
        // lease 300 ms: the supervisor checks every 1.5 s
        RelayHarness relay = harness(new StreamSettings(Duration.ofSeconds(30), Duration.ofSeconds(30), 2, Duration.ofMillis(300)));
        BlockingEventSource source = new BlockingEventSource();
        relay.upstream().thenAnswer(io.mcprelay.application.fixtures.UpstreamReplies.eventStream(source));
        RecordingDownstream original = new RecordingDownstream();
        source.push("{\"n\":1}");
        CompletableFuture<Void> pumping = CompletableFuture.runAsync(() ->
                relay.post(aPost(request("1", "tools/call")).inSession(SESSION).build(), original), THREADS);
        awaitUntil(() -> !original.events().isEmpty());
        StreamId stream = new StreamId("stream-1");

        relay.eventLog().takeOver(stream, relay.eventLog().lease(stream).orElseThrow(), "other-instance").orElseThrow();
        pumping.get(10, TimeUnit.SECONDS);

        assertThat(source.isClosed()).as("the upstream connection is released").isTrue();
        assertThat(original.isClosed()).isTrue();
        assertThat(original.eventData()).containsExactly("{\"n\":1}");
    }

    @Test
    void aFollowerRidesOutAStoreThatDoesNotAnswerForAMomentAndEndsAfterTooManyFailures() throws Exception {
        RelayHarness relay = harness(new StreamSettings(Duration.ofSeconds(30), Duration.ofSeconds(1), 2, StreamSettings.DEFAULT_LEASE));
        InMemoryEventLog log = relay.eventLog();
        log.open(new StreamInfo(STREAM, new ProxySessionId(SESSION), StreamKind.POST_RESPONSE, relay.clock().now(),
                List.of(new RequestId.NumericId("7"))));
        StreamLeasePort.Lease theirs = log.claim(STREAM, "other-instance").orElseThrow();
        log.append(STREAM, theirs, new EventLogPort.Entry(Optional.empty(), progress("\"p\"", 1), Optional.of("up-1")));
        log.append(STREAM, theirs, new EventLogPort.Entry(Optional.empty(), result("7"), Optional.of("up-2")));
        log.complete(STREAM, theirs);
        relay.eventLog().failAwaits(2);
        RecordingDownstream patient = new RecordingDownstream();

        CompletableFuture.runAsync(() -> relay.get(resume("orphan-1:1"), patient), THREADS).get(10, TimeUnit.SECONDS);

        assertThat(patient.eventData()).containsExactly(result("7"));
        assertThat(patient.comments()).as("kept alive while the store did not answer").hasSizeGreaterThanOrEqualTo(2);

        relay.eventLog().failAwaits(1_000);
        RecordingDownstream abandoned = new RecordingDownstream();
        CompletableFuture.runAsync(() -> relay.get(resume("orphan-1:1"), abandoned), THREADS).get(20, TimeUnit.SECONDS);
        assertThat(abandoned.isClosed()).isTrue();
        assertThat(abandoned.eventData()).isEmpty();
        assertThat(log.isFollowed(STREAM)).isFalse();
    }

    private static RelayHarness harness(StreamSettings settings) {
        RelayHarness relay = RelayHarness.builder().streamSettings(settings).build();
        relay.sessions().holding(aSession().withId(SESSION).withUpstreamSessionId("upstream-session-1").build());
        return relay;
    }

    private static OpenStreamCommand resume(String lastEventId) {
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
