package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.UpstreamReplies.eventStream;
import static io.mcprelay.application.fixtures.UpstreamReplies.failed;
import static io.mcprelay.application.fixtures.UpstreamCalls.to;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.fixtures.MutableClock;
import io.mcprelay.application.fixtures.ScriptedEventSource;
import io.mcprelay.application.fixtures.ScriptedUpstream;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.application.port.out.UpstreamStatus;
import io.mcprelay.domain.routing.BreakerPolicy;
import io.mcprelay.domain.routing.HealthCheckPolicy;
import io.mcprelay.domain.routing.SelectionStrategy;
import io.mcprelay.domain.routing.UpstreamSpec;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the admin view reports of an upstream: its breaker through a trial, and a bounded list of recent errors. */
class UpstreamStatusTest {

    private static final UpstreamTarget A = new UpstreamTarget("a", URI.create("http://a.test/mcp"));
    private static final HealthCheckPolicy HEALTH = new HealthCheckPolicy(Duration.ofSeconds(10), Duration.ofSeconds(2), 2, 1);

    private final MutableClock clock = MutableClock.startingNow();
    private final ScriptedUpstream upstream = new ScriptedUpstream();

    @Test
    void keepsTheTwentyNewestErrorsNewestFirst() {
        UpstreamCatalog catalog = catalog(new BreakerPolicy(100, Duration.ofSeconds(30), 1, 1));
        GuardedUpstream guarded = new GuardedUpstream(upstream, catalog);
        for (int i = 0; i < 25; i++) {
            upstream.thenAnswer(failed(500 + i % 3, "text/plain", ""));
            guarded.send(to(A));
            clock.advance(Duration.ofSeconds(1));
        }

        List<UpstreamStatus.RecentError> errors = status(catalog).recentErrors();

        assertThat(errors).hasSize(20);
        assertThat(errors.getFirst().at()).isEqualTo(clock.now().minusSeconds(1));
        assertThat(errors.getLast().at()).isEqualTo(clock.now().minusSeconds(20));
    }

    @Test
    void showsTheBreakerOpenThenHalfOpenThroughItsTrialThenClosed() {
        UpstreamCatalog catalog = catalog(new BreakerPolicy(1, Duration.ofSeconds(30), 1, 1));
        GuardedUpstream guarded = new GuardedUpstream(upstream, catalog);
        upstream.thenAnswer(failed(502, "text/plain", ""));
        guarded.send(to(A));
        assertThat(status(catalog).breaker()).isEqualTo("OPEN");

        clock.advance(Duration.ofSeconds(31));
        assertThat(status(catalog).breaker()).as("a trial would be let through").isEqualTo("HALF_OPEN");

        upstream.thenAnswer(eventStream(ScriptedEventSource.ofData("{}")));
        UpstreamReply.Events trial = (UpstreamReply.Events) guarded.send(to(A));
        assertThat(status(catalog).breaker()).as("while the trial runs").isEqualTo("HALF_OPEN");
        assertThat(guarded.send(to(A))).as("one trial at a time").isInstanceOf(UpstreamReply.Unreachable.class);

        trial.events().close();
        assertThat(status(catalog).breaker()).isEqualTo("CLOSED");
    }

    private UpstreamCatalog catalog(BreakerPolicy breaker) {
        return new UpstreamCatalog(List.of(UpstreamSpec.of(A)), SelectionStrategy.ROUND_ROBIN, breaker, HEALTH, clock);
    }

    private static UpstreamStatus status(UpstreamCatalog catalog) {
        return catalog.status().getFirst();
    }
}
