package io.mcprelay.domain.routing;

import static io.mcprelay.domain.routing.RoutingTestData.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.domain.routing.BreakerDecision.Allowed;
import io.mcprelay.domain.routing.BreakerDecision.AllowedAsTrial;
import io.mcprelay.domain.routing.BreakerDecision.Refused;
import io.mcprelay.domain.routing.BreakerState.Closed;
import io.mcprelay.domain.routing.BreakerState.HalfOpen;
import io.mcprelay.domain.routing.BreakerState.Open;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CircuitBreakerTest {

    private static final Duration OPEN_FOR = Duration.ofSeconds(30);
    private static final Instant REOPENS = T0.plus(OPEN_FOR);
    /** Three failures open it; two trial successes close it; two trials at a time. */
    private static final BreakerPolicy POLICY = new BreakerPolicy(3, OPEN_FOR, 2, 2);

    private final CircuitBreaker closed = CircuitBreaker.closed(POLICY);

    @Test
    void startsClosedAndAllowsRequests() {
        BreakerDecision decision = closed.allowsRequest(T0);

        assertThat(closed.state()).isEqualTo(new Closed(0));
        assertThat(decision).isEqualTo(new Allowed(closed));
        assertThat(decision.allowed()).isTrue();
    }

    @Test
    void defaultBreakerUsesTheDefaultPolicy() {
        assertThat(CircuitBreaker.withDefaults()).isEqualTo(CircuitBreaker.closed(BreakerPolicy.defaults()));
    }

    @Test
    void opensAfterThresholdConsecutiveFailures() {
        CircuitBreaker twice = closed.onFailure(T0.minusSeconds(2)).onFailure(T0.minusSeconds(1));
        CircuitBreaker thrice = twice.onFailure(T0);

        assertThat(twice.state()).isEqualTo(new Closed(2));
        assertThat(twice.allowsRequest(T0).allowed()).isTrue();
        assertThat(thrice.state()).isEqualTo(new Open(T0));
    }

    @Test
    void opensAfterFiveFailuresByDefault() {
        CircuitBreaker breaker = CircuitBreaker.withDefaults();
        for (int i = 0; i < 4; i++) {
            breaker = breaker.onFailure(T0);
        }

        assertThat(breaker.state()).isEqualTo(new Closed(4));
        assertThat(breaker.onFailure(T0).state()).isEqualTo(new Open(T0));
    }

    @Test
    void successWhileClosedResetsTheFailureCount() {
        CircuitBreaker breaker = closed.onFailure(T0).onFailure(T0).onSuccess(T0);

        assertThat(breaker.state()).isEqualTo(new Closed(0));
        assertThat(breaker.onFailure(T0).onFailure(T0).state()).isInstanceOf(Closed.class);
    }

    @Test
    void openRefusesUntilOpenDurationHasPassed() {
        CircuitBreaker open = opened();

        assertThat(open.allowsRequest(T0)).isEqualTo(new Refused(open));
        assertThat(open.allowsRequest(REOPENS.minusNanos(1))).isEqualTo(new Refused(open));
        assertThat(open.wouldAllow(REOPENS.minusNanos(1))).isFalse();
    }

    @Test
    void openBecomesHalfOpenWithOneTrialOnceOpenDurationHasPassed() {
        BreakerDecision decision = opened().allowsRequest(REOPENS);

        assertThat(decision).isInstanceOf(AllowedAsTrial.class);
        assertThat(decision.breaker().state()).isEqualTo(new HalfOpen(1, 0));
        assertThat(opened().allowsRequest(REOPENS.plus(Duration.ofHours(1))).breaker().state()).isEqualTo(new HalfOpen(1, 0));
    }

    @Test
    void openIgnoresLateResults() {
        CircuitBreaker open = opened();

        assertThat(open.onSuccess(T0.plusSeconds(1))).isEqualTo(open);
        assertThat(open.onFailure(T0.plusSeconds(1))).isEqualTo(open);
        assertThat(open.onAbandoned()).isEqualTo(open);
    }

    @Test
    void halfOpenAllowsOnlyMaxConcurrentTrials() {
        CircuitBreaker first = opened().allowsRequest(REOPENS).breaker();
        BreakerDecision second = first.allowsRequest(REOPENS);
        BreakerDecision third = second.breaker().allowsRequest(REOPENS);

        assertThat(second).isInstanceOf(AllowedAsTrial.class);
        assertThat(second.breaker().state()).isEqualTo(new HalfOpen(2, 0));
        assertThat(third).isEqualTo(new Refused(second.breaker()));
    }

    @Test
    void halfOpenAllowsOneTrialAtATimeByDefault() {
        CircuitBreaker halfOpen = new CircuitBreaker(BreakerPolicy.defaults(), new Open(T0)).allowsRequest(REOPENS).breaker();

        assertThat(halfOpen.allowsRequest(REOPENS)).isInstanceOf(Refused.class);
        assertThat(halfOpen.onSuccess(REOPENS).state()).isEqualTo(new Closed(0));
    }

    @Test
    void finishedTrialFreesItsSlot() {
        CircuitBreaker full = halfOpen(2, 0);
        CircuitBreaker afterSuccess = full.onSuccess(REOPENS);

        assertThat(afterSuccess.state()).isEqualTo(new HalfOpen(1, 1));
        assertThat(afterSuccess.allowsRequest(REOPENS)).isInstanceOf(AllowedAsTrial.class);
    }

    @Test
    void enoughTrialSuccessesClose() {
        CircuitBreaker closedAgain = halfOpen(2, 0).onSuccess(REOPENS).onSuccess(REOPENS);

        assertThat(closedAgain.state()).isEqualTo(new Closed(0));
        assertThat(closedAgain.allowsRequest(REOPENS)).isInstanceOf(Allowed.class);
    }

    @Test
    void trialFailureReopensFromThatInstant() {
        Instant failedAt = REOPENS.plusSeconds(5);
        CircuitBreaker reopened = halfOpen(1, 1).onFailure(failedAt);

        assertThat(reopened.state()).isEqualTo(new Open(failedAt));
        assertThat(reopened.allowsRequest(failedAt.plus(OPEN_FOR).minusNanos(1))).isInstanceOf(Refused.class);
        assertThat(reopened.allowsRequest(failedAt.plus(OPEN_FOR))).isInstanceOf(AllowedAsTrial.class);
    }

    @Test
    void abandonedTrialFreesItsSlotWithoutJudging() {
        CircuitBreaker full = halfOpen(2, 1);

        assertThat(full.onAbandoned().state()).isEqualTo(new HalfOpen(1, 1));
        assertThat(halfOpen(0, 1).onAbandoned().state()).isEqualTo(new HalfOpen(0, 1));
        assertThat(closed.onAbandoned()).isEqualTo(closed);
    }

    @ParameterizedTest
    @EnumSource(value = ExchangeOutcome.class, names = {"CONNECT_FAILURE", "TIMEOUT", "SERVER_ERROR"})
    void failingOutcomesCountTowardsOpening(ExchangeOutcome outcome) {
        CircuitBreaker breaker = closed.onOutcome(outcome, T0).onOutcome(outcome, T0).onOutcome(outcome, T0);

        assertThat(breaker.state()).isEqualTo(new Open(T0));
    }

    @ParameterizedTest
    @EnumSource(value = ExchangeOutcome.class, names = {"SUCCESS", "CLIENT_ERROR"})
    void successAndClientErrorResetTheFailureCount(ExchangeOutcome outcome) {
        CircuitBreaker breaker = closed.onFailure(T0).onFailure(T0).onOutcome(outcome, T0);

        assertThat(breaker.state()).isEqualTo(new Closed(0));
    }

    @Test
    void refusesStatesInconsistentWithThePolicy() {
        assertThatThrownBy(() -> new CircuitBreaker(POLICY, new Closed(3))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CircuitBreaker(POLICY, new HalfOpen(3, 0))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CircuitBreaker(POLICY, new HalfOpen(1, 2))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Closed(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HalfOpen(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Open(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void transitionsLeaveTheOriginalUntouched() {
        closed.onFailure(T0);
        closed.allowsRequest(T0);

        assertThat(closed.state()).isEqualTo(new Closed(0));
    }

    private CircuitBreaker opened() {
        return new CircuitBreaker(POLICY, new Open(T0));
    }

    private static CircuitBreaker halfOpen(int inFlight, int successes) {
        return new CircuitBreaker(POLICY, new HalfOpen(inFlight, successes));
    }
}
