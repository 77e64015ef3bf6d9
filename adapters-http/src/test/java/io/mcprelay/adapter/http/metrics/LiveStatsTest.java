package io.mcprelay.adapter.http.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.mcprelay.adapter.http.metrics.LiveStats.Second;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LiveStatsTest {

    private static final long T0 = 1_800_000_000L;

    private final AtomicLong now = new AtomicLong(T0);
    private final LiveStats stats = new LiveStats(now::get);

    @Test
    void countsMessagesErrorsAndLatencyPerSecond() {
        stats.record(false, Duration.ofMillis(10));
        stats.record(true, Duration.ofMillis(30));
        now.incrementAndGet();
        stats.record(false, Duration.ofMillis(4));
        now.incrementAndGet();

        assertThat(stats.lastSeconds(3)).containsExactly(
                new Second(T0 - 1, 0, 0, 0, 0),
                new Second(T0, 2, 1, 20.0, 30.0),
                new Second(T0 + 1, 1, 0, 4.0, 4.0));
    }

    @Test
    void theCurrentSecondIsLeftOutUntilItIsComplete() {
        stats.record(false, Duration.ofMillis(1));

        assertThat(stats.lastSeconds(1)).containsExactly(new Second(T0 - 1, 0, 0, 0, 0));
        assertThat(stats.requestsPerSecond(10)).isZero();

        now.incrementAndGet();

        assertThat(stats.lastSeconds(1)).containsExactly(new Second(T0, 1, 0, 1.0, 1.0));
    }

    @Test
    void ratesCoverTheWindow() {
        for (int second = 0; second < 10; second++) {
            for (int i = 0; i < 4; i++) {
                stats.record(i == 0, Duration.ofMillis(5));
            }
            now.incrementAndGet();
        }

        assertThat(stats.requestsPerSecond(10)).isEqualTo(4.0);
        assertThat(stats.requestsPerSecond(20)).isEqualTo(2.0);
        assertThat(stats.errorRate(10)).isCloseTo(0.25, within(1e-9));
        assertThat(stats.errorRate(20)).isCloseTo(0.25, within(1e-9));
    }

    @Test
    void errorRateIsZeroWithoutMessages() {
        now.addAndGet(5);

        assertThat(stats.errorRate(LiveStats.WINDOW_SECONDS)).isZero();
        assertThat(stats.requestsPerSecond(LiveStats.WINDOW_SECONDS)).isZero();
    }

    @Test
    void bucketsRollOverOnceTheirSecondLeavesTheWindow() {
        stats.record(true, Duration.ofMillis(100));
        now.incrementAndGet();

        assertThat(stats.lastSeconds(LiveStats.WINDOW_SECONDS).getLast()).isEqualTo(new Second(T0, 1, 1, 100.0, 100.0));

        // ten minutes later the bucket of T0 serves a new second: the old counts must not leak into it
        now.set(T0 + LiveStats.WINDOW_SECONDS + 1);
        stats.record(false, Duration.ofMillis(2));
        now.incrementAndGet();

        List<Second> window = stats.lastSeconds(LiveStats.WINDOW_SECONDS);
        assertThat(window).hasSize(LiveStats.WINDOW_SECONDS);
        assertThat(window.getFirst().epochSecond()).isEqualTo(T0 + 2);
        assertThat(window.getLast()).isEqualTo(new Second(T0 + LiveStats.WINDOW_SECONDS + 1, 1, 0, 2.0, 2.0));
        assertThat(window.stream().mapToLong(Second::count).sum()).isEqualTo(1);
        assertThat(stats.errorRate(LiveStats.WINDOW_SECONDS)).isZero();
    }

    @Test
    void aSecondSkippedOverReadsAsEmptyEvenIfItsBucketHoldsAnOlderSecond() {
        stats.record(false, Duration.ofMillis(1));
        now.set(T0 + LiveStats.WINDOW_SECONDS + 2);

        // T0's bucket is for T0 + 601 now, which had no messages: it must read as empty
        assertThat(stats.lastSeconds(1)).containsExactly(new Second(T0 + LiveStats.WINDOW_SECONDS + 1, 0, 0, 0, 0));
        assertThat(stats.requestsPerSecond(LiveStats.WINDOW_SECONDS)).isZero();
    }

    @Test
    void aRecordFromBeforeTheWindowIsDropped() {
        now.set(T0 + LiveStats.WINDOW_SECONDS + 1);
        stats.record(false, Duration.ofMillis(1));
        now.set(T0);
        stats.record(true, Duration.ofMillis(1));
        now.set(T0 + LiveStats.WINDOW_SECONDS + 2);

        assertThat(stats.lastSeconds(1)).containsExactly(new Second(T0 + LiveStats.WINDOW_SECONDS + 1, 1, 0, 1.0, 1.0));
    }

    @Test
    void refusesWindowsOutsideTheTenMinutes() {
        assertThatThrownBy(() -> stats.lastSeconds(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> stats.lastSeconds(LiveStats.WINDOW_SECONDS + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> stats.requestsPerSecond(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> stats.errorRate(601)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void countsEveryRecordFromManyThreads() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 1_000; i++) {
                    stats.record(i % 10 == 0, Duration.ofMillis(1));
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        now.incrementAndGet();

        assertThat(stats.lastSeconds(1)).containsExactly(new Second(T0, 8_000, 800, 1.0, 1.0));
    }

    @Test
    void negativeLatencyCountsAsZero() {
        stats.record(false, Duration.ofMillis(-5));
        now.incrementAndGet();

        assertThat(stats.lastSeconds(1)).containsExactly(new Second(T0, 1, 0, 0.0, 0.0));
    }
}
