package io.mcprelay.adapter.storage.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.push.PushListener;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.codec.StringCodec;
import java.net.SocketAddress;
import java.util.List;

/**
 * What Redis tells a near-cache, applied to it: {@code invalidate} pushes of the tracking connection
 * (a list of keys, or null for "everything", after a FLUSHALL) and the connection's disconnections
 * and reconnections (Redis forgets a connection's tracking with it; the cache starts a new epoch
 * and caches nothing until tracking is on again).
 *
 * <p>Runs on Lettuce's event-loop thread, before any later answer on that connection is handed
 * over, which is what makes the cache's tickets sufficient: it must not block.
 */
final class CacheInvalidations implements PushListener, RedisConnectionStateListener {

    private static final System.Logger LOG = System.getLogger(CacheInvalidations.class.getName());

    private final SessionNearCache cache;

    CacheInvalidations(SessionNearCache cache) {
        this.cache = cache;
    }

    @Override
    public void onPushMessage(PushMessage message) {
        if (!"invalidate".equals(message.getType())) {
            return;
        }
        List<Object> content = message.getContent(StringCodec.UTF8::decodeKey);
        Object keys = content.size() > 1 ? content.get(1) : null;
        if (keys instanceof List<?> list) {
            for (Object key : list) {
                cache.invalidate(String.valueOf(key));
            }
        } else {
            cache.invalidateAll();
        }
    }

    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
        cache.invalidateAll();
        LOG.log(System.Logger.Level.DEBUG, "session near-cache flushed: the tracking connection dropped");
    }

    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
        // A new connection tracks nothing: nothing read before it may stay cached.
        cache.invalidateAll();
    }
}
