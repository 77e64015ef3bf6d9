package io.mcprelay.adapter.storage.redis;

import io.mcprelay.application.port.out.SessionStorePort;
import io.mcprelay.domain.session.SessionPolicy;
import java.time.Duration;

/**
 * The store contract for the Redis session store with its near-cache off ({@link NearCacheConfig#off()}):
 * every call goes to Redis on the shared connection, as an operator falling back would run it.
 * Shares {@link RedisSessionStoreAdapterTest}'s redis-server set-up and Redis-only checks.
 */
class RedisSessionStoreWithoutNearCacheTest extends RedisSessionStoreAdapterTest {

    @Override
    protected SessionStorePort newStore(SessionPolicy policy, int maxSessions) {
        server.command("FLUSHALL");
        return new RedisSessionStoreAdapter(connection, policy, clock(), maxSessions, NearCacheConfig.off());
    }

    /** Without the cache every touch renews, to exactly the TTL. */
    @Override
    protected Duration renewalInterval() {
        return Duration.ZERO;
    }
}
