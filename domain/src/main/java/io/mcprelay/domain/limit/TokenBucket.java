package io.mcprelay.domain.limit;

import java.time.Duration;
import java.util.Objects;

/**
 * The state of one token bucket at one instant, and its arithmetic. Time is a number of nanoseconds
 * on whatever monotonic scale the caller reads (the domain reads no clock); only differences matter.
 * A clock that goes back refills nothing. Immutable: taking tokens gives a new bucket.
 *
 * @param tokens  the tokens left, 0 to the limit's burst (fractional between refills)
 * @param asOfNanos the instant {@code tokens} was counted at
 */
public record TokenBucket(double tokens, long asOfNanos) {

    public TokenBucket {
        if (!(tokens >= 0)) {
            throw new IllegalArgumentException("a bucket holds 0 tokens or more, not " + tokens);
        }
    }

    /** A bucket as {@code limit} starts one: full. */
    public static TokenBucket full(RateLimit limit, long nowNanos) {
        return new TokenBucket(limit.burst(), nowNanos);
    }

    /** This bucket at {@code nowNanos}: refilled for the time since it was counted, never above the burst. */
    public TokenBucket refilled(RateLimit limit, long nowNanos) {
        long elapsed = nowNanos - asOfNanos;
        if (elapsed <= 0) {
            return this;
        }
        return new TokenBucket(Math.min(limit.burst(), tokens + elapsed * limit.tokensPerNano()), nowNanos);
    }

    /** {@code true} once the bucket is full again at {@code nowNanos}: forgetting it then loses nothing. */
    public boolean isFull(RateLimit limit, long nowNanos) {
        return refilled(limit, nowNanos).tokens >= limit.burst();
    }

    /**
     * Takes {@code cost} tokens at {@code nowNanos} if the bucket holds them. Otherwise nothing is taken,
     * and the answer says how long until it will hold them (for a cost above the burst, which never
     * fits: the time to fill the bucket, so that a client waiting that long learns the same again
     * rather than waiting forever).
     */
    public Draw take(RateLimit limit, long cost, long nowNanos) {
        Objects.requireNonNull(limit, "limit");
        if (cost < 1) {
            throw new IllegalArgumentException("a draw costs at least 1 token, not " + cost);
        }
        TokenBucket now = refilled(limit, nowNanos);
        if (now.tokens >= cost) {
            return new Draw(new TokenBucket(now.tokens - cost, now.asOfNanos), TokenGrant.GRANTED);
        }
        double missing = Math.min(cost, limit.burst()) - now.tokens;
        long waitNanos = Math.max(1, (long) Math.ceil(missing / limit.tokensPerNano()));
        return new Draw(now, new TokenGrant.Denied(Duration.ofNanos(waitNanos)));
    }

    /**
     * The outcome of {@link #take}: the bucket after it, and whether the tokens were granted.
     *
     * @param bucket the bucket to keep
     * @param grant  granted, or denied with the wait until the tokens are there
     */
    public record Draw(TokenBucket bucket, TokenGrant grant) {
        public Draw {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(grant, "grant");
        }
    }
}
