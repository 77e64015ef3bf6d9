package io.mcprelay.adapter.storage.redis;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.api.StatefulRedisConnection;
import io.mcprelay.application.port.out.RateLimitPort;
import io.mcprelay.application.port.out.StoreUnavailableException;
import io.mcprelay.domain.limit.RateLimit;
import io.mcprelay.domain.limit.TokenGrant;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The rate limits' token buckets in Redis, shared by every instance using the same Redis and key
 * prefix, so that a limit holds for the whole deployment. The buckets are Bucket4j's: its Lettuce
 * proxy manager keeps each bucket's state in one Redis key and updates it by compare-and-swap (a Lua
 * script), retrying when another instance changed it meanwhile. The refill arithmetic runs on the
 * instances with their own clocks, which must therefore agree (NTP) to well within a refill period.
 *
 * <p><b>Keys.</b> {@code {<prefix>:l:<rate>:<bucket>}} ({@link RedisKeys}), e.g.
 * {@code {mcp-relay:l:20/1s:principal:session:abc}}: the limit is part of the key, so a changed limit
 * starts new buckets rather than inherit old ones.
 * Each key expires once its bucket would be full again (plus a second), so idle buckets cost nothing.
 *
 * <p><b>Failures.</b> Bucket4j gets its own binary connection ({@link RedisConnection#connectBinary}),
 * opened on first use and reconnected by Lettuce after an outage; while it is down, commands are
 * rejected at once, and each waits at most the command timeout. Every failure becomes a
 * {@link StoreUnavailableException}. Before the first connection succeeds, a failed attempt is not
 * repeated for {@value #RECONNECT_PAUSE_MILLIS} ms, so that requests during an outage at start-up fail
 * fast instead of each waiting for a connect timeout.
 */
public final class RedisRateLimitAdapter implements RateLimitPort {

    static final long RECONNECT_PAUSE_MILLIS = 1000;
    /** How long an idle, refilled bucket's key outlives the refill. */
    private static final Duration KEEP_AFTER_REFILL = Duration.ofSeconds(1);

    private final RedisConnection redis;
    private final RedisKeys keys;
    private final ReentrantLock connectLock = new ReentrantLock();
    private volatile ProxyManager<byte[]> buckets;
    private volatile long connectAgainAfterNanos;

    public RedisRateLimitAdapter(RedisConnection redis) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.keys = new RedisKeys(redis.config().keyPrefix());
    }

    @Override
    public TokenGrant take(String bucket, RateLimit limit, long tokens) {
        ProxyManager<byte[]> manager = manager();
        String what = "take from rate limit bucket " + bucket;
        ConsumptionProbe probe;
        try {
            probe = manager.builder().build(key(bucket, limit), () -> configuration(limit)).tryConsumeAndReturnRemaining(tokens);
        } catch (RuntimeException e) {
            throw redis.unavailable(what, e);
        }
        if (probe.isConsumed()) {
            return TokenGrant.GRANTED;
        }
        // Bucket4j answers "never" (Long.MAX_VALUE) for more tokens than the bucket holds; the domain's rule is the fill time
        long wait = Math.min(probe.getNanosToWaitForRefill(), limit.timeToFill().toNanos());
        return new TokenGrant.Denied(Duration.ofNanos(Math.max(1, wait)));
    }

    /** The Redis key of {@code bucket} under {@code limit}. */
    byte[] key(String bucket, RateLimit limit) {
        return keys.rateLimitBucket(limit.describe(), bucket).getBytes(StandardCharsets.UTF_8);
    }

    private static BucketConfiguration configuration(RateLimit limit) {
        return BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(limit.burst()).refillGreedy(limit.tokens(), limit.period()).build())
                .build();
    }

    private ProxyManager<byte[]> manager() {
        ProxyManager<byte[]> manager = buckets;
        if (manager != null) {
            return manager;
        }
        connectLock.lock();
        try {
            if (buckets == null) {
                if (System.nanoTime() - connectAgainAfterNanos < 0) {
                    throw new StoreUnavailableException("Redis at " + redis.config().safeUrl()
                            + " was unreachable moments ago: rate limit buckets", new IllegalStateException("not connected"));
                }
                try {
                    StatefulRedisConnection<byte[], byte[]> connection = redis.connectBinary("rate limit buckets");
                    buckets = Bucket4jLettuce.casBasedBuilder(connection)
                            .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_REFILL))
                            .requestTimeout(redis.config().commandTimeout())
                            .build();
                } catch (StoreUnavailableException e) {
                    connectAgainAfterNanos = System.nanoTime() + Duration.ofMillis(RECONNECT_PAUSE_MILLIS).toNanos();
                    throw e;
                }
            }
            return buckets;
        } finally {
            connectLock.unlock();
        }
    }
}
