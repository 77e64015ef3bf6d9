package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.Messages.request;
import static io.mcprelay.application.fixtures.RelayCommands.aPost;
import static io.mcprelay.application.fixtures.SessionTestData.aSession;
import static io.mcprelay.application.fixtures.UpstreamReplies.eventStream;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.fixtures.InMemoryEventLog;
import io.mcprelay.application.fixtures.MutableClock;
import io.mcprelay.application.fixtures.RecordingDownstream;
import io.mcprelay.application.fixtures.RelayHarness;
import io.mcprelay.application.fixtures.ScriptedEventSource;
import io.mcprelay.application.port.in.OpenStreamCommand;
import io.mcprelay.application.port.out.EventLogPort;
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
import org.junit.jupiter.api.Test;

/**
 * What a client is sent and what a resume replays agree while the log's store does not answer: an
 * event whose append was not confirmed still goes out under the id it gets if it lands, lands under
 * that id or not at all, and nothing after it is logged before it.
 */
class StreamLogWriterTest {

    private static final String SESSION = "session-1";
    private static final StreamId STREAM = new StreamId("stream-1");

    private final RelayHarness relay = RelayHarness.builder()
            .streamSettings(new StreamSettings(Duration.ofSeconds(5), Duration.ofSeconds(5), 16))
            .build();

    StreamLogWriterTest() {
        relay.sessions().holding(aSession().withId(SESSION).withUpstreamSessionId("upstream-session-1").build());
    }

    private RecordingDownstream postStream(String... data) {
        relay.upstream().thenAnswer(eventStream(ScriptedEventSource.ofData(data)));
        return relay.post(aPost(request("1", "tools/call")).inSession(SESSION).build());
    }

    @Test
    void anAppendThatTimedOutButLandedIsSentUnderItsIdAndReplayedOnce() {
        relay.eventLog().timeOutNextAppendAfter(1, true);

        RecordingDownstream client = postStream("{\"a\":1}", "{\"a\":2}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}");

        assertThat(client.events()).extracting(e -> e.id().orElseThrow()).containsExactly("stream-1:1", "stream-1:2", "stream-1:3");
        assertThat(relay.eventLog().events(STREAM)).extracting(LoggedEvent::data)
                .containsExactly("{\"a\":1}", "{\"a\":2}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}");
        assertThat(resume("stream-1:2").eventData()).as("what came after, once").containsExactly("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}");
    }

    @Test
    void anAppendThatNeverLandedIsTriedAgainBeforeTheNextEventUnderTheSameId() {
        relay.eventLog().timeOutNextAppendAfter(1, false);

        RecordingDownstream client = postStream("{\"a\":1}", "{\"a\":2}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}");

        assertThat(client.events()).extracting(e -> e.id().orElseThrow()).containsExactly("stream-1:1", "stream-1:2", "stream-1:3");
        assertThat(relay.eventLog().events(STREAM)).extracting(LoggedEvent::sequence, LoggedEvent::data).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1L, "{\"a\":1}"), org.assertj.core.groups.Tuple.tuple(2L, "{\"a\":2}"),
                org.assertj.core.groups.Tuple.tuple(3L, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}"));
        assertThat(resume("stream-1:1").eventData()).containsExactly("{\"a\":2}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}");
    }

    @Test
    void theLastEventIsTriedOnceMoreWhenTheStreamEnds() {
        relay.eventLog().timeOutNextAppendAfter(1, false);

        RecordingDownstream client = postStream("{\"a\":1}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}");

        assertThat(client.events()).extracting(e -> e.id().orElseThrow()).containsExactly("stream-1:1", "stream-1:2");
        assertThat(relay.eventLog().events(STREAM)).hasSize(2);
    }

    @Test
    void aLogThatCannotTakeTheEventsAnyMoreGetsNoneAndTheClientGetsThemWithoutIds() {
        MutableClock clock = MutableClock.startingNow();
        InMemoryEventLog log = new InMemoryEventLog(clock);
        log.open(new StreamInfo(STREAM, new ProxySessionId(SESSION), StreamKind.POST_RESPONSE, clock.now(), List.of(new RequestId.NumericId("1"))));
        StreamLogWriter writer = new StreamLogWriter(log, Optional.of(STREAM));
        writer.log(entry("x"));
        log.complete(STREAM);

        writer.log(entry("y"));
        writer.log(entry("z"));

        assertThat(writer.logs()).isFalse();
        assertThat(log.events(STREAM)).extracting(LoggedEvent::data).containsExactly("x");

        StreamLogWriter behind = new StreamLogWriter(log, Optional.of(STREAM));
        behind.continueAfter(5);
        behind.log(entry("after a gap"));
        assertThat(behind.logs()).as("a gap: the log is not this writer's to number").isFalse();
    }

    @Test
    void tooManyUnconfirmedEventsStopTheLogging() {
        MutableClock clock = MutableClock.startingNow();
        InMemoryEventLog log = new InMemoryEventLog(clock);
        log.open(new StreamInfo(STREAM, new ProxySessionId(SESSION), StreamKind.STANDALONE, clock.now(), List.of()));
        StreamLogWriter writer = new StreamLogWriter(log, Optional.of(STREAM));
        for (int i = 0; i <= StreamLogWriter.MAX_PENDING; i++) {
            log.timeOutNextAppend(false);
        }

        for (int i = 0; i < StreamLogWriter.MAX_PENDING; i++) {
            writer.log(entry("e" + i));
        }
        assertThat(writer.logs()).isTrue();
        writer.log(entry("one too many"));

        assertThat(writer.logs()).isFalse();
        assertThat(log.events(STREAM)).isEmpty();
    }

    @Test
    void tooMuchUnconfirmedDataStopsTheLoggingButABigEventTheStoreTakesIsLogged() {
        MutableClock clock = MutableClock.startingNow();
        InMemoryEventLog log = new InMemoryEventLog(clock);
        log.open(new StreamInfo(STREAM, new ProxySessionId(SESSION), StreamKind.STANDALONE, clock.now(), List.of()));
        StreamLogWriter writer = new StreamLogWriter(log, Optional.of(STREAM));
        String big = "x".repeat((int) StreamLogWriter.MAX_PENDING_CHARS / 2 + 1);

        writer.log(entry(big + big));
        assertThat(writer.logs()).as("the store took it at once").isTrue();
        log.timeOutNextAppend(false);
        log.timeOutNextAppend(false);
        writer.log(entry(big));
        assertThat(writer.logs()).isTrue();
        writer.log(entry(big));

        assertThat(writer.logs()).isFalse();
        assertThat(log.events(STREAM)).hasSize(1);
    }

    private static EventLogPort.Entry entry(String data) {
        return new EventLogPort.Entry(Optional.empty(), data, Optional.empty());
    }

    private RecordingDownstream resume(String lastEventId) {
        return relay.get(new OpenStreamCommand(Optional.of(SESSION), Optional.empty(), Optional.of(lastEventId),
                Map.of("Accept", "text/event-stream", "Last-Event-ID", lastEventId)));
    }
}
