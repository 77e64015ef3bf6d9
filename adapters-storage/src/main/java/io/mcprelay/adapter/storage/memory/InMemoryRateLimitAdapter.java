package io.mcprelay.adapter.storage.memory;

import io.mcprelay.application.port.out.ClockPort;
import io.mcprelay.application.port.out.RateLimitPort;
import io.mcprelay.domain.limit.RateLimit;
import io.mcprelay.domain.limit.TokenBucket;
import io.mcprelay.domain.limit.TokenGrant;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The rate limits' token buckets of this instance alone (the store for {@code store: memory}); the
 * arithmetic is the domain's {@link TokenBucket}, run atomically per bucket.
 *
 * <p><b>Bounded.</b> A bucket that has refilled to its burst is the same as no bucket (a new one starts
 * full), so once the map holds more than {@value #SWEEP_AT} buckets, every full one is dropped; the next
 * sweep waits until the map has doubled again. Only what was drawn from within one refill time stays.
 */
public final class InMemoryRateLimitAdapter implements RateLimitPort {

    /** Buckets held before the first sweep of full ones. */
    static final int SWEEP_AT = 10_000;

    private final ClockPort clock;
    private final ConcurrentHashMap<Key, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final AtomicInteger nextSweep = new AtomicInteger(SWEEP_AT);

    /** A bucket's identity: its name and its limit, so that a changed limit starts a new bucket. */
    private record Key(String bucket, RateLimit limit) {
    }

    public InMemoryRateLimitAdapter(ClockPort clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public TokenGrant take(String bucket, RateLimit limit, long tokens) {
        long now = nanos(clock.now());
        TokenGrant[] grant = new TokenGrant[1];
        buckets.compute(new Key(bucket, limit), (key, held) -> {
            TokenBucket.Draw draw = (held == null ? TokenBucket.full(limit, now) : held).take(limit, tokens, now);
            grant[0] = draw.grant();
            return draw.bucket();
        });
        if (buckets.size() > nextSweep.get()) {
            sweep(now);
        }
        return grant[0];
    }

    /** Buckets held now, for tests. */
    int size() {
        return buckets.size();
    }

    private void sweep(long now) {
        buckets.entrySet().removeIf(entry -> entry.getValue().isFull(entry.getKey().limit(), now));
        nextSweep.set(Math.max(SWEEP_AT, buckets.size() * 2));
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
