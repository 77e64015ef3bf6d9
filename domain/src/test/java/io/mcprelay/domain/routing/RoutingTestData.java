package io.mcprelay.domain.routing;

import java.net.URI;
import java.time.Instant;

/** Upstreams and instants shared by the routing tests. */
final class RoutingTestData {

    static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");

    static final UpstreamTarget A = target("a");
    static final UpstreamTarget B = target("b");
    static final UpstreamTarget C = target("c");

    private RoutingTestData() {
    }

    static UpstreamTarget target(String name) {
        return new UpstreamTarget(name, URI.create("http://" + name + ".internal:3001/mcp"));
    }

    /** An enabled, UNKNOWN, closed-breaker, idle candidate for {@code target} with {@code weight}. */
    static Candidate candidate(UpstreamTarget target, int weight) {
        return Candidate.of(new UpstreamSpec(target, weight, true));
    }

    static Candidate candidate(UpstreamTarget target) {
        return candidate(target, 1);
    }

    /** A breaker under the default policy, opened at {@code openedAt}. */
    static CircuitBreaker openBreaker(Instant openedAt) {
        return new CircuitBreaker(BreakerPolicy.defaults(), new BreakerState.Open(openedAt));
    }

    static SelectionInput at(long turn) {
        return new SelectionInput(T0, turn, 0.0);
    }
}
