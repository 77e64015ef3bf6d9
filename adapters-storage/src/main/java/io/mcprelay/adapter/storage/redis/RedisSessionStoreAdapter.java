package io.mcprelay.adapter.storage.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TrackingArgs;
import io.mcprelay.adapter.storage.redis.SessionNearCache.Entry;
import io.mcprelay.adapter.storage.redis.SessionNearCache.Ticket;
import io.mcprelay.application.port.out.ClockPort;
import io.mcprelay.application.port.out.SessionPage;
import io.mcprelay.application.port.out.SessionQuery;
import io.mcprelay.application.port.out.SessionStorePort;
import io.mcprelay.application.port.out.StoreUnavailableException;
import io.mcprelay.domain.session.ClientKey;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.session.SessionPolicy;
import io.mcprelay.domain.session.UpstreamSessionId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The session store shared by every mcp-relay instance on one Redis: a session created on one
 * instance is found, renewed and deleted on any other.
 *
 * <p><b>Layout</b> (see {@link RedisKeys}): one hash per session whose key expires when the session
 * does (PEXPIRE = what is left of its idle TTL; {@link #touch} restarts it, a sliding TTL; Redis 7.0
 * has no per-field TTL, so the whole key carries it), and two sorted sets over the same members:
 * one by creation time, for listing in (creation time, id) order, and one by expiry time, to find
 * stale entries. All share one hash slot, so each write is one atomic Lua script.
 *
 * <p><b>Expiry.</b> Redis's clock decides: a session is gone when its key has expired. The indexes
 * learn it lazily: entries whose hash has expired are pruned by {@link #create} (a few each time,
 * all of them before refusing for capacity), {@link #count}, {@link #list} and {@link #purgeExpired},
 * and are never counted or returned. {@link #purgeExpired} reports how many index entries it pruned.
 *
 * <p><b>Capacity</b> is the size of the creation index after pruning, checked and extended inside the
 * create script, so concurrent creates on several instances never exceed it.
 *
 * <p><b>Near-cache</b> (on unless {@link NearCacheConfig#enabled()} is false). Every request of a
 * session finds or touches it, so each instance keeps the sessions it used recently (at most
 * {@link NearCacheConfig#maxEntries()}, least recently used evicted) and answers {@link #find} and
 * {@link #touch} from memory while Redis has not invalidated them. Validity comes from Redis's
 * client-side caching: single-session calls run on a connection of their own (RESP3) with
 * {@code CLIENT TRACKING ON NOLOOP}, so Redis remembers which session keys this instance read and
 * pushes {@code invalidate} for each as soon as anyone else changes, deletes or expires it (or
 * everything, on FLUSHALL). This instance's own writes on that connection send no push (NOLOOP);
 * they put their answer into the cache themselves. A disconnection empties the cache, and nothing is
 * cached again until tracking is on on the new connection. {@link SessionNearCache} explains the
 * ordering rules that keep an invalidation from being lost behind a read in flight. A cached session
 * whose {@code lastSeenAt} + idle TTL has passed on this instance's clock is read again. So a change
 * made on another instance is seen here once its push has arrived: in well under a millisecond on a
 * healthy network, and never later than a dropped connection is noticed.
 *
 * <p><b>Throttled renewal.</b> {@link #touch} renews a session's TTL (and {@code lastSeenAt}) in
 * Redis at most once per {@link NearCacheConfig#renewalInterval()} per session on this instance;
 * in between it answers from the cache (or, when another instance's renewal invalidated the entry,
 * re-reads the session without renewing it). Each renewal sets the key's expiry to the idle TTL
 * <em>plus</em> the interval, so that a session never expires before its last request + TTL: it
 * expires at most one interval later than that, and its stored {@code lastSeenAt} (what admin
 * listings show) lags the last request by at most one interval. With an interval of zero every
 * touch renews, as without the cache.
 *
 * <p><b>Costs.</b> Single-session calls are one round trip (or none, from the near-cache). {@link #findAll} and {@link #deleteAll}
 * pipeline one command per id. An unfiltered {@link #list} reads only its page from the index; a
 * filtered one reads the whole index (and each candidate's upstream when filtering by upstream), as
 * its total must count every match.
 *
 * <p>Every method throws {@link io.mcprelay.application.port.out.StoreUnavailableException} when
 * Redis cannot be reached or does not answer within the command timeout.
 */
public final class RedisSessionStoreAdapter implements SessionStorePort {

    /** A capacity for deployments with no opinion: 100,000 sessions, as the in-memory store. */
    public static final int DEFAULT_MAX_SESSIONS = 100_000;

    private static final System.Logger LOG = System.getLogger(RedisSessionStoreAdapter.class.getName());
    private static final String PRELUDE = "session-prelude";
    private static final LuaScript CREATE = LuaScript.load("session-create", PRELUDE);
    private static final LuaScript TOUCH = LuaScript.load("session-touch", PRELUDE);
    private static final LuaScript BIND = LuaScript.load("session-bind", PRELUDE);
    private static final LuaScript DELETE = LuaScript.load("session-delete", PRELUDE);
    private static final LuaScript COUNT = LuaScript.load("session-count", PRELUDE);
    private static final LuaScript BUSIEST = LuaScript.load("session-busiest", PRELUDE);

    private final RedisConnection redis;
    private final RedisKeys keys;
    private final SessionPolicy policy;
    private final ClockPort clock;
    private final int maxSessions;
    private final RedisSessionListing listing;
    /** The near-cache, or null when it is off. */
    private final SessionNearCache cache;
    /** The tracked connection single-session calls use with the near-cache; null without (they use the shared one). */
    private final RedisLane lane;
    private final long renewalNanos;
    private final long renewalMillis;
    private final ReentrantLock trackingLock = new ReentrantLock();
    private volatile boolean trackingRefused;

    /**
     * A store with the default near-cache ({@link NearCacheConfig#defaults}).
     *
     * @param connection  the Redis to use; its key prefix separates this store from others on that Redis
     * @param policy      the idle TTL of sessions
     * @param clock       the store's notion of now, for {@code lastSeenAt}; expiry itself runs on Redis's clock
     * @param maxSessions the most live sessions held at once across all instances, at least 1
     */
    public RedisSessionStoreAdapter(RedisConnection connection, SessionPolicy policy, ClockPort clock, int maxSessions) {
        this(connection, policy, clock, maxSessions, NearCacheConfig.defaults(Objects.requireNonNull(policy, "policy")));
    }

    /**
     * @param connection  the Redis to use; its key prefix separates this store from others on that Redis
     * @param policy      the idle TTL of sessions
     * @param clock       the store's notion of now, for {@code lastSeenAt}; expiry itself runs on Redis's clock
     * @param maxSessions the most live sessions held at once across all instances, at least 1
     * @param nearCache   whether and how sessions are cached on this instance; its renewal interval
     *                    must be shorter than the idle TTL
     */
    public RedisSessionStoreAdapter(RedisConnection connection, SessionPolicy policy, ClockPort clock, int maxSessions,
            NearCacheConfig nearCache) {
        this.redis = Objects.requireNonNull(connection, "connection");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(nearCache, "nearCache");
        if (maxSessions < 1) {
            throw new IllegalArgumentException("a session store holds at least 1 session, not " + maxSessions);
        }
        if (nearCache.enabled() && nearCache.renewalInterval().compareTo(policy.idleTtl()) >= 0) {
            throw new IllegalArgumentException("the near-cache's renewal interval (" + nearCache.renewalInterval()
                    + ") must be shorter than the session idle TTL (" + policy.idleTtl() + ")");
        }
        this.maxSessions = maxSessions;
        this.keys = new RedisKeys(connection.config().keyPrefix());
        this.listing = new RedisSessionListing(connection, keys);
        if (nearCache.enabled()) {
            this.cache = new SessionNearCache(Math.min(nearCache.maxEntries(), maxSessions));
            CacheInvalidations invalidations = new CacheInvalidations(cache);
            this.lane = connection.trackingLane("session tracking", invalidations, invalidations);
            this.renewalNanos = nearCache.renewalInterval().toNanos();
            this.renewalMillis = nearCache.renewalInterval().toMillis();
        } else {
            this.cache = null;
            this.lane = null;
            this.renewalNanos = 0;
            this.renewalMillis = 0;
        }
    }

    @Override
    public CreateOutcome create(Session session) {
        Objects.requireNonNull(session, "session");
        long ttl = Math.max(1, Duration.between(clock.now(), policy.expiresAt(session)).toMillis());
        List<String> args = new ArrayList<>(List.of(keys.sessionKeyPrefix(), Integer.toString(maxSessions), Long.toString(ttl),
                SessionListCursor.memberOf(session.createdAt(), session.id()),
                Long.toString(SessionListCursor.scoreOf(session.createdAt())), session.owner().value()));
        args.addAll(SessionRedisCodec.fields(session, SessionListCursor.memberOf(session.createdAt(), session.id())));
        Ticket ticket = ticket(session.id());
        Long outcome = eval(CREATE, ScriptOutputType.INTEGER, keysOf(session.id()), args.toArray(String[]::new));
        if (cache != null) {
            // The script does not read the key after writing it: Redis no longer tracks it for us.
            cache.afterWrite(ticket, Optional.empty());
        }
        return switch (outcome.intValue()) {
            case 0 -> CreateOutcome.CREATED;
            case 1 -> CreateOutcome.ID_TAKEN;
            case 2 -> CreateOutcome.CAPACITY_REACHED;
            default -> throw new IllegalStateException("the create script answered " + outcome);
        };
    }

    @Override
    public Optional<Session> find(ProxySessionId id) {
        Objects.requireNonNull(id, "id");
        if (cache == null) {
            return SessionRedisCodec.fromHash(redis.call("find session", c -> c.hgetall(keys.session(id))));
        }
        Optional<Entry> entry = cache.get(keys.session(id));
        Optional<Session> cached = entry.flatMap(this::servable);
        return cached.isPresent() ? cached : read(id, entry.map(Entry::renewedAt).orElse(SessionNearCache.NEVER));
    }

    @Override
    public Optional<Session> touch(ProxySessionId id) {
        Objects.requireNonNull(id, "id");
        long startedAt = System.nanoTime();
        // one renewal at a time per session from this instance; the others are served from the cache meanwhile
        if (cache != null && !cache.claimRenewal(keys.session(id), startedAt, renewalNanos)) {
            Optional<Entry> entry = cache.get(keys.session(id));
            Optional<Session> cached = entry.flatMap(this::servable);
            return cached.isPresent() ? cached : read(id, entry.map(Entry::renewedAt).orElse(SessionNearCache.NEVER));
        }
        Ticket ticket = ticket(id);
        List<Object> fields = eval(TOUCH, ScriptOutputType.MULTI, keysOf(id), keys.sessionKeyPrefix(),
                Long.toString(Math.max(1, policy.idleTtl().toMillis() + renewalMillis)), SessionRedisCodec.instant(clock.now()));
        Optional<Session> touched = SessionRedisCodec.fromFlat(fields);
        if (cache != null) {
            cache.afterWrite(ticket, touched, startedAt);
        }
        return touched;
    }

    @Override
    public Optional<Session> bindUpstream(ProxySessionId id, UpstreamSessionId upstreamSessionId) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(upstreamSessionId, "upstreamSessionId");
        Ticket ticket = ticket(id);
        List<Object> fields = eval(BIND, ScriptOutputType.MULTI, keysOf(id), keys.sessionKeyPrefix(), upstreamSessionId.value());
        Optional<Session> bound = SessionRedisCodec.fromFlat(fields);
        if (cache != null) {
            cache.afterWrite(ticket, bound);
        }
        return bound;
    }

    @Override
    public boolean delete(ProxySessionId id) {
        Objects.requireNonNull(id, "id");
        Ticket ticket = ticket(id);
        Long deleted = eval(DELETE, ScriptOutputType.INTEGER, keysOf(id), keys.sessionKeyPrefix());
        if (cache != null) {
            cache.afterWrite(ticket, Optional.empty());
        }
        return deleted == 1L;
    }

    @Override
    public SessionPage list(SessionQuery query) {
        Objects.requireNonNull(query, "query");
        query.cursor().ifPresent(SessionListCursor::decode);
        return listing.page(query, pruneAndCount().live());
    }

    @Override
    public Map<ProxySessionId, Session> findAll(Collection<ProxySessionId> ids) {
        List<ProxySessionId> distinct = List.copyOf(new LinkedHashSet<>(ids));
        Map<ProxySessionId, Session> found = new LinkedHashMap<>();
        for (List<ProxySessionId> chunk : RedisSessionListing.chunks(distinct)) {
            List<CompletableFuture<Map<String, String>>> replies = new ArrayList<>(chunk.size());
            for (ProxySessionId id : chunk) {
                replies.add(redis.send("find sessions", c -> c.hgetall(keys.session(id))));
            }
            for (Map<String, String> hash : redis.awaitAll("find sessions", replies)) {
                SessionRedisCodec.fromHash(hash).ifPresent(session -> found.put(session.id(), session));
            }
        }
        return Collections.unmodifiableMap(found);
    }

    @Override
    public int deleteAll(Collection<ProxySessionId> ids) {
        List<ProxySessionId> distinct = List.copyOf(new LinkedHashSet<>(ids));
        int deleted = 0;
        for (List<ProxySessionId> chunk : RedisSessionListing.chunks(distinct)) {
            List<CompletableFuture<Long>> replies = new ArrayList<>(chunk.size());
            for (ProxySessionId id : chunk) {
                replies.add(redis.evalAsync(DELETE, ScriptOutputType.INTEGER, keysOf(id), keys.sessionKeyPrefix()));
            }
            for (Long reply : redis.awaitAll(DELETE.name(), replies)) {
                deleted += reply.intValue();
            }
            if (cache != null) {
                chunk.forEach(id -> cache.invalidate(keys.session(id)));
            }
        }
        return deleted;
    }

    /** {@inheritDoc} Redis has already dropped the expired sessions; this prunes their index entries and says how many. */
    @Override
    public int purgeExpired() {
        return Math.toIntExact(pruneAndCount().pruned());
    }

    /** {@inheritDoc} The size of the creation index once entries of expired sessions are pruned. */
    @Override
    public long count() {
        return pruneAndCount().live();
    }

    /**
     * {@inheritDoc} Reads the owner's set of members (at most {@code max}, chosen by Redis when it holds
     * more), then those sessions; members whose session has expired are left out (the next prune drops them).
     */
    @Override
    public List<Session> sessionsOf(ClientKey owner, int max) {
        Objects.requireNonNull(owner, "owner");
        List<String> members = redis.call("sessions of owner", c -> c.srandmember(keys.sessionsOwnedBy(owner), Math.max(1, max)));
        List<ProxySessionId> ids = members.stream().map(m -> new ProxySessionId(m.substring(RedisKeys.INDEX_MEMBER_ID_OFFSET))).toList();
        return List.copyOf(findAll(ids).values());
    }

    /** {@inheritDoc} Prunes the indexes first, so that the count is of live sessions. */
    @Override
    public Optional<OwnerCount> busiestOwner() {
        List<Object> reply = redis.eval(BUSIEST, ScriptOutputType.MULTI, keysOf(null), keys.sessionKeyPrefix());
        return reply.isEmpty() ? Optional.empty()
                : Optional.of(new OwnerCount(new ClientKey(String.valueOf(reply.get(0))), (Long) reply.get(1)));
    }

    private Counted pruneAndCount() {
        List<Object> reply = redis.eval(COUNT, ScriptOutputType.MULTI, keysOf(null), keys.sessionKeyPrefix());
        return new Counted((Long) reply.get(0), (Long) reply.get(1));
    }

    // ---- the near-cache

    /** The cached session, unless it was invalidated or has expired by this instance's clock. */
    private Optional<Session> servable(Entry entry) {
        return entry.session().filter(session -> !policy.isExpired(session, clock.now()));
    }

    /** Reads the session from Redis on the tracked connection and caches it, keeping {@code renewedAt}. */
    private Optional<Session> read(ProxySessionId id, long renewedAt) {
        Ticket ticket = ticket(id);
        String key = keys.session(id);
        Optional<Session> found = SessionRedisCodec.fromHash(onLane(() -> redis.call(lane, "find session", c -> c.hgetall(key))));
        cache.afterRead(ticket, found, renewedAt);
        return found;
    }

    /**
     * Runs a call on the tracked connection; a failure empties the cache. A connection that went
     * silent (a network partition, no reset) is not a disconnection Lettuce sees at once, and pushes
     * sent meanwhile are lost: the first command that times out on it ends the serving from memory
     * (as does TCP keep-alive on an idle one, see {@link RedisConnection#trackingLane}).
     */
    private <T> T onLane(Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            cache.invalidateAll();
            throw e;
        }
    }

    /** A ticket for a call on the session's key, once tracking is on if it can be; null without the near-cache. */
    private Ticket ticket(ProxySessionId id) {
        if (cache == null) {
            return null;
        }
        enableTracking();
        return cache.ticket(keys.session(id));
    }

    /**
     * Switches tracking on for the current connection if it is not yet. One caller does it; the
     * others meanwhile go uncached rather than wait. Should Redis refuse the command (an ACL without
     * CLIENT, say), the store logs it once and goes on without caching.
     */
    private void enableTracking() {
        if (trackingRefused || cache.tracking() || !trackingLock.tryLock()) {
            return;
        }
        try {
            if (cache.tracking()) {
                return;
            }
            long epoch = cache.epoch();
            onLane(() -> redis.call(lane, "enable client tracking", c -> c.clientTracking(TrackingArgs.Builder.enabled().noloop())));
            cache.trackingOn(epoch);
        } catch (StoreUnavailableException e) {
            if (!(e.getCause() instanceof RedisCommandExecutionException refused)) {
                throw e;
            }
            trackingRefused = true;
            LOG.log(System.Logger.Level.WARNING, "Redis refused CLIENT TRACKING ({0}): the session near-cache is off;"
                    + " every session lookup goes to Redis", refused.getMessage());
        } finally {
            trackingLock.unlock();
        }
    }

    private <T> T eval(LuaScript script, ScriptOutputType type, String[] keys, String... args) {
        return lane == null ? redis.eval(script, type, keys, args) : onLane(() -> redis.eval(lane, script, type, keys, args));
    }

    /** The keys every session script declares: the session's hash (a placeholder when none), then the two indexes. */
    private String[] keysOf(ProxySessionId id) {
        String session = id == null ? keys.sessionKeyPrefix() : keys.session(id);
        return new String[] {session, keys.sessionsByCreation(), keys.sessionsByExpiry()};
    }

    private record Counted(long pruned, long live) {
    }
}
