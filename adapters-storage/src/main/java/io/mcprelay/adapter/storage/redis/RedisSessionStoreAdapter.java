package io.mcprelay.adapter.storage.redis;

import io.lettuce.core.ScriptOutputType;
import io.mcprelay.application.port.out.ClockPort;
import io.mcprelay.application.port.out.SessionPage;
import io.mcprelay.application.port.out.SessionQuery;
import io.mcprelay.application.port.out.SessionStorePort;
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
 * <p><b>Costs.</b> Single-session calls are one round trip. {@link #findAll} and {@link #deleteAll}
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

    private static final String PRELUDE = "session-prelude";
    private static final LuaScript CREATE = LuaScript.load("session-create", PRELUDE);
    private static final LuaScript TOUCH = LuaScript.load("session-touch", PRELUDE);
    private static final LuaScript BIND = LuaScript.load("session-bind", PRELUDE);
    private static final LuaScript DELETE = LuaScript.load("session-delete", PRELUDE);
    private static final LuaScript COUNT = LuaScript.load("session-count", PRELUDE);

    private final RedisConnection redis;
    private final RedisKeys keys;
    private final SessionPolicy policy;
    private final ClockPort clock;
    private final int maxSessions;
    private final RedisSessionListing listing;

    /**
     * @param connection  the Redis to use; its key prefix separates this store from others on that Redis
     * @param policy      the idle TTL of sessions
     * @param clock       the store's notion of now, for {@code lastSeenAt}; expiry itself runs on Redis's clock
     * @param maxSessions the most live sessions held at once across all instances, at least 1
     */
    public RedisSessionStoreAdapter(RedisConnection connection, SessionPolicy policy, ClockPort clock, int maxSessions) {
        this.redis = Objects.requireNonNull(connection, "connection");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxSessions < 1) {
            throw new IllegalArgumentException("a session store holds at least 1 session, not " + maxSessions);
        }
        this.maxSessions = maxSessions;
        this.keys = new RedisKeys(connection.config().keyPrefix());
        this.listing = new RedisSessionListing(connection, keys);
    }

    @Override
    public CreateOutcome create(Session session) {
        Objects.requireNonNull(session, "session");
        long ttl = Math.max(1, Duration.between(clock.now(), policy.expiresAt(session)).toMillis());
        List<String> args = new ArrayList<>(List.of(keys.sessionKeyPrefix(), Integer.toString(maxSessions), Long.toString(ttl),
                SessionListCursor.memberOf(session.createdAt(), session.id()),
                Long.toString(SessionListCursor.scoreOf(session.createdAt()))));
        args.addAll(SessionRedisCodec.fields(session, SessionListCursor.memberOf(session.createdAt(), session.id())));
        Long outcome = redis.eval(CREATE, ScriptOutputType.INTEGER, keysOf(session.id()), args.toArray(String[]::new));
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
        return SessionRedisCodec.fromHash(redis.call("find session", c -> c.hgetall(keys.session(id))));
    }

    @Override
    public Optional<Session> touch(ProxySessionId id) {
        Objects.requireNonNull(id, "id");
        Instant now = clock.now();
        List<Object> fields = redis.eval(TOUCH, ScriptOutputType.MULTI, keysOf(id), keys.sessionKeyPrefix(),
                Long.toString(Math.max(1, policy.idleTtl().toMillis())), SessionRedisCodec.instant(now));
        return SessionRedisCodec.fromFlat(fields);
    }

    @Override
    public Optional<Session> bindUpstream(ProxySessionId id, UpstreamSessionId upstreamSessionId) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(upstreamSessionId, "upstreamSessionId");
        List<Object> fields = redis.eval(BIND, ScriptOutputType.MULTI, keysOf(id), keys.sessionKeyPrefix(), upstreamSessionId.value());
        return SessionRedisCodec.fromFlat(fields);
    }

    @Override
    public boolean delete(ProxySessionId id) {
        Objects.requireNonNull(id, "id");
        Long deleted = redis.eval(DELETE, ScriptOutputType.INTEGER, keysOf(id), keys.sessionKeyPrefix());
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

    private Counted pruneAndCount() {
        List<Object> reply = redis.eval(COUNT, ScriptOutputType.MULTI, keysOf(null), keys.sessionKeyPrefix());
        return new Counted((Long) reply.get(0), (Long) reply.get(1));
    }

    /** The keys every session script declares: the session's hash (a placeholder when none), then the two indexes. */
    private String[] keysOf(ProxySessionId id) {
        String session = id == null ? keys.sessionKeyPrefix() : keys.session(id);
        return new String[] {session, keys.sessionsByCreation(), keys.sessionsByExpiry()};
    }

    private record Counted(long pruned, long live) {
    }
}
