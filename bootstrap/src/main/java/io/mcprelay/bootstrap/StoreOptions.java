package io.mcprelay.bootstrap;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Where sessions and replay logs live: each in this process's memory or in Redis, chosen apart
 * (docs/distributed.md, "Sessions and replay logs apart").
 *
 * @param kind      what {@code --store} says: the kind of both stores unless {@code sessions} or
 *                  {@code log} says otherwise; {@code memory} (the default: this process only) or
 *                  {@code redis} (shared by every instance that uses the same Redis and key prefix)
 * @param sessions  where sessions live ({@code --session-store}; default {@code kind}); in Redis,
 *                  every instance serves every session, and the rate limits' buckets live there
 *                  too unless {@code limits.redisUrl} names another Redis
 * @param log       where replay logs live, and with them the coordination of the instances that
 *                  share streams (liveness, stream leases, followers) ({@code --replay-log-store};
 *                  default {@code kind}); in memory, a stream resumes only on the instance that
 *                  relayed it
 * @param redisUrl  {@code redis://[:password@]host:port[/db]}, {@code rediss://...} for TLS, or
 *                  {@code redis-sentinel://...}; required when either store is Redis
 * @param keyPrefix prefix of every Redis key (default {@code mcp-relay}); instances that must share
 *                  sessions use the same one
 * @param nearCache with sessions in Redis, serve them from a local copy that Redis invalidates
 *                  ({@code CLIENT TRACKING}) and renew their TTL at most every min(TTL/10, 5 s)
 *                  (default true; false sends every session read and renewal to Redis)
 */
record StoreOptions(Kind kind, Kind sessions, Kind log, Optional<URI> redisUrl, String keyPrefix, boolean nearCache) {

    enum Kind { MEMORY, REDIS }

    StoreOptions {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(redisUrl, "redisUrl");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        if ((sessions == Kind.REDIS || log == Kind.REDIS) && redisUrl.isEmpty()) {
            throw new IllegalArgumentException("--redis-url: required when sessions or replay logs live in Redis");
        }
    }

    /** Sessions and replay logs both of {@code kind}. */
    StoreOptions(Kind kind, Optional<URI> redisUrl, String keyPrefix, boolean nearCache) {
        this(kind, kind, kind, redisUrl, keyPrefix, nearCache);
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

    /** These options with sessions in {@code value}. */
    StoreOptions withSessions(Kind value) {
        return new StoreOptions(kind, value, log, redisUrl, keyPrefix, nearCache);
    }

    /** These options with replay logs (and the stream coordination) in {@code value}. */
    StoreOptions withLog(Kind value) {
        return new StoreOptions(kind, sessions, value, redisUrl, keyPrefix, nearCache);
    }

    /** Whether either store is Redis, so that the relay needs a connection to it. */
    boolean usesRedis() {
        return sessions == Kind.REDIS || log == Kind.REDIS;
    }

    /**
     * Sessions are shared by the instances but each instance keeps its own replay logs: a client may
     * resume a stream on an instance that does not hold its log.
     */
    boolean replayLogsLocalToInstance() {
        return sessions == Kind.REDIS && log == Kind.MEMORY;
    }
}
