package io.mcprelay.adapter.storage.redis;

import io.mcprelay.domain.session.SessionPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * Whether and how the Redis session store keeps sessions in this instance's memory between
 * requests (see {@link RedisSessionStoreAdapter}, "Near-cache").
 *
 * @param enabled         whether sessions are cached here at all; {@code false} sends every call to
 *                        Redis, as before the cache existed (and needs neither RESP3 nor
 *                        {@code CLIENT TRACKING}); defaults to {@code true}
 * @param maxEntries      the most sessions cached, at least 1 (the store also caps it at its
 *                        {@code maxSessions}); defaults to {@value #DEFAULT_MAX_ENTRIES}
 * @param renewalInterval how often at most {@code touch} renews one session's TTL in Redis from this
 *                        instance; zero renews on every touch; not negative; defaults to a tenth of
 *                        the idle TTL, at most {@link #MAX_DEFAULT_RENEWAL_INTERVAL}
 */
public record NearCacheConfig(boolean enabled, int maxEntries, Duration renewalInterval) {

    /** The default {@link #maxEntries()}: {@value}. */
    public static final int DEFAULT_MAX_ENTRIES = 10_000;
    /** The longest default {@link #renewalInterval()}: 5 seconds. */
    public static final Duration MAX_DEFAULT_RENEWAL_INTERVAL = Duration.ofSeconds(5);

    public NearCacheConfig {
        Objects.requireNonNull(renewalInterval, "renewalInterval");
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries: a near-cache holds at least 1 session, not " + maxEntries);
        }
        if (renewalInterval.isNegative()) {
            throw new IllegalArgumentException("renewalInterval: must not be negative, not " + renewalInterval);
        }
    }

    /** On, {@value #DEFAULT_MAX_ENTRIES} sessions, renewing at most every min(idle TTL / 10, 5 s). */
    public static NearCacheConfig defaults(SessionPolicy policy) {
        Duration tenth = policy.idleTtl().dividedBy(10);
        return new NearCacheConfig(true, DEFAULT_MAX_ENTRIES,
                tenth.compareTo(MAX_DEFAULT_RENEWAL_INTERVAL) < 0 ? tenth : MAX_DEFAULT_RENEWAL_INTERVAL);
    }

    /** No near-cache: every call goes to Redis and every touch renews. */
    public static NearCacheConfig off() {
        return new NearCacheConfig(false, DEFAULT_MAX_ENTRIES, Duration.ZERO);
    }

    /** This configuration with another renewal interval. */
    public NearCacheConfig withRenewalInterval(Duration interval) {
        return new NearCacheConfig(enabled, maxEntries, interval);
    }
}
