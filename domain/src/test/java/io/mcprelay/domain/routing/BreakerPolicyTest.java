package io.mcprelay.domain.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BreakerPolicyTest {

    @Test
    void defaultsToFiveFailuresThirtySecondsOneTrial() {
        assertThat(BreakerPolicy.defaults()).isEqualTo(new BreakerPolicy(5, Duration.ofSeconds(30), 1, 1));
    }

    @Test
    void refusesCountsBelowOne() {
        assertThatThrownBy(() -> new BreakerPolicy(0, Duration.ofSeconds(1), 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BreakerPolicy(1, Duration.ofSeconds(1), 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BreakerPolicy(1, Duration.ofSeconds(1), 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesOpenDurationThatIsNotPositive() {
        assertThatThrownBy(() -> new BreakerPolicy(1, Duration.ZERO, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BreakerPolicy(1, Duration.ofSeconds(-1), 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BreakerPolicy(1, null, 1, 1)).isInstanceOf(NullPointerException.class);
    }
}
