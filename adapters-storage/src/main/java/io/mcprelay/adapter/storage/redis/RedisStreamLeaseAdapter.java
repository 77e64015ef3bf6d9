package io.mcprelay.adapter.storage.redis;

import io.lettuce.core.ScriptOutputType;
import io.mcprelay.application.port.out.StreamLeasePort;
import io.mcprelay.domain.stream.StreamId;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The coordination of the mcp-relay instances that share replay logs on one Redis
 * ({@link RedisEventLogAdapter}): their liveness, the stream leases and the follower holds.
 *
 * <p>Each instance's liveness is one key, {@code {p:i}:<instance>}, renewed with a TTL
 * ({@link #beat}), plus its presence subscription ({@link InstancePresence}), which ends with its
 * process. A stream's lease is two fields of its log's meta hash (owner, epoch) that never expire by
 * themselves, so a stream costs no writes to stay owned; the log's writes under a lease check it in
 * the same script (fencing). The follower hold is a key of its own in the stream's slot, expiring
 * with the hold. Liveness renewals and checks run on a connection of their own, never queued behind
 * the logs' appends.
 *
 * <p>Every method throws {@link io.mcprelay.application.port.out.StoreUnavailableException} when Redis
 * cannot be reached. Close it (before the {@link RedisConnection}) to end its presence subscription.
 */
public final class RedisStreamLeaseAdapter implements StreamLeasePort, AutoCloseable {

    private static final LuaScript CLAIM = LuaScript.load("log-claim");
    private static final LuaScript TAKE_OVER = LuaScript.load("log-takeover");
    private static final LuaScript TAKE_OVER_READ = LuaScript.load("log-takeover-read");
    private static final LuaScript LEASE = LuaScript.load("log-lease");
    private static final LuaScript FOLLOW = LuaScript.load("log-follow");

    private final RedisConnection redis;
    private final RedisKeys keys;
    /** Liveness renewals and checks, on a connection of their own: never queued behind appends. */
    private final RedisLane liveness;
    /** This instance's presence subscription, and what was seen of others' (see {@link InstancePresence}). */
    private final InstancePresence presence;

    /** @param connection the Redis of the logs these leases are on (the same key prefix) */
    public RedisStreamLeaseAdapter(RedisConnection connection) {
        this.redis = Objects.requireNonNull(connection, "connection");
        this.keys = new RedisKeys(connection.config().keyPrefix());
        this.liveness = connection.lane("liveness");
        this.presence = new InstancePresence(connection, keys);
    }

    /**
     * {@inheritDoc} One key per instance, {@code {p:i}:<instance>}, set with a TTL: a dead instance's
     * key simply expires. Its value says whether the instance also holds its presence subscription
     * ({@link InstancePresence}), which ends with its process.
     */
    @Override
    public void beat(String instance, Duration ttl) {
        Objects.requireNonNull(instance, "instance");
        String mark = presence.announce(instance) ? InstancePresence.PRESENT : "1";
        redis.call(liveness, "renew the instance's liveness", c -> c.set(keys.instanceAlive(instance), mark,
                io.lettuce.core.SetArgs.Builder.px(Math.max(1, ttl.toMillis()))));
    }

    /**
     * {@inheritDoc} Its liveness key and the subscribers of its presence channel, read in one round
     * trip: an instance whose key says it holds a presence subscription is dead once the channel had
     * no subscriber for {@link InstancePresence#GRACE} (its process died), else when its key expired.
     */
    @Override
    public boolean isAlive(String instance) {
        Objects.requireNonNull(instance, "instance");
        CompletableFuture<String> mark = redis.send(liveness, "check an instance's liveness", c -> c.get(keys.instanceAlive(instance)));
        CompletableFuture<java.util.Map<String, Long>> subscribers = redis.send(liveness, "check an instance's presence",
                c -> c.pubsubNumsub(keys.instancePresence(instance)));
        String value = redis.await("check an instance's liveness", mark);
        long present = redis.await("check an instance's presence", subscribers).getOrDefault(keys.instancePresence(instance), 0L);
        if (value == null) {
            presence.forget(instance);
            return false;
        }
        return !InstancePresence.PRESENT.equals(value) || presence.alive(instance, present);
    }

    @Override
    public void retire(String instance) {
        Objects.requireNonNull(instance, "instance");
        redis.call(liveness, "drop the instance's liveness", c -> c.del(keys.instanceAlive(instance)));
        presence.withdraw();
    }

    /** {@inheritDoc} The lease is two fields of the log's meta hash, so it goes with the log. */
    @Override
    public Optional<Lease> claim(StreamId stream, String owner) {
        Objects.requireNonNull(owner, "owner");
        long epoch = eval(CLAIM, stream, owner);
        return epoch > 0 ? Optional.of(new Lease(owner, epoch)) : Optional.empty();
    }

    @Override
    public Optional<Lease> lease(StreamId stream) {
        Objects.requireNonNull(stream, "stream");
        List<Object> reply = redis.eval(LEASE, ScriptOutputType.MULTI, keys.logScriptKeys(stream));
        return reply == null || reply.size() < 2 || reply.get(0) == null
                ? Optional.empty()
                : Optional.of(new Lease((String) reply.get(0), Long.parseLong((String) reply.get(1))));
    }

    @Override
    public Optional<Lease> takeOver(StreamId stream, Lease from, String owner) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(owner, "owner");
        long epoch = eval(TAKE_OVER, stream, owner, from.owner(), Long.toString(from.epoch()));
        return epoch > 0 ? Optional.of(new Lease(owner, epoch)) : Optional.empty();
    }

    /** {@inheritDoc} One script: the lease, the follower hold and the read at one instant, in one round trip. */
    @Override
    public Optional<TakenOver> takeOver(StreamId stream, Lease from, String owner, String follower, int max) {
        return takeOver(stream, from, owner, follower, "", max);
    }

    /**
     * {@inheritDoc} The same one script; the answers are the meta hash's {@code answered} field, which
     * each append under this adapter extends (a log last written by an mcp-relay that did not keep it
     * is read from its start).
     */
    @Override
    public Optional<TakenOver> takeOver(StreamId stream, Lease from, String owner, String follower, long after, int max) {
        if (after < 0) {
            throw new IllegalArgumentException("a read starts at a position >= 0, not " + after);
        }
        return takeOver(stream, from, owner, follower, Long.toString(after), max);
    }

    private Optional<TakenOver> takeOver(StreamId stream, Lease from, String owner, String follower, String after, int max) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(follower, "follower");
        if (max < 0) {
            throw new IllegalArgumentException("a read takes max >= 0 events, not " + max);
        }
        List<Object> reply = redis.eval(TAKE_OVER_READ, ScriptOutputType.MULTI, keys.logScriptKeys(stream),
                owner, from.owner(), Long.toString(from.epoch()), follower, Integer.toString(max), after);
        if (reply == null || reply.size() < 3) {
            return Optional.empty();
        }
        Lease taken = new Lease(owner, (Long) reply.get(0));
        Optional<java.util.Set<io.mcprelay.domain.jsonrpc.RequestId>> answered = reply.size() > 3 && Long.valueOf(1L).equals(reply.get(3))
                ? Optional.of(java.util.Set.copyOf(LogRedisCodec.requests(LogRedisCodec.field((List<?>) reply.get(1), "answered"))))
                : Optional.empty();
        return Optional.of(new TakenOver(taken, LogRedisCodec.slice(stream, (List<?>) reply.get(1), (List<?>) reply.get(2)), answered));
    }

    @Override
    public void follow(StreamId stream, String follower, Duration ttl) {
        Objects.requireNonNull(follower, "follower");
        eval(FOLLOW, stream, "take", follower, millis(ttl));
    }

    /**
     * {@inheritDoc} A hold that ran out with nobody taking it over is still the follower's: only
     * another follower ends it.
     */
    @Override
    public boolean stillFollowing(StreamId stream, String follower, Duration ttl) {
        Objects.requireNonNull(follower, "follower");
        return eval(FOLLOW, stream, "renew", follower, millis(ttl)) == 1L;
    }

    @Override
    public void unfollow(StreamId stream, String follower) {
        Objects.requireNonNull(follower, "follower");
        eval(FOLLOW, stream, "release", follower, "1");
    }

    @Override
    public boolean isFollowed(StreamId stream) {
        Objects.requireNonNull(stream, "stream");
        return redis.call("check a stream's follower", c -> c.exists(keys.logFollower(stream))) == 1L;
    }

    /** Ends this instance's presence subscription. */
    @Override
    public void close() {
        presence.close();
    }

    private Long eval(LuaScript script, StreamId stream, String... args) {
        Objects.requireNonNull(stream, "stream");
        return redis.eval(script, ScriptOutputType.INTEGER, keys.logScriptKeys(stream), args);
    }

    private static String millis(Duration duration) {
        return Long.toString(Math.max(1, duration.toMillis()));
    }
}
