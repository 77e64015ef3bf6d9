package io.mcprelay.adapter.storage.redis;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.mcprelay.application.port.out.StoreUnavailableException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The half of an instance's liveness that a process death ends at once: a subscription to the
 * instance's own presence channel, held on a pub/sub connection of its own.
 *
 * <p>Why: the liveness key ({@link RedisKeys#instanceAlive}) alone says an instance is dead only when
 * its TTL runs out, 1.5-2 s after a {@code kill -9} with the default lease. But when a process dies
 * (killed, crashed, out of memory), its kernel closes its sockets, Redis drops its subscriptions
 * with them, and {@code PUBSUB NUMSUB} of the channel falls to 0 at once. So the key's value says
 * whether its instance holds a presence subscription ({@link #PRESENT}); when it does, another
 * instance counts it dead as soon as the channel has had no subscriber for {@link #GRACE}, and
 * otherwise (no subscription, an older instance) by the key alone, as before. A frozen, paused or
 * partitioned instance keeps its socket (or Redis does not notice yet): for those the TTL decides,
 * so the stall tolerance of the lease is unchanged.
 *
 * <p>The grace covers a subscription that breaks while its instance lives (Redis closed the
 * connection, a proxy reset it): Lettuce reconnects and subscribes again after 100 ms, so 300 ms
 * leave room for one slow attempt while a dead process's streams move within half a second. An absence
 * longer than the grace makes followers take the instance's streams over, which fencing keeps safe
 * (it costs re-attachments, never a duplicate event); the instance then marks its key as not
 * {@link #PRESENT} until its subscription is back, so it is judged by the TTL meanwhile.
 */
final class InstancePresence implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(InstancePresence.class.getName());
    /** The liveness key's value while its instance holds its presence subscription. */
    static final String PRESENT = "present";
    /** How long a present instance's channel may have no subscriber before the instance counts as dead. */
    static final Duration GRACE = Duration.ofMillis(300);

    private final RedisConnection redis;
    private final RedisKeys keys;
    private final ReentrantLock lock = new ReentrantLock();
    /** Since when ({@link System#nanoTime()}) each instance asked about had no subscriber, while it had none. */
    private final Map<String, Long> absentSince = new ConcurrentHashMap<>();
    /** Instances whose end by presence was logged (once each, until their key is gone). */
    private final java.util.Set<String> reportedGone = ConcurrentHashMap.newKeySet();
    private StatefulRedisPubSubConnection<String, String> own;
    private String ownInstance;
    private boolean warned;
    private boolean closed;

    InstancePresence(RedisConnection redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    /**
     * Makes sure {@code instance} (this one) holds its presence subscription, subscribing if it does
     * not yet or lost it; true when it holds it. A failure is logged once (the liveness key then says
     * the instance is to be judged by its TTL alone) and retried at the next call.
     */
    boolean announce(String instance) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            if (own != null && instance.equals(ownInstance)) {
                return own.isOpen();
            }
            dropOwn();
            StatefulRedisPubSubConnection<String, String> connection = redis.connectPubSub(new RedisPubSubAdapter<>());
            try {
                redis.await("subscribe to the instance's presence", connection.async().subscribe(keys.instancePresence(instance))
                        .toCompletableFuture());
            } catch (StoreUnavailableException e) {
                redis.closePubSub(connection);
                throw e;
            }
            own = connection;
            ownInstance = instance;
            if (warned) {
                warned = false;
                LOG.log(System.Logger.Level.INFO, "instance {0}: presence subscription held again", instance);
            }
            return true;
        } catch (StoreUnavailableException e) {
            if (!warned) {
                warned = true;
                LOG.log(System.Logger.Level.WARNING, "instance {0}: no presence subscription (other instances notice its death "
                        + "by its liveness key's TTL alone): {1}", instance, e.getMessage());
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether an instance whose liveness key says {@link #PRESENT} is alive, given how many
     * subscribers its channel has now: alive while it has one, and for {@link #GRACE} after it had
     * none for the first time.
     */
    boolean alive(String instance, long subscribers) {
        if (subscribers > 0) {
            absentSince.remove(instance);
            reportedGone.remove(instance);
            return true;
        }
        long now = System.nanoTime();
        long since = absentSince.computeIfAbsent(instance, i -> now);
        boolean alive = now - since < GRACE.toNanos();
        if (!alive && reportedGone.add(instance)) {
            LOG.log(System.Logger.Level.INFO, "instance {0}: its presence subscription has been gone for {1} ms while its "
                    + "liveness key lives: its process ended", instance, (now - since) / 1_000_000);
        }
        return alive;
    }

    /** Forgets what was seen of an instance whose liveness key is gone. */
    void forget(String instance) {
        absentSince.remove(instance);
        reportedGone.remove(instance);
    }

    /** Ends this instance's presence subscription (a clean shutdown); a later {@link #announce} subscribes again. */
    void withdraw() {
        lock.lock();
        try {
            dropOwn();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            dropOwn();
        } finally {
            lock.unlock();
        }
    }

    private void dropOwn() {
        if (own != null) {
            redis.closePubSub(own);
            own = null;
            ownInstance = null;
        }
    }
}
