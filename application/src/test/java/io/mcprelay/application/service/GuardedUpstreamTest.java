package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.UpstreamReplies.accepted;
import static io.mcprelay.application.fixtures.UpstreamReplies.eventStream;
import static io.mcprelay.application.fixtures.UpstreamReplies.refused;
import static io.mcprelay.application.fixtures.UpstreamReplies.refusedWith;
import static io.mcprelay.application.fixtures.UpstreamReplies.unreachable;
import static io.mcprelay.application.fixtures.UpstreamCalls.to;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.fixtures.MutableClock;
import io.mcprelay.application.fixtures.ScriptedEventSource;
import io.mcprelay.application.fixtures.ScriptedUpstream;
import io.mcprelay.application.port.out.UpstreamProbePort;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.application.port.out.upstream.UpstreamReply.Unreachable.Cause;
import io.mcprelay.application.port.out.UpstreamStatus;
import io.mcprelay.domain.routing.BreakerPolicy;
import io.mcprelay.domain.routing.HealthCheckPolicy;
import io.mcprelay.domain.routing.SelectionStrategy;
import io.mcprelay.domain.routing.UpstreamHealth;
import io.mcprelay.domain.routing.UpstreamSpec;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GuardedUpstreamTest {

    private static final UpstreamTarget A = new UpstreamTarget("a", URI.create("http://a.test/mcp"));
    private static final UpstreamTarget B = new UpstreamTarget("b", URI.create("http://b.test/mcp"));
    private static final BreakerPolicy BREAKER = new BreakerPolicy(3, Duration.ofSeconds(30), 1, 1);
    private static final HealthCheckPolicy HEALTH = new HealthCheckPolicy(Duration.ofSeconds(10), Duration.ofSeconds(2), 2, 1);

    private final MutableClock clock = MutableClock.startingNow();
    private final UpstreamCatalog catalog = new UpstreamCatalog(List.of(UpstreamSpec.of(A), UpstreamSpec.of(B)),
            SelectionStrategy.ROUND_ROBIN, BREAKER, HEALTH, clock);
    private final ScriptedUpstream upstream = new ScriptedUpstream();
    private final GuardedUpstream guarded = new GuardedUpstream(upstream, catalog);

    private UpstreamStatus status(String name) {
        return catalog.status().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void consecutiveFailuresOpenTheBreakerAndThenRequestsAreRefusedWithoutBeingSent() {
        for (int i = 0; i < 3; i++) {
            upstream.thenAnswer(unreachable(Cause.CONNECT));
            guarded.send(to(A));
        }

        UpstreamReply refused = guarded.send(to(A));

        assertThat(refused).isInstanceOfSatisfying(UpstreamReply.Unreachable.class, u -> {
            assertThat(u.cause()).isEqualTo(Cause.CONNECT);
            assertThat(u.detail()).contains("circuit open");
        });
        assertThat(upstream.requestCount()).isEqualTo(3);
        assertThat(status("a").breaker()).isEqualTo("OPEN");
        assertThat(status("a").recentErrors()).isNotEmpty();
    }

    @Test
    void listeningResumingAndEndingPassTheBreakerToo() {
        for (int i = 0; i < 3; i++) {
            upstream.thenAnswer(unreachable(Cause.CONNECT));
            guarded.send(to(A));
        }
        io.mcprelay.application.port.out.upstream.UpstreamSession session = to(A).session();

        assertThat(List.of(guarded.listen(session), guarded.resume(session, "c-1", io.mcprelay.application.port.out.upstream.UpstreamPort.Budget.REQUEST),
                guarded.end(session))).allSatisfy(reply -> assertThat(reply).isInstanceOfSatisfying(UpstreamReply.Unreachable.class,
                        u -> assertThat(u.detail()).contains("circuit open")));
        assertThat(upstream.requestCount()).as("none of them sent").isEqualTo(3);
    }

    @Test
    void anOpenUpstreamGetsNoNewSessionsUntilItsBreakerLetsATrialThrough() {
        for (int i = 0; i < 3; i++) {
            upstream.thenAnswer(refused(503, "HTTP 503"));
            guarded.send(to(A));
        }

        assertThat(List.of(catalog.pickForNewSession(), catalog.pickForNewSession(), catalog.pickForNewSession()))
                .containsOnly(Optional.of(B));

        clock.advance(Duration.ofSeconds(31));
        upstream.thenAnswer(accepted());
        guarded.send(to(A));
        assertThat(status("a").breaker()).isEqualTo("CLOSED");
        assertThat(List.of(catalog.pickForNewSession(), catalog.pickForNewSession())).contains(Optional.of(A));
    }

    @Test
    void aHalfOpenTrialAnsweredWithANumberThatIsNoStatusIsFinishedAndTheBreakerTriesAgainLater() {
        for (int i = 0; i < 3; i++) {
            upstream.thenAnswer(refused(503, "HTTP 503"));
            guarded.send(to(A));
        }
        clock.advance(Duration.ofSeconds(31));
        upstream.thenAnswer(refused(600, "HTTP 600"));

        assertThat(guarded.send(to(A))).isInstanceOf(UpstreamReply.Refused.class);

        // the trial counted as a failure and is no longer in flight: the breaker opened again, not half-open for ever
        assertThat(status("a").inFlight()).isZero();
        assertThat(status("a").breaker()).isEqualTo("OPEN");
        clock.advance(Duration.ofSeconds(31));
        upstream.thenAnswer(accepted());
        assertThat(guarded.send(to(A))).isInstanceOf(UpstreamReply.Accepted.class);
        assertThat(status("a").breaker()).isEqualTo("CLOSED");
    }

    @Test
    void anExchangeThatThrowsIsFinishedAsAConnectFailure() {
        upstream.thenAnswer(request -> {
            throw new IllegalStateException("adapter bug");
        });

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> guarded.send(to(A))).isInstanceOf(IllegalStateException.class);

        assertThat(status("a").inFlight()).isZero();
        assertThat(status("a").recentErrors()).isNotEmpty();
    }

    @Test
    void clientErrorsDoNotCountAgainstAnUpstream() {
        for (int i = 0; i < 10; i++) {
            upstream.thenAnswer(refusedWith(404, "{}"));
            guarded.send(to(A));
        }

        assertThat(status("a").breaker()).isEqualTo("CLOSED");
    }

    @Test
    void anEventStreamIsInFlightUntilItIsClosed() {
        upstream.thenAnswer(eventStream(ScriptedEventSource.ofData("{}")));

        UpstreamReply.Events stream = (UpstreamReply.Events) guarded.send(to(A));
        assertThat(status("a").inFlight()).isEqualTo(1);
        stream.close();
        stream.close();

        assertThat(status("a").inFlight()).isZero();
    }

    @Test
    void anEventStreamWhoseCloseFailsIsStillFinished() {
        upstream.thenAnswer(new UpstreamReply.Events(new io.mcprelay.application.port.out.upstream.UpstreamEvents() {
            @Override
            public Read next() {
                return new Read.End();
            }

            @Override
            public void close() {
                throw new IllegalStateException("close failed");
            }
        }, Optional.empty(), io.mcprelay.application.port.out.upstream.TransportEcho.NONE));

        UpstreamReply.Events stream = (UpstreamReply.Events) guarded.send(to(A));
        org.assertj.core.api.Assertions.assertThatThrownBy(stream::close).isInstanceOf(IllegalStateException.class);

        assertThat(status("a").inFlight()).isZero();
    }

    @Test
    void unhealthyUpstreamsGetNoNewSessionsAndComeBackWhenProbesPass() {
        Map<String, Boolean> healthy = new HashMap<>(Map.of("a", false, "b", true));
        UpstreamProbePort probe = (target, timeout) -> new UpstreamProbePort.Result(healthy.get(target.name()), "probe");
        HealthProbeService probes = new HealthProbeService(probe, catalog, HEALTH);

        probes.probeAll();
        assertThat(status("a").health()).as("one failed probe is not yet a verdict").isEqualTo(UpstreamHealth.UNKNOWN);
        probes.probeAll();
        assertThat(status("a").health()).isEqualTo(UpstreamHealth.UNHEALTHY);
        assertThat(List.of(catalog.pickForNewSession(), catalog.pickForNewSession(), catalog.pickForNewSession()))
                .containsOnly(Optional.of(B));

        healthy.put("a", true);
        probes.probeAll();
        assertThat(status("a").health()).isEqualTo(UpstreamHealth.HEALTHY);
        assertThat(List.of(catalog.pickForNewSession(), catalog.pickForNewSession())).contains(Optional.of(A));
    }

    @Test
    void noEligibleUpstreamMeansNoPick() {
        UpstreamProbePort down = (target, timeout) -> new UpstreamProbePort.Result(false, "connection refused");
        HealthProbeService probes = new HealthProbeService(down, catalog, HEALTH);
        probes.probeAll();
        probes.probeAll();

        assertThat(catalog.pickForNewSession()).isEmpty();
    }

    @Test
    void weightedSelectionSpreadsNewSessionsByWeight() {
        UpstreamCatalog weighted = new UpstreamCatalog(List.of(UpstreamSpec.of(A), UpstreamSpec.of(B).withWeight(3)),
                SelectionStrategy.WEIGHTED_ROUND_ROBIN, BREAKER, HEALTH, clock);
        Map<String, Integer> picks = new HashMap<>();
        for (int i = 0; i < 400; i++) {
            weighted.pickForNewSession().ifPresent(t -> picks.merge(t.name(), 1, Integer::sum));
        }

        assertThat(picks).containsEntry("a", 100).containsEntry("b", 300);
    }
}
