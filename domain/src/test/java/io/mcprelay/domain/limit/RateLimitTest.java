package io.mcprelay.domain.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimitTest {

    @Test
    void describesItselfAsItIsConfigured() {
        assertThat(RateLimit.of(20, Duration.ofSeconds(1)).describe()).isEqualTo("20/1s");
        assertThat(new RateLimit(20, Duration.ofSeconds(1), 40).describe()).isEqualTo("20/1s,burst=40");
        assertThat(RateLimit.of(100, Duration.ofMinutes(1)).describe()).isEqualTo("100/1m");
        assertThat(RateLimit.of(5, Duration.ofMillis(250)).describe()).isEqualTo("5/250ms");
        assertThat(RateLimit.of(5, Duration.ofHours(2)).describe()).isEqualTo("5/2h");
        assertThat(RateLimit.of(5, Duration.ofDays(1)).describe()).isEqualTo("5/1d");
        assertThat(RateLimit.of(5, Duration.ofNanos(1_500_000)).describe()).isEqualTo("5/PT0.0015S");
    }

    @Test
    void refusesShapesThatCannotWork() {
        assertThatThrownBy(() -> RateLimit.of(0, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimit(1, Duration.ofSeconds(1), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RateLimit.of(1, Duration.ofNanos(10))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RateLimit.of(1, Duration.ofDays(2))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RateLimit.of(RateLimit.MAX_TOKENS + 1, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimit(1, Duration.ofSeconds(1), RateLimit.MAX_TOKENS + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
