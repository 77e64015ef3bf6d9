package io.mcprelay.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProbeLogTest {

    private final AtomicLong now = new AtomicLong();
    private final ProbeLog log = new ProbeLog(now::get);

    @Test
    void aDeadUpstreamIsLoggedWhenItDiesThenAtMostEveryFewMinutesThenWhenItRecovers() {
        assertThat(log.probed("a", true, "ok")).as("healthy is no news").isFalse();
        assertThat(log.probed("a", false, "refused")).as("it starts failing").isTrue();
        for (int probe = 0; probe < 20; probe++) {
            now.addAndGet(10_000_000_000L);
            assertThat(log.probed("a", false, "refused")).as("every 10 s for 200 s").isFalse();
        }
        now.addAndGet(ProbeLog.REPEAT.toNanos());
        assertThat(log.probed("a", false, "refused")).as("still failing, after the repeat interval").isTrue();
        assertThat(log.probed("a", false, "refused")).isFalse();
        assertThat(log.probed("a", true, "ok")).as("it recovers").isTrue();
        assertThat(log.probed("a", true, "ok")).isFalse();
    }

    @Test
    void upstreamsAreTrackedApartAndForgottenWhenNoLongerProbed() {
        assertThat(log.probed("a", false, "x")).isTrue();
        assertThat(log.probed("b", false, "x")).isTrue();
        log.retain(Set.of("b"));

        assertThat(log.probed("a", false, "x")).as("a is new again").isTrue();
        assertThat(log.probed("b", false, "x")).isFalse();
    }
}
