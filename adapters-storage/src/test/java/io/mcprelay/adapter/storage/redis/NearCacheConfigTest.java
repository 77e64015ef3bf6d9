package io.mcprelay.adapter.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.domain.session.SessionPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NearCacheConfigTest {

    @Test
    void defaultsRenewEveryTenthOfTheTtlAtMostEveryFiveSeconds() {
        NearCacheConfig thirtyMinutes = NearCacheConfig.defaults(SessionPolicy.defaults());
        NearCacheConfig tenSeconds = NearCacheConfig.defaults(new SessionPolicy(Duration.ofSeconds(10)));

        assertThat(thirtyMinutes.enabled()).isTrue();
        assertThat(thirtyMinutes.maxEntries()).isEqualTo(10_000);
        assertThat(thirtyMinutes.renewalInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(tenSeconds.renewalInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void offRenewsOnEveryTouch() {
        assertThat(NearCacheConfig.off().enabled()).isFalse();
        assertThat(NearCacheConfig.off().renewalInterval()).isZero();
        assertThat(NearCacheConfig.defaults(SessionPolicy.defaults()).withRenewalInterval(Duration.ZERO).renewalInterval()).isZero();
    }

    @Test
    void rejectsNoEntriesAndANegativeInterval() {
        assertThatThrownBy(() -> new NearCacheConfig(true, 0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("maxEntries:");
        assertThatThrownBy(() -> new NearCacheConfig(true, 10, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("renewalInterval:");
    }
}
