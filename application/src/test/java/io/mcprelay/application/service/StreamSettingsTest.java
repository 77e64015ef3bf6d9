package io.mcprelay.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StreamSettingsTest {

    private static final Duration SECOND = Duration.ofSeconds(1);

    @Test
    void defaultsAreTheDocumentedOnes() {
        StreamSettings defaults = StreamSettings.defaults();

        assertThat(defaults).isEqualTo(new StreamSettings(Duration.ofSeconds(15), Duration.ofSeconds(60), 256, Duration.ofSeconds(2)));
        assertThat(defaults.renewEvery()).as("per-stream renewals do not follow the short instance lease").isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.followerHold()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void refusesALeaseShorterThan300Milliseconds() {
        assertThatIllegalArgumentException().isThrownBy(() -> new StreamSettings(SECOND, SECOND, 1, Duration.ofMillis(299)))
                .withMessage("the owner lease must be at least 300 ms");
        StreamSettings shortest = new StreamSettings(SECOND, SECOND, 1, Duration.ofMillis(300));
        assertThat(shortest.followerHold()).as("15 leases while under 30 s").isEqualTo(Duration.ofMillis(4_500));
        assertThat(shortest.renewEvery()).isEqualTo(Duration.ofMillis(1_500));
        assertThat(new StreamSettings(SECOND, SECOND, 1, Duration.ofMinutes(1)).followerHold()).isEqualTo(Duration.ofSeconds(30));
        StreamSettings justUnder = new StreamSettings(SECOND, SECOND, 1, Duration.ofNanos(1_999_999_999));
        assertThat(justUnder.followerHold()).as("just under the longest hold").isEqualTo(Duration.ofNanos(29_999_999_985L));
        assertThat(justUnder.renewEvery()).as("rounded down to the nanosecond").isEqualTo(Duration.ofNanos(9_999_999_995L));
    }

    @Test
    void refusesAHeartbeatThatIsNotPositiveANegativeGraceAndAnEmptyReplayBatch() {
        assertThatIllegalArgumentException().isThrownBy(() -> new StreamSettings(Duration.ZERO, SECOND, 1));
        assertThatIllegalArgumentException().isThrownBy(() -> new StreamSettings(Duration.ofMillis(-1), SECOND, 1));
        assertThatIllegalArgumentException().isThrownBy(() -> new StreamSettings(SECOND, Duration.ofMillis(-1), 1));
        assertThatIllegalArgumentException().isThrownBy(() -> new StreamSettings(SECOND, SECOND, 0))
                .withMessageContaining("replay batch at least 1");
        assertThat(new StreamSettings(SECOND, Duration.ZERO, 1).disconnectGrace()).as("no grace is allowed").isZero();
    }
}
