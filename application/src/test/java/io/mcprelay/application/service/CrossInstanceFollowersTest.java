package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.Messages.request;
import static io.mcprelay.application.fixtures.Messages.result;
import static io.mcprelay.application.fixtures.RelayCommands.aPost;
import static io.mcprelay.application.fixtures.SessionTestData.aSession;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.fixtures.BlockingEventSource;
import io.mcprelay.application.fixtures.RecordingDownstream;
import io.mcprelay.application.fixtures.RelayHarness;
import io.mcprelay.application.port.in.OpenStreamCommand;
import io.mcprelay.application.port.out.EventLogPort;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
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
 * A stream's events go to one client connection at a time, also across instances: a connection
 * that resumes the stream on another instance (seen here as a follower this instance did not
 * register) ends this instance's connection, whether it is the pump's own client or a follower.
 */
class CrossInstanceFollowersTest {

    private static final String SESSION = "session-1";
    private static final Duration LEASE = Duration.ofMillis(300);
    private static final ExecutorService THREADS = Executors.newVirtualThreadPerTaskExecutor();

    private final RelayHarness relay = RelayHarness.builder()
            .streamSettings(new StreamSettings(Duration.ofMillis(50), Duration.ofSeconds(1), 2, LEASE))
            .build();

    CrossInstanceFollowersTest() {
        relay.sessions().holding(aSession().withId(SESSION).withUpstreamSessionId("upstream-session-1").build());
    }

    @Test
    void thePumpLetsGoOfItsClientWhenTheStreamIsResumedOnAnotherInstance() throws Exception {
        BlockingEventSource source = new BlockingEventSource();
        relay.upstream().thenAnswer(io.mcprelay.application.fixtures.UpstreamReplies.eventStream(source));
        RecordingDownstream original = new RecordingDownstream();
        source.push("{\"n\":1}");
        CompletableFuture<Void> pumping = CompletableFuture.runAsync(() ->
                relay.post(aPost(request("1", "tools/call")).inSession(SESSION).build(), original), THREADS);
        awaitUntil(() -> !original.events().isEmpty());

        StreamId stream = new StreamId("stream-1");
        relay.eventLog().follow(stream, "other-instance/1", LEASE);
        awaitUntil(original::isClosed);
        source.push("{\"n\":2}").push(result("1")).end();
        pumping.get(10, TimeUnit.SECONDS);

        assertThat(original.eventData()).containsExactly("{\"n\":1}");
        assertThat(relay.eventLog().events(stream)).extracting(e -> e.data()).containsExactly("{\"n\":1}", "{\"n\":2}", result("1"));
        assertThat(source.isClosed()).isTrue();
    }

    @Test
    void aFollowerEndsWhenAConnectionOnAnotherInstanceTakesTheStreamOver() throws Exception {
        StreamId stream = new StreamId("stream-9");
        EventLogPort log = relay.eventLog();
        log.open(new StreamInfo(stream, new ProxySessionId(SESSION), StreamKind.STANDALONE, relay.clock().now(), List.of()));
        log.claim(stream, "live-instance");
        log.append(stream, new EventLogPort.Entry(Optional.empty(), "{\"n\":1}", Optional.empty()));
        RecordingDownstream follower = new RecordingDownstream();

        CompletableFuture<Void> following = CompletableFuture.runAsync(() -> relay.get(new OpenStreamCommand(Optional.of(SESSION),
                Optional.empty(), Optional.of("stream-9:1"), Map.of("Accept", "text/event-stream")), follower), THREADS);
        awaitUntil(() -> !follower.comments().isEmpty());
        log.follow(stream, "other-instance/1", LEASE);
        following.get(10, TimeUnit.SECONDS);
        log.append(stream, new EventLogPort.Entry(Optional.empty(), "{\"n\":2}", Optional.empty()));

        assertThat(follower.isClosed()).isTrue();
        assertThat(follower.eventData()).isEmpty();
        assertThat(relay.eventLog().isFollowed(stream)).as("the other instance's follower stays").isTrue();
        assertThat(relay.upstream().requestCount()).isZero();
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
