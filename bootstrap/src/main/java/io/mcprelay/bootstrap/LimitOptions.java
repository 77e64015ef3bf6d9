package io.mcprelay.bootstrap;

import io.mcprelay.domain.limit.RateLimits;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * The rate limits (docs/limits.md) and where their buckets live.
 *
 * @param rates    the limits per principal, per tool and global, and the outage policy (off by default)
 * @param redisUrl a Redis of their own for the buckets; when empty they live in the session store's
 *                 Redis ({@code --store redis}) or, with the memory store, in this process. A Redis of
 *                 their own lets instances with in-memory sessions (sticky load balancing) share limits
 */
record LimitOptions(RateLimits rates, Optional<URI> redisUrl) {

    static final LimitOptions OFF = new LimitOptions(RateLimits.OFF, Optional.empty());

    LimitOptions {
        Objects.requireNonNull(rates, "rates");
        Objects.requireNonNull(redisUrl, "redisUrl");
    }
}
