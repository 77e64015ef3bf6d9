package io.mcprelay.domain.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HealthCheckPolicyTest {

    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

    @Test
    void defaultsToEveryTenSecondsWithTwoSecondTimeoutUnhealthyAfterTwoHealthyAfterOne() {
        assertThat(HealthCheckPolicy.defaults())
                .isEqualTo(new HealthCheckPolicy(TEN_SECONDS, Duration.ofSeconds(2), 2, 1));
    }

    @Test
    void refusesDurationsThatAreNotPositive() {
        assertThatThrownBy(() -> new HealthCheckPolicy(Duration.ZERO, Duration.ZERO, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HealthCheckPolicy(TEN_SECONDS, Duration.ZERO, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HealthCheckPolicy(TEN_SECONDS, Duration.ofSeconds(-1), 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HealthCheckPolicy(null, TEN_SECONDS, 1, 1)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void refusesTimeoutLongerThanInterval() {
        assertThatThrownBy(() -> new HealthCheckPolicy(TEN_SECONDS, Duration.ofSeconds(11), 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new HealthCheckPolicy(TEN_SECONDS, TEN_SECONDS, 1, 1).timeout()).isEqualTo(TEN_SECONDS);
    }

    @Test
    void refusesThresholdsBelowOne() {
        assertThatThrownBy(() -> new HealthCheckPolicy(TEN_SECONDS, TEN_SECONDS, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HealthCheckPolicy(TEN_SECONDS, TEN_SECONDS, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
