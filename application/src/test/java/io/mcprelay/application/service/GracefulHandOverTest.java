package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.Messages.request;
import static io.mcprelay.application.fixtures.RelayCommands.aPost;
import static io.mcprelay.application.fixtures.SessionTestData.aSession;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.fixtures.BlockingEventSource;
import io.mcprelay.application.fixtures.RecordingDownstream;
import io.mcprelay.application.fixtures.RelayHarness;
import io.mcprelay.application.fixtures.UpstreamReplies;
import io.mcprelay.domain.stream.SseEvent;
import io.mcprelay.domain.stream.StreamId;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * At the end of a graceful stop, every stream this instance relays is handed over: its lease goes to
 * the hand-over owner, its pump stops and lets its client go, and nothing is answered or completed
 * (the stream is not over), so a resume anywhere re-attaches the upstream where it stopped.
 */
class GracefulHandOverTest {

    private static final String SESSION = "session-1";
    private static final String PROGRESS = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progress\":1}}";
    private static final ExecutorService THREADS = Executors.newVirtualThreadPerTaskExecutor();

    private final RelayHarness relay = RelayHarness.builder()
            .streamSettings(new StreamSettings(Duration.ofMillis(50), Duration.ofMinutes(5), 2, Duration.ofMillis(300)))
            .build();

    GracefulHandOverTest() {
        relay.sessions().holding(aSession().withId(SESSION).withUpstreamSessionId("upstream-session-1").build());
    }

    @Test
    void aToolCallStillStreamingIsHandedOverUnansweredAndItsClientLetGo() throws Exception {
        BlockingEventSource upstream = new BlockingEventSource().push(new SseEvent(Optional.of("up-1"), Optional.empty(), PROGRESS, Optional.empty()));
        relay.upstream().thenAnswer(UpstreamReplies.eventStream(upstream));
        RecordingDownstream client = new RecordingDownstream();
        CompletableFuture<Void> pumping = CompletableFuture.runAsync(() ->
                relay.post(aPost(request("1", "tools/call")).inSession(SESSION).build(), client), THREADS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (client.events().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }

        assertThat(relay.streams().handOverAll()).isEqualTo(1);

        pumping.get(10, TimeUnit.SECONDS);
        StreamId stream = new StreamId("stream-1");
        assertThat(upstream.isClosed()).isTrue();
        assertThat(client.isClosed()).as("its client's response ended").isTrue();
        assertThat(client.events()).as("no error answer: the call is not over").hasSize(1);
        assertThat(relay.eventLog().events(stream)).hasSize(1);
        assertThat(relay.eventLog().state(stream).orElseThrow().complete()).isFalse();
        assertThat(relay.eventLog().lease(stream).orElseThrow().owner()).isEqualTo(StreamRelay.HANDED_OVER);
    }
}
