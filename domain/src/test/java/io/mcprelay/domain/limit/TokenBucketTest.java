package io.mcprelay.domain.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The bucket arithmetic, on a clock the test moves by hand (nanoseconds, as the port passes them). */
class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;
    /** 10 per second, a burst of 10: one token each 100 ms. */
    private static final RateLimit TEN_PER_SECOND = RateLimit.of(10, Duration.ofSeconds(1));

    @Test
    void aFreshBucketGrantsItsBurstAtOnceThenRefuses() {
        long now = 5 * SECOND;
        TokenBucket bucket = TokenBucket.full(TEN_PER_SECOND, now);
        for (int i = 0; i < 10; i++) {
            TokenBucket.Draw draw = bucket.take(TEN_PER_SECOND, 1, now);
            assertThat(draw.grant()).as("request %d", i + 1).isEqualTo(TokenGrant.GRANTED);
            bucket = draw.bucket();
        }
        TokenBucket.Draw eleventh = bucket.take(TEN_PER_SECOND, 1, now);
        assertThat(eleventh.grant()).isInstanceOf(TokenGrant.Denied.class);
        assertThat(((TokenGrant.Denied) eleventh.grant()).retryAfter()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void tokensComeBackContinuouslyNotAllAtTheEndOfThePeriod() {
        TokenBucket empty = new TokenBucket(0, 0);
        assertThat(empty.take(TEN_PER_SECOND, 1, SECOND / 10 - 1).grant()).isInstanceOf(TokenGrant.Denied.class);
        TokenBucket.Draw after100ms = empty.take(TEN_PER_SECOND, 1, SECOND / 10);
        assertThat(after100ms.grant()).isEqualTo(TokenGrant.GRANTED);
        assertThat(after100ms.bucket().tokens()).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(empty.refilled(TEN_PER_SECOND, SECOND / 2).tokens()).isCloseTo(5, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void refillStopsAtTheBurst() {
        RateLimit burst3 = new RateLimit(1, Duration.ofSeconds(1), 3);
        TokenBucket bucket = new TokenBucket(0, 0).refilled(burst3, 3600 * SECOND);
        assertThat(bucket.tokens()).isEqualTo(3.0);
        assertThat(bucket.isFull(burst3, 3600 * SECOND)).isTrue();
        assertThat(new TokenBucket(2.5, 0).isFull(burst3, SECOND / 4)).isFalse();
        assertThat(new TokenBucket(2.5, 0).isFull(burst3, SECOND / 2)).isTrue();
    }

    @Test
    void theWaitIsForTheMissingTokensOnly() {
        RateLimit perMinute = RateLimit.of(60, Duration.ofMinutes(1));
        TokenBucket.Draw draw = new TokenBucket(0.25, 0).take(perMinute, 2, 0);
        assertThat(((TokenGrant.Denied) draw.grant()).retryAfter()).isEqualTo(Duration.ofMillis(1750));
        assertThat(((TokenGrant.Denied) draw.grant()).retryAfterSeconds()).isEqualTo(2);
        assertThat(draw.bucket().tokens()).as("a refusal takes nothing").isEqualTo(0.25);
    }

    @Test
    void aCostAboveTheBurstWaitsForAFullBucketNotForever() {
        RateLimit five = RateLimit.of(5, Duration.ofSeconds(10));
        TokenBucket.Draw draw = new TokenBucket(0, 0).take(five, 7, 0);
        assertThat(((TokenGrant.Denied) draw.grant()).retryAfter()).isEqualTo(Duration.ofSeconds(10));
        assertThat(five.timeToFill()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aClockGoingBackRefillsNothing() {
        TokenBucket bucket = new TokenBucket(1, 10 * SECOND);
        assertThat(bucket.refilled(TEN_PER_SECOND, 9 * SECOND)).isSameAs(bucket);
        TokenBucket.Draw draw = bucket.take(TEN_PER_SECOND, 1, 9 * SECOND);
        assertThat(draw.grant()).isEqualTo(TokenGrant.GRANTED);
        assertThat(draw.bucket().asOfNanos()).as("the later instant is kept").isEqualTo(10 * SECOND);
    }

    @Test
    void retryAfterSecondsRoundUpAndAreAtLeastOne() {
        assertThat(new TokenGrant.Denied(Duration.ofNanos(1)).retryAfterSeconds()).isEqualTo(1);
        assertThat(new TokenGrant.Denied(Duration.ZERO).retryAfterSeconds()).isEqualTo(1);
        assertThat(new TokenGrant.Denied(Duration.ofSeconds(3)).retryAfterSeconds()).isEqualTo(3);
        assertThat(new TokenGrant.Denied(Duration.ofMillis(3001)).retryAfterSeconds()).isEqualTo(4);
        assertThatThrownBy(() -> new TokenGrant.Denied(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new TokenBucket(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(Double.NaN, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokenBucket.full(TEN_PER_SECOND, 0).take(TEN_PER_SECOND, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
