package io.mcprelay.domain.routing;

import static io.mcprelay.domain.routing.RoutingTestData.A;
import static io.mcprelay.domain.routing.RoutingTestData.T0;
import static io.mcprelay.domain.routing.RoutingTestData.candidate;
import static io.mcprelay.domain.routing.RoutingTestData.openBreaker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CandidateTest {

    @Test
    void freshCandidateIsUnknownIdleClosedAndEligible() {
        Candidate fresh = Candidate.of(UpstreamSpec.of(A));

        assertThat(fresh.health()).isEqualTo(UpstreamHealth.UNKNOWN);
        assertThat(fresh.inFlight()).isZero();
        assertThat(fresh.breaker()).isEqualTo(CircuitBreaker.withDefaults());
        assertThat(fresh.target()).isEqualTo(A);
        assertThat(fresh.weight()).isEqualTo(1);
        assertThat(fresh.isEligible(T0)).isTrue();
    }

    @Test
    void healthyCandidateIsEligible() {
        assertThat(candidate(A).withHealth(UpstreamHealth.HEALTHY).isEligible(T0)).isTrue();
    }

    @Test
    void unhealthyCandidateIsNotEligible() {
        assertThat(candidate(A).withHealth(UpstreamHealth.UNHEALTHY).isEligible(T0)).isFalse();
    }

    @Test
    void disabledCandidateIsNotEligible() {
        Candidate disabled = Candidate.of(UpstreamSpec.of(A).withEnabled(false)).withHealth(UpstreamHealth.HEALTHY);

        assertThat(disabled.isEligible(T0)).isFalse();
    }

    @Test
    void candidateWithOpenBreakerIsEligibleOnlyOnceATrialWouldBeAllowed() {
        Candidate open = candidate(A).withBreaker(openBreaker(T0));

        assertThat(open.isEligible(T0.plusSeconds(29))).isFalse();
        assertThat(open.isEligible(T0.plus(BreakerPolicy.DEFAULT_OPEN_DURATION))).isTrue();
    }

    @Test
    void candidateWithAllTrialSlotsTakenIsNotEligible() {
        CircuitBreaker full = new CircuitBreaker(BreakerPolicy.defaults(), new BreakerState.HalfOpen(1, 0));

        assertThat(candidate(A).withBreaker(full).isEligible(T0)).isFalse();
        assertThat(candidate(A).withBreaker(full.onAbandoned()).isEligible(T0)).isTrue();
    }

    @Test
    void loadDoesNotAffectEligibility() {
        assertThat(candidate(A).withInFlight(10_000).isEligible(T0.plus(Duration.ofDays(1)))).isTrue();
    }

    @Test
    void refusesNegativeInFlightAndMissingParts() {
        assertThatThrownBy(() -> candidate(A).withInFlight(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> candidate(A).withHealth(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> candidate(A).withBreaker(null)).isInstanceOf(NullPointerException.class);
    }
}
