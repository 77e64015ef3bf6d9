package io.mcprelay.adapter.storage.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.application.fixtures.MutableClock;
import io.mcprelay.domain.limit.RateLimit;
import io.mcprelay.domain.limit.TokenGrant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InMemoryRateLimitAdapterTest {

    private static final RateLimit THREE_PER_SECOND = RateLimit.of(3, Duration.ofSeconds(1));

    private final MutableClock clock = MutableClock.startingNow();
    private final InMemoryRateLimitAdapter buckets = new InMemoryRateLimitAdapter(clock);

    @Test
    void grantsTheBurstThenRefusesUntilTokensComeBack() {
        for (int i = 0; i < 3; i++) {
            assertThat(buckets.take("a", THREE_PER_SECOND, 1)).isEqualTo(TokenGrant.GRANTED);
        }
        TokenGrant refused = buckets.take("a", THREE_PER_SECOND, 1);
        assertThat(refused).isInstanceOf(TokenGrant.Denied.class);
        assertThat(((TokenGrant.Denied) refused).retryAfter()).isEqualTo(Duration.ofNanos(333_333_334));
        assertThat(buckets.take("b", THREE_PER_SECOND, 1)).as("another bucket is not touched").isEqualTo(TokenGrant.GRANTED);

        clock.advance(Duration.ofMillis(334));
        assertThat(buckets.take("a", THREE_PER_SECOND, 1)).isEqualTo(TokenGrant.GRANTED);
        assertThat(buckets.take("a", THREE_PER_SECOND, 1)).isInstanceOf(TokenGrant.Denied.class);
    }

    @Test
    void aChangedLimitStartsAFreshBucket() {
        buckets.take("a", THREE_PER_SECOND, 3);
        assertThat(buckets.take("a", THREE_PER_SECOND, 1)).isInstanceOf(TokenGrant.Denied.class);
        assertThat(buckets.take("a", RateLimit.of(4, Duration.ofSeconds(1)), 1)).isEqualTo(TokenGrant.GRANTED);
    }

    @Test
    void forgetsBucketsThatAreFullAgainOnceItHoldsMany() {
        for (int i = 0; i <= InMemoryRateLimitAdapter.SWEEP_AT; i++) {
            buckets.take("caller-" + i, THREE_PER_SECOND, 1);
        }
        assertThat(buckets.size()).as("all drawn from just now: none is full, none forgotten").isEqualTo(InMemoryRateLimitAdapter.SWEEP_AT + 1);
        clock.advance(Duration.ofSeconds(1));
        buckets.take("drained", THREE_PER_SECOND, 3);
        // that first sweep found nothing to forget, so the next waits until the map has doubled
        int later = 0;
        int before = buckets.size();
        while (buckets.size() >= before && later < 3 * InMemoryRateLimitAdapter.SWEEP_AT) {
            before = buckets.size();
            buckets.take("later-" + later++, THREE_PER_SECOND, 1);
        }
        assertThat(before).as("the map doubled before the next sweep").isGreaterThanOrEqualTo(2 * InMemoryRateLimitAdapter.SWEEP_AT);
        assertThat(buckets.size()).as("the refilled buckets went; those drawn from since stayed").isEqualTo(later + 1);
        assertThat(buckets.take("drained", THREE_PER_SECOND, 1)).as("a bucket still in use is kept").isInstanceOf(TokenGrant.Denied.class);
    }

    @Test
    void concurrentCallersNeverGetMoreThanTheBurst() throws InterruptedException {
        RateLimit hundredPerHour = RateLimit.of(100, Duration.ofHours(1));
        AtomicInteger granted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 50; i++) {
                    if (buckets.take("shared", hundredPerHour, 1) == TokenGrant.GRANTED) {
                        granted.incrementAndGet();
                    }
                }
            }));
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(granted.get()).isEqualTo(100);
    }
}
