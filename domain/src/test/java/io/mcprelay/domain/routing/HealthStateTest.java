package io.mcprelay.domain.routing;

import static io.mcprelay.domain.routing.UpstreamHealth.HEALTHY;
import static io.mcprelay.domain.routing.UpstreamHealth.UNHEALTHY;
import static io.mcprelay.domain.routing.UpstreamHealth.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HealthStateTest {

    private static final HealthCheckPolicy DEFAULTS = HealthCheckPolicy.defaults();
    private static final HealthCheckPolicy THREE_UP_THREE_DOWN =
            new HealthCheckPolicy(Duration.ofSeconds(10), Duration.ofSeconds(2), 3, 3);

    @Test
    void startsUnknownAndEligible() {
        HealthState state = HealthState.unknown(DEFAULTS);

        assertThat(state.health()).isEqualTo(UNKNOWN);
        assertThat(state.health().admitsNewSessions()).isTrue();
        assertThat(state.consecutiveSuccesses()).isZero();
        assertThat(state.consecutiveFailures()).isZero();
    }

    @Test
    void oneSuccessfulProbeMakesUnknownHealthyByDefault() {
        assertThat(HealthState.unknown(DEFAULTS).afterProbe(true).health()).isEqualTo(HEALTHY);
    }

    @Test
    void oneFailedProbeLeavesUnknownUnknownByDefault() {
        assertThat(HealthState.unknown(DEFAULTS).afterProbe(false).health()).isEqualTo(UNKNOWN);
    }

    @Test
    void twoFailedProbesInARowMakeAnUpstreamUnhealthyByDefault() {
        HealthState healthy = HealthState.unknown(DEFAULTS).afterProbe(true);

        HealthState once = healthy.afterProbe(false);
        HealthState twice = once.afterProbe(false);

        assertThat(once.health()).isEqualTo(HEALTHY);
        assertThat(twice.health()).isEqualTo(UNHEALTHY);
        assertThat(twice.health().admitsNewSessions()).isFalse();
        assertThat(HealthState.unknown(DEFAULTS).afterProbe(false).afterProbe(false).health()).isEqualTo(UNHEALTHY);
    }

    @Test
    void successInBetweenResetsTheFailureRun() {
        HealthState state = HealthState.unknown(DEFAULTS).afterProbe(true)
                .afterProbe(false).afterProbe(true).afterProbe(false);

        assertThat(state.health()).isEqualTo(HEALTHY);
        assertThat(state.consecutiveFailures()).isEqualTo(1);
        assertThat(state.consecutiveSuccesses()).isZero();
    }

    @Test
    void oneSuccessfulProbeMakesUnhealthyHealthyAgainByDefault() {
        HealthState unhealthy = HealthState.unknown(DEFAULTS).afterProbe(false).afterProbe(false);

        assertThat(unhealthy.afterProbe(true).health()).isEqualTo(HEALTHY);
    }

    @Test
    void recoveryNeedsHealthyAfterSuccessesInARow() {
        HealthState unhealthy = HealthState.unknown(THREE_UP_THREE_DOWN).afterProbe(false).afterProbe(false).afterProbe(false);

        assertThat(unhealthy.health()).isEqualTo(UNHEALTHY);
        assertThat(unhealthy.afterProbe(true).health()).isEqualTo(UNHEALTHY);
        assertThat(unhealthy.afterProbe(true).afterProbe(true).health()).isEqualTo(UNHEALTHY);
        assertThat(unhealthy.afterProbe(true).afterProbe(true).afterProbe(false).afterProbe(true).health()).isEqualTo(UNHEALTHY);
        assertThat(unhealthy.afterProbe(true).afterProbe(true).afterProbe(true).health()).isEqualTo(HEALTHY);
    }

    @Test
    void runsStopCountingAtIntMax() {
        HealthState longRun = new HealthState(DEFAULTS, UNHEALTHY, 0, Integer.MAX_VALUE);

        assertThat(longRun.afterProbe(false).consecutiveFailures()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void refusesInconsistentRuns() {
        assertThatThrownBy(() -> new HealthState(DEFAULTS, HEALTHY, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HealthState(DEFAULTS, HEALTHY, -1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HealthState(DEFAULTS, null, 0, 0)).isInstanceOf(NullPointerException.class);
    }
}
