package io.mcprelay.bootstrap;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Where sessions and replay logs live.
 *
 * @param kind      {@code memory} (the default: this process only) or {@code redis} (shared by
 *                  every instance that uses the same Redis and key prefix)
 * @param redisUrl  {@code redis://[:password@]host:port[/db]}, {@code rediss://...} for TLS, or
 *                  {@code redis-sentinel://...}; required with {@code redis}
 * @param keyPrefix prefix of every Redis key (default {@code mcp-relay}); instances that must share
 *                  sessions use the same one
 * @param nearCache with Redis, serve sessions from a local copy that Redis invalidates
 *                  ({@code CLIENT TRACKING}) and renew their TTL at most every min(TTL/10, 5 s)
 *                  (default true; false sends every session read and renewal to Redis)
 */
record StoreOptions(Kind kind, Optional<URI> redisUrl, String keyPrefix, boolean nearCache) {

    enum Kind { MEMORY, REDIS }

    StoreOptions {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(redisUrl, "redisUrl");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        if (kind == Kind.REDIS && redisUrl.isEmpty()) {
            throw new IllegalArgumentException("--redis-url: required with --store redis");
        }
    }

    StoreOptions(Kind kind, Optional<URI> redisUrl, String keyPrefix) {
        this(kind, redisUrl, keyPrefix, true);
    }

    static StoreOptions memory() {
        return new StoreOptions(Kind.MEMORY, Optional.empty(), "mcp-relay");
    }

    static StoreOptions redis(URI url) {
        return new StoreOptions(Kind.REDIS, Optional.of(url), "mcp-relay");
    }
}
