package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.SessionTestData.aSession;
import static io.mcprelay.application.fixtures.UpstreamReplies.accepted;
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
import io.mcprelay.application.port.out.EventLogPort;
import io.mcprelay.application.port.out.RelayMetricsPort;
import io.mcprelay.application.port.out.SessionQuery;
import io.mcprelay.domain.intercept.RuleSet;
import io.mcprelay.domain.session.ProtocolVersion;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.session.SessionPolicy;
import io.mcprelay.domain.stream.StreamId;
import io.mcprelay.domain.stream.StreamInfo;
import io.mcprelay.domain.stream.StreamKind;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An operator lists sessions and ends one: the session and its logs go, and the upstream is told (best effort). */
class AdminEvictionTest {

    private final MutableClock clock = MutableClock.startingNow();
    private final InMemoryEventLog log = new InMemoryEventLog(clock);
    private final InMemorySessions sessions = new InMemorySessions(new SessionPolicy(Duration.ofMinutes(5)), clock, 10);
    private final ScriptedUpstream upstream = new ScriptedUpstream();
    private final AdminService admin = new AdminService(sessions, upstream, new UpstreamCatalog(List.of(RelayHarness.PRIMARY)),
            new StreamRelay(log, new SequentialStreamIds(), new SimpleJsonCodec(), clock, new CountingMetrics(),
                    StreamSettings.defaults(), "test-instance",
                    new InterceptionService(RuleSet.EMPTY, List.of(), new SimpleJsonEdit(), RelayMetricsPort.NONE),
                    RelayHarness.SUPERVISION));

    AdminEvictionTest() {
        sessions.holding(aSession().withId("stateful").withUpstreamSessionId("upstream-7").build());
        sessions.holding(aSession().withId("stateless").stateless().build());
        sessions.holding(aSession().withId("orphan").withUpstream("removed").withUpstreamSessionId("upstream-8").build());
    }

    @Test
    void endsASessionDropsItsLogsAndTellsItsUpstream() {
        log.open(new StreamInfo(new StreamId("s-1"), new ProxySessionId("stateful"), StreamKind.POST_RESPONSE, clock.now(), List.of()));
        log.append(new StreamId("s-1"), new EventLogPort.Entry(Optional.empty(), "{}", Optional.empty()));
        upstream.thenAnswer(accepted());

        assertThat(admin.evict(new ProxySessionId("stateful"))).isTrue();

        assertThat(sessions.find(new ProxySessionId("stateful"))).isEmpty();
        assertThat(log.state(new StreamId("s-1"))).isEmpty();
        ScriptedUpstream.Sent delete = upstream.onlyRequest();
        assertThat(delete.kind()).isEqualTo(ScriptedUpstream.Kind.END);
        assertThat(delete.target()).isEqualTo(RelayHarness.PRIMARY);
        assertThat(delete.sessionId()).hasValueSatisfying(id -> assertThat(id.value()).isEqualTo("upstream-7"));
        assertThat(delete.protocolVersion()).as("the negotiated version goes with it").hasValue(new ProtocolVersion("2025-06-18"));
    }

    @Test
    void tellsNoUpstreamWhenThereIsNoUpstreamSessionOrNoSuchUpstream() {
        assertThat(admin.evict(new ProxySessionId("stateless"))).isTrue();
        assertThat(admin.evict(new ProxySessionId("orphan"))).isTrue();

        assertThat(upstream.requestCount()).isZero();
        assertThat(sessions.stored()).extracting(s -> s.id().value()).containsExactly("stateful");
    }

    @Test
    void anUnknownSessionIsNotEvicted() {
        assertThat(admin.evict(new ProxySessionId("never-was"))).isFalse();
        assertThat(admin.evict(new ProxySessionId("stateless"))).isTrue();
        assertThat(admin.evict(new ProxySessionId("stateless"))).as("twice").isFalse();
        assertThat(upstream.requestCount()).isZero();
    }

    @Test
    void listsAndFindsSessionsFromTheStore() {
        assertThat(admin.listSessions(new SessionQuery(Optional.empty(), Optional.of("primary"), Optional.empty(), 10)).sessions())
                .extracting(s -> s.id().value()).containsExactlyInAnyOrder("stateful", "stateless");
        assertThat(admin.listSessions(new SessionQuery(Optional.of("orph"), Optional.empty(), Optional.empty(), 10)).total()).isEqualTo(1);
        assertThat(admin.findSession(new ProxySessionId("orphan"))).hasValueSatisfying(s -> assertThat(s.upstream()).isEqualTo("removed"));
        assertThat(admin.findSession(new ProxySessionId("never-was"))).isEmpty();
    }
}
