package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.UpstreamReplies.accepted;
import static io.mcprelay.application.fixtures.UpstreamReplies.eventStream;
import static io.mcprelay.application.fixtures.UpstreamReplies.json;
import static io.mcprelay.application.fixtures.UpstreamReplies.noStream;
import static io.mcprelay.application.fixtures.UpstreamReplies.passthrough;
import static io.mcprelay.application.fixtures.UpstreamReplies.refused;
import static io.mcprelay.application.fixtures.UpstreamReplies.sessionGone;
import static io.mcprelay.application.fixtures.UpstreamReplies.unreachable;
import static io.mcprelay.application.fixtures.UpstreamCalls.to;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.mcprelay.application.fixtures.MutableClock;
import io.mcprelay.application.fixtures.ScriptedEventSource;
import io.mcprelay.application.fixtures.ScriptedUpstream;
import io.mcprelay.application.fixtures.UpstreamCalls;
import io.mcprelay.application.port.out.upstream.UpstreamEvents;
import io.mcprelay.application.port.out.upstream.UpstreamPort;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.application.port.out.upstream.UpstreamReply.Unreachable.Cause;
import io.mcprelay.application.port.out.UpstreamStatus;
import io.mcprelay.domain.routing.BreakerPolicy;
import io.mcprelay.domain.routing.ExchangeOutcome;
import io.mcprelay.domain.routing.HealthCheckPolicy;
import io.mcprelay.domain.routing.SelectionStrategy;
import io.mcprelay.domain.routing.UpstreamSpec;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What each kind of upstream answer counts as for the circuit breaker, and how an exception is counted. */
class GuardedUpstreamOutcomesTest {

    private static final UpstreamTarget A = new UpstreamTarget("a", URI.create("http://a.test/mcp"));
    private static final BreakerPolicy BREAKER = new BreakerPolicy(2, Duration.ofSeconds(30), 1, 1);
    private static final HealthCheckPolicy HEALTH = new HealthCheckPolicy(Duration.ofSeconds(10), Duration.ofSeconds(2), 2, 1);

    private final MutableClock clock = MutableClock.startingNow();
    private final UpstreamCatalog catalog = new UpstreamCatalog(List.of(UpstreamSpec.of(A)),
            SelectionStrategy.ROUND_ROBIN, BREAKER, HEALTH, clock);
    private final ScriptedUpstream upstream = new ScriptedUpstream();
    private final GuardedUpstream guarded = new GuardedUpstream(upstream, catalog);

    @Test
    void classifiesEachAnswer() {
        assertThat(GuardedUpstream.outcomeOf(unreachable(Cause.CONNECT))).isEqualTo(ExchangeOutcome.CONNECT_FAILURE);
        assertThat(GuardedUpstream.outcomeOf(unreachable(Cause.TIMEOUT))).isEqualTo(ExchangeOutcome.TIMEOUT);
        assertThat(GuardedUpstream.outcomeOf(unreachable(Cause.DROPPED))).isEqualTo(ExchangeOutcome.SERVER_ERROR);
        assertThat(GuardedUpstream.outcomeOf(unreachable(Cause.PROTOCOL))).isEqualTo(ExchangeOutcome.SERVER_ERROR);
        assertThat(GuardedUpstream.outcomeOf(unreachable(Cause.SATURATED))).as("our own pool was full: not the upstream's fault")
                .isEqualTo(ExchangeOutcome.SUCCESS);
        assertThat(GuardedUpstream.outcomeOf(refused(503, "HTTP 503"))).isEqualTo(ExchangeOutcome.SERVER_ERROR);
        assertThat(GuardedUpstream.outcomeOf(refused(403, "HTTP 403"))).as("a judgement on the request").isEqualTo(ExchangeOutcome.CLIENT_ERROR);
        assertThat(GuardedUpstream.outcomeOf(sessionGone())).isEqualTo(ExchangeOutcome.CLIENT_ERROR);
        assertThat(GuardedUpstream.outcomeOf(noStream())).isEqualTo(ExchangeOutcome.CLIENT_ERROR);
        assertThat(GuardedUpstream.outcomeOf(accepted())).isEqualTo(ExchangeOutcome.SUCCESS);
        assertThat(GuardedUpstream.outcomeOf(json("{}"))).isEqualTo(ExchangeOutcome.SUCCESS);
        assertThat(GuardedUpstream.outcomeOf(eventStream(ScriptedEventSource.ofData("{}")))).isEqualTo(ExchangeOutcome.SUCCESS);
        assertThat(GuardedUpstream.outcomeOf(passthrough("text/plain", "x"))).isEqualTo(ExchangeOutcome.SUCCESS);
    }

    @Test
    void timeoutsAndGarbledAnswersOpenTheBreakerButAFullPoolDoesNot() {
        upstream.thenAnswer(unreachable(Cause.SATURATED)).thenAnswer(unreachable(Cause.SATURATED)).thenAnswer(unreachable(Cause.SATURATED));
        for (int i = 0; i < 3; i++) {
            guarded.send(to(A));
        }
        assertThat(breaker()).isEqualTo("CLOSED");

        upstream.thenAnswer(unreachable(Cause.TIMEOUT)).thenAnswer(unreachable(Cause.PROTOCOL));
        guarded.send(to(A));
        guarded.send(to(A));

        assertThat(breaker()).isEqualTo("OPEN");
        assertThat(guarded.send(to(A))).isInstanceOf(UpstreamReply.Unreachable.class);
        assertThat(upstream.requestCount()).as("the open circuit sends nothing").isEqualTo(5);
    }

    @Test
    void anExceptionFromTheAdapterCountsAsAConnectFailureAndIsRethrown() {
        UpstreamPort throwing = UpstreamCalls.answering(() -> {
            throw new IllegalStateException("adapter bug");
        });
        GuardedUpstream guardedThrowing = new GuardedUpstream(throwing, catalog);

        assertThatIllegalStateException().isThrownBy(() -> guardedThrowing.send(to(A))).withMessage("adapter bug");
        assertThatIllegalStateException().isThrownBy(() -> guardedThrowing.send(to(A)));

        assertThat(breaker()).isEqualTo("OPEN");
        assertThat(catalog.status().getFirst().inFlight()).as("nothing left in flight").isZero();
    }

    @Test
    void anEventStreamReadsThroughToTheUpstreamSource() {
        upstream.thenAnswer(eventStream(ScriptedEventSource.ofData("{\"n\":1}")));

        UpstreamReply.Events stream = (UpstreamReply.Events) guarded.send(to(A));

        assertThat(stream.events().next()).isInstanceOfSatisfying(UpstreamEvents.Read.Event.class,
                e -> assertThat(e.event().data()).isEqualTo("{\"n\":1}"));
        assertThat(catalog.status().getFirst().inFlight()).as("in flight until closed").isEqualTo(1);
        stream.events().close();
        assertThat(catalog.status().getFirst().inFlight()).isZero();
    }

    @Test
    void anUpstreamMissingFromTheCatalogIsCalledButNotCounted() {
        UpstreamTarget removed = new UpstreamTarget("removed", URI.create("http://removed.test/mcp"));
        upstream.thenAnswer(refused(502, "HTTP 502")).thenAnswer(refused(502, "HTTP 502"));

        assertThat(guarded.send(to(removed))).isInstanceOf(UpstreamReply.Refused.class);
        assertThat(guarded.send(to(removed))).isInstanceOf(UpstreamReply.Refused.class);
        catalog.recordProbe("removed", false, "probe failed");

        assertThat(upstream.requests()).extracting(r -> r.target().name()).containsExactly("removed", "removed");
        assertThat(catalog.upstreamStatus()).extracting(UpstreamStatus::name).containsExactly("a");
        assertThat(breaker()).isEqualTo("CLOSED");
        assertThat(catalog.status().getFirst().recentErrors()).isEmpty();
    }

    private String breaker() {
        return catalog.status().getFirst().breaker();
    }
}
