package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.Messages.progress;
import static io.mcprelay.application.fixtures.Messages.request;
import static io.mcprelay.application.fixtures.Messages.result;
import static io.mcprelay.application.fixtures.RelayCommands.aPost;
import static io.mcprelay.application.fixtures.ScriptedEventSource.broken;
import static io.mcprelay.application.fixtures.ScriptedEventSource.end;
import static io.mcprelay.application.fixtures.ScriptedEventSource.event;
import static io.mcprelay.application.fixtures.SessionTestData.aSession;
import static io.mcprelay.application.fixtures.UpstreamReplies.eventStream;
import static io.mcprelay.application.fixtures.UpstreamReplies.failed;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.fixtures.RecordingDownstream;
import io.mcprelay.application.fixtures.RelayHarness;
import io.mcprelay.application.fixtures.ScriptedEventSource;
import io.mcprelay.application.port.in.OpenStreamCommand;
import io.mcprelay.application.port.out.upstream.UpstreamEvent;
import io.mcprelay.application.port.out.upstream.UpstreamEvents;
import io.mcprelay.application.port.out.upstream.UpstreamPort;
import io.mcprelay.application.fixtures.ScriptedUpstream;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.domain.jsonrpc.JsonRpcError;
import io.mcprelay.domain.jsonrpc.JsonRpcErrorCodes;
import io.mcprelay.domain.jsonrpc.RequestId;
import io.mcprelay.domain.stream.SseEvent;
import io.mcprelay.domain.stream.StreamId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Re-attaching to an upstream stream that closed early (2025-11-25 polling) or broke: the relay
 * GETs the upstream with the upstream's own last event id and the client's stream simply continues
 * (BRIEF §4.11). One POST upstream per client request; the re-attach is a GET.
 */
class UpstreamReattachTest {

    private static final String SESSION = "session-1";

    private final RelayHarness relay = RelayHarness.builder()
            .streamSettings(new StreamSettings(Duration.ofSeconds(5), Duration.ofSeconds(1), 16))
            .build();

    UpstreamReattachTest() {
        relay.sessions().holding(aSession().withId(SESSION).withUpstreamSessionId("upstream-session-1").build());
    }

    @Test
    void anUpstreamThatClosesEarlyAfterARetryHintIsPolledWithItsLastEventIdAndTheStreamContinues() {
        relay.upstream()
                .thenAnswer(eventStream(ScriptedEventSource.of(withRetry("up-1", "", 20), end())))
                .thenAnswer(eventStream(ScriptedEventSource.of(event("up-2", result("7")))));

        RecordingDownstream client = post("7");

        assertThat(client.eventData()).containsExactly(result("7"));
        assertThat(client.isClosed()).isTrue();
        List<ScriptedUpstream.Sent> requests = relay.upstream().requests();
        assertThat(requests).extracting(ScriptedUpstream.Sent::kind).containsExactly(ScriptedUpstream.Kind.SEND, ScriptedUpstream.Kind.RESUME);
        ScriptedUpstream.Sent get = requests.get(1);
        assertThat(get.cursor()).as("after the upstream's own cursor").hasValue("up-1");
        assertThat(get.budget()).as("a POST's stream stays in the requests' budget").isEqualTo(UpstreamPort.Budget.REQUEST);
        assertThat(get.sessionId()).hasValueSatisfying(id -> assertThat(id.value()).isEqualTo("upstream-session-1"));
        assertThat(get.body()).isEmpty();
        assertThat(relay.eventLog().events(new StreamId("stream-1"))).extracting(e -> e.upstreamEventId().orElse(""))
                .containsExactly("up-2");
    }

    @Test
    void aBrokenUpstreamStreamIsResumedAfterTheLastEventItGave() {
        relay.upstream()
                .thenAnswer(eventStream(ScriptedEventSource.of(withRetry("up-1", progress("\"p\"", 1), 10), broken("connection reset"))))
                .thenAnswer(eventStream(ScriptedEventSource.of(event("up-2", progress("\"p\"", 2)), event("up-3", result("7")))));

        RecordingDownstream client = post("7");

        assertThat(client.eventData()).containsExactly(progress("\"p\"", 1), progress("\"p\"", 2), result("7"));
        assertThat(client.events()).extracting(e -> e.id().orElseThrow()).containsExactly("stream-1:1", "stream-1:2", "stream-1:3");
        assertThat(relay.upstream().requests(ScriptedUpstream.Kind.RESUME)).singleElement()
                .satisfies(get -> assertThat(get.cursor()).hasValue("up-1"));
    }

    @Test
    void anUpstreamThatCannotResumeGetsTheRequestAnsweredWithAnError() {
        relay.upstream()
                .thenAnswer(eventStream(ScriptedEventSource.of(withRetry("up-1", progress("\"p\"", 1), 10), end())))
                .thenAnswer(failed(405, "text/plain", "no GET here"));

        RecordingDownstream client = post("7");

        assertThat(client.eventData()).containsExactly(progress("\"p\"", 1), errorFor("7", "the upstream ended the stream before answering"));
        assertThat(relay.upstream().requestCount()).isEqualTo(2);
    }

    @Test
    void givesUpAfterFiveReattachesThatBringNothing() {
        relay.upstream().thenAnswer(eventStream(ScriptedEventSource.of(withRetry("up-1", progress("\"p\"", 1), 5), broken("reset"))));
        relay.upstream().otherwiseAnswer(request -> eventStream(ScriptedEventSource.of(end())));

        RecordingDownstream client = post("7");

        assertThat(relay.upstream().requests(ScriptedUpstream.Kind.RESUME)).hasSize(5);
        assertThat(client.eventData()).last().isEqualTo(errorFor("7", "the upstream ended the stream before answering"));
    }

    @Test
    void aStreamWhoseUpstreamGaveNoEventIdCannotBeResumed() {
        relay.upstream().thenAnswer(eventStream(ScriptedEventSource.of(event(progress("\"p\"", 1)), broken("reset"))));

        RecordingDownstream client = post("7");

        assertThat(client.eventData()).containsExactly(progress("\"p\"", 1),
                errorFor("7", "the upstream stream broke before answering: reset"));
        assertThat(relay.upstream().requestCount()).as("no GET without an upstream event id").isEqualTo(1);
    }

    @Test
    void theStandaloneStreamIsPolledWhileTheUpstreamAsksAndEndsWhenItRefuses() {
        relay.upstream()
                .thenAnswer(eventStream(ScriptedEventSource.of(withRetry("g-1", "{\"n\":1}", 10), end())))
                .thenAnswer(eventStream(ScriptedEventSource.of(event("g-2", "{\"n\":2}"), end())))
                .thenAnswer(failed(405, "text/plain", "no more"));

        RecordingDownstream client = relay.get(new OpenStreamCommand(Optional.of(SESSION), Optional.empty(), Optional.empty(),
                Map.of("Accept", "text/event-stream")));

        assertThat(client.eventData()).containsExactly("{\"n\":1}", "{\"n\":2}");
        assertThat(client.isClosed()).isTrue();
        assertThat(relay.upstream().requests()).extracting(g -> g.kind() + " " + g.cursor().orElse("-"))
                .containsExactly("LISTEN -", "RESUME g-1", "RESUME g-2");
        assertThat(relay.upstream().requests(ScriptedUpstream.Kind.RESUME)).allSatisfy(g -> assertThat(g.budget()).isEqualTo(UpstreamPort.Budget.STREAM));
    }

    @Test
    void aResumedUpstreamThatFallsSilentWhileARequestIsOpenIsPolledAgain() throws Exception {
        SilentAfterBacklog resumed = new SilentAfterBacklog(event("up-2", progress("\"p\"", 2)));
        relay.upstream()
                .thenAnswer(eventStream(ScriptedEventSource.of(withRetry("up-1", progress("\"p\"", 1), 5), end())))
                .thenAnswer(io.mcprelay.application.fixtures.UpstreamReplies.eventStream(resumed))
                .thenAnswer(eventStream(ScriptedEventSource.of(event("up-3", result("7")))));

        long started = System.nanoTime();
        RecordingDownstream client = post("7");

        assertThat(client.eventData()).containsExactly(progress("\"p\"", 1), progress("\"p\"", 2), result("7"));
        List<ScriptedUpstream.Sent> gets = relay.upstream().requests(ScriptedUpstream.Kind.RESUME);
        assertThat(gets).extracting(g -> g.cursor().orElseThrow()).containsExactly("up-1", "up-2");
        assertThat(resumed.closed).as("the silent connection is dropped").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .as("polled after the %s of silence, not at once", StreamSupervisor.REPOLL_AFTER)
                .isGreaterThanOrEqualTo(StreamSupervisor.REPOLL_AFTER.minusMillis(100));
    }

    private RecordingDownstream post(String requestId) {
        return relay.post(aPost(request(requestId, "tools/call")).inSession(SESSION).withProtocolVersion("2025-06-18").build());
    }

    private static UpstreamEvents.Read withRetry(String upstreamId, String data, long retryMillis) {
        return new UpstreamEvents.Read.Event(UpstreamEvent.of(new SseEvent(Optional.of(upstreamId), Optional.empty(), data, Optional.of(retryMillis))));
    }

    private static String errorFor(String id, String why) {
        return new JsonRpcError(Optional.of(new RequestId.NumericId(id)), JsonRpcErrorCodes.INTERNAL_ERROR, "Upstream error: " + why).toJson();
    }

    /** An upstream that answers a resuming GET with its backlog and then nothing, until it is closed (as server-everything does). */
    private static final class SilentAfterBacklog implements UpstreamEvents {
        private final LinkedBlockingQueue<UpstreamEvents.Read> backlog = new LinkedBlockingQueue<>();
        private volatile boolean closed;

        SilentAfterBacklog(UpstreamEvents.Read... reads) {
            backlog.addAll(List.of(reads));
        }

        @Override
        public UpstreamEvents.Read next() {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!closed && System.nanoTime() < deadline) {
                UpstreamEvents.Read read = backlog.poll();
                if (read != null) {
                    return read;
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return new UpstreamEvents.Read.End();
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
