package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.SessionTestData.aSession;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.fixtures.CountingMetrics;
import io.mcprelay.application.fixtures.InMemoryEventLog;
import io.mcprelay.application.fixtures.InMemorySessions;
import io.mcprelay.application.fixtures.MutableClock;
import io.mcprelay.application.fixtures.RelayHarness;
import io.mcprelay.application.fixtures.ScriptedUpstream;
import io.mcprelay.application.fixtures.SequentialStreamIds;
import io.mcprelay.application.fixtures.SimpleJsonCodec;
import io.mcprelay.application.fixtures.SimpleJsonEdit;
import io.mcprelay.application.port.out.RelayMetricsPort;
import io.mcprelay.domain.intercept.RuleSet;
import io.mcprelay.application.port.out.EventLogPort.Entry;
import io.mcprelay.application.port.out.SessionMessage;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.session.SessionPolicy;
import io.mcprelay.domain.stream.LogState;
import io.mcprelay.domain.stream.StreamId;
import io.mcprelay.domain.stream.StreamInfo;
import io.mcprelay.domain.stream.StreamKind;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The operators' view of one session's streams and latest messages, read from the replay logs. */
class AdminServiceTest {

    private static final ProxySessionId SESSION = new ProxySessionId("session-1");
    private static final ProxySessionId OTHER = new ProxySessionId("session-2");

    private final MutableClock clock = MutableClock.startingNow();
    private final InMemoryEventLog log = new InMemoryEventLog(clock);
    private final InMemorySessions sessions = new InMemorySessions(new SessionPolicy(Duration.ofMinutes(5)), clock, 10);
    private final AdminService admin = new AdminService(sessions, new ScriptedUpstream(), new UpstreamCatalog(List.of(RelayHarness.PRIMARY)),
            new StreamRelay(log, new SequentialStreamIds(), new SimpleJsonCodec(), clock, new CountingMetrics(),
                    StreamSettings.defaults(), "test-instance",
                    new InterceptionService(RuleSet.EMPTY, List.of(), new SimpleJsonEdit(), RelayMetricsPort.NONE),
                    RelayHarness.SUPERVISION));

    AdminServiceTest() {
        sessions.holding(aSession().withId(SESSION.value()).build());
    }

    @Test
    void listsTheSessionsStreamsNewestFirstWithTheirPositions() {
        StreamInfo older = opened("s-old", SESSION, StreamKind.POST_RESPONSE);
        StreamInfo newer = opened("s-new", SESSION, StreamKind.STANDALONE);
        opened("s-theirs", OTHER, StreamKind.POST_RESPONSE);
        append(older, "a", "b");
        log.complete(older.id());
        append(newer, "c");

        assertThat(admin.streamsOf(SESSION)).containsExactly(
                new LogState(newer, 1, 1, false, Optional.empty()),
                new LogState(older, 1, 2, true, Optional.empty()));
        assertThat(admin.streamsOf(new ProxySessionId("session-none"))).isEmpty();
    }

    @Test
    void recentMessagesAreTheNewestAcrossTheSessionsStreamsNewestFirst() {
        StreamInfo older = opened("s-old", SESSION, StreamKind.POST_RESPONSE);
        StreamInfo newer = opened("s-new", SESSION, StreamKind.STANDALONE);
        StreamInfo theirs = opened("s-theirs", OTHER, StreamKind.POST_RESPONSE);
        append(older, "o1", "o2", "o3");
        append(newer, "n1", "n2");
        append(theirs, "t1");

        List<SessionMessage> all = admin.recentMessages(SESSION, 10);
        assertThat(all).extracting(m -> m.eventId().text(), m -> m.event().data()).containsExactly(
                org.assertj.core.groups.Tuple.tuple("s-new:2", "n2"), org.assertj.core.groups.Tuple.tuple("s-new:1", "n1"),
                org.assertj.core.groups.Tuple.tuple("s-old:3", "o3"), org.assertj.core.groups.Tuple.tuple("s-old:2", "o2"),
                org.assertj.core.groups.Tuple.tuple("s-old:1", "o1"));
        assertThat(admin.recentMessages(SESSION, 3)).extracting(m -> m.event().data()).containsExactly("n2", "n1", "o3");
        assertThat(admin.recentMessages(SESSION, 2)).as("the newest stream alone has enough").extracting(m -> m.event().data())
                .containsExactly("n2", "n1");
        assertThat(admin.recentMessages(SESSION, 0)).isEmpty();
        assertThat(admin.recentMessages(OTHER, 10)).extracting(m -> m.event().data()).containsExactly("t1");
    }

    @Test
    void recentMessagesAreCappedAtFifty() {
        StreamInfo busy = opened("s-busy", SESSION, StreamKind.POST_RESPONSE);
        for (int i = 1; i <= 80; i++) {
            append(busy, "e-" + i);
        }

        List<SessionMessage> recent = admin.recentMessages(SESSION, 1_000);

        assertThat(recent).hasSize(50);
        assertThat(recent.getFirst().event().sequence()).isEqualTo(80);
        assertThat(recent.getLast().event().sequence()).isEqualTo(31);
    }

    private StreamInfo opened(String id, ProxySessionId session, StreamKind kind) {
        StreamInfo stream = new StreamInfo(new StreamId(id), session, kind, clock.now());
        log.open(stream);
        clock.advance(Duration.ofMillis(1));
        return stream;
    }

    private void append(StreamInfo stream, String... data) {
        for (String d : data) {
            log.append(stream.id(), new Entry(Optional.empty(), d, Optional.empty()));
        }
    }
}
