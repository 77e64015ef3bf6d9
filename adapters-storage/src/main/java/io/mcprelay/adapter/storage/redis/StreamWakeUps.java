package io.mcprelay.adapter.storage.redis;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.mcprelay.application.port.out.StoreUnavailableException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes the threads of this instance that wait for a stream, when any instance appends to it,
 * completes it or drops it.
 *
 * <p>Those writes PUBLISH on the stream's channel inside their script. One pub/sub connection per
 * replay log (opened on the first wait, PSUBSCRIBEd to {@code <prefix>:wake:*}) receives every
 * such message and, on Lettuce's event loop, bumps a version number and signals a condition kept
 * per stream while someone waits on it. A waiter reads the version before it reads the log, and
 * then sleeps until the version moves or a re-check interval passes: a message that arrives while
 * it reads is not lost, and a message that never arrives (a reconnection, a subscription not yet
 * made, a log that simply expired) can only delay a waiter by one interval, never hang it.
 */
final class StreamWakeUps implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(StreamWakeUps.class.getName());
    /** How long after a failed subscription the next wait tries again. */
    private static final long RESUBSCRIBE_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final RedisConnection redis;
    private final String channelPrefix;
    private final String pattern;
    private final ConcurrentHashMap<String, Signal> signals = new ConcurrentHashMap<>();
    private final ReentrantLock subscribeLock = new ReentrantLock();
    private volatile StatefulRedisPubSubConnection<String, String> pubSub;
    private long lastAttempt;
    private boolean closed;

    StreamWakeUps(RedisConnection redis, RedisKeys keys) {
        this.redis = redis;
        this.channelPrefix = keys.wakeChannelPrefix();
        this.pattern = keys.wakePattern();
    }

    /** Starts waiting on {@code stream}: the caller must {@link #release} the signal in a finally block. */
    Signal register(String stream) {
        subscribe();
        return signals.compute(stream, (id, signal) -> (signal == null ? new Signal() : signal).retain());
    }

    /** Stops waiting on the signal's stream; the last waiter removes it. */
    void release(String stream, Signal signal) {
        signals.computeIfPresent(stream, (id, current) -> current == signal && signal.release() ? null : current);
    }

    @Override
    public void close() {
        subscribeLock.lock();
        try {
            closed = true;
            if (pubSub != null) {
                redis.closePubSub(pubSub);
                pubSub = null;
            }
        } finally {
            subscribeLock.unlock();
        }
    }

    /** Subscribes once; after a failure, waiters fall back to re-checking until an attempt succeeds. */
    private void subscribe() {
        if (pubSub != null) {
            return;
        }
        subscribeLock.lock();
        try {
            if (closed || pubSub != null || System.nanoTime() - lastAttempt < RESUBSCRIBE_AFTER_NANOS && lastAttempt != 0) {
                return;
            }
            lastAttempt = System.nanoTime();
            StatefulRedisPubSubConnection<String, String> connection = redis.connectPubSub(new Listener());
            try {
                redis.await("subscribe to wake-ups", connection.async().psubscribe(pattern).toCompletableFuture());
                pubSub = connection;
            } catch (StoreUnavailableException e) {
                redis.closePubSub(connection);
                throw e;
            }
        } catch (StoreUnavailableException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot subscribe to replay-log wake-ups; waiters re-check instead: {0}",
                    e.getMessage());
        } finally {
            subscribeLock.unlock();
        }
    }

    /** Ends the waits on {@code stream} in progress in this process (see {@link Signal#interrupts()}). */
    void interrupt(String stream) {
        Signal signal = signals.get(stream);
        if (signal != null) {
            signal.interrupt();
        }
    }

    private void wake(String channel) {
        if (channel.startsWith(channelPrefix)) {
            Signal signal = signals.get(channel.substring(channelPrefix.length()));
            if (signal != null) {
                signal.bump();
            }
        }
    }

    private final class Listener extends RedisPubSubAdapter<String, String> {
        @Override
        public void message(String subscribedPattern, String channel, String message) {
            wake(channel);
        }
    }

    /** A version number and a condition for the waiters of one stream. */
    static final class Signal {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private long version;
        private long interrupts;
        private int waiters;

        /** How often the waits on this stream were interrupted: a waiter that sees it move stops waiting. */
        long interrupts() {
            lock.lock();
            try {
                return interrupts;
            } finally {
                lock.unlock();
            }
        }

        private void interrupt() {
            lock.lock();
            try {
                interrupts++;
                version++;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        long version() {
            lock.lock();
            try {
                return version;
            } finally {
                lock.unlock();
            }
        }

        /**
         * Sleeps until the version is no longer {@code seen} or {@code nanos} pass.
         *
         * @throws InterruptedException if the thread is interrupted meanwhile
         */
        void awaitChange(long seen, long nanos) throws InterruptedException {
            lock.lock();
            try {
                long remaining = nanos;
                while (version == seen && remaining > 0) {
                    remaining = changed.awaitNanos(remaining);
                }
            } finally {
                lock.unlock();
            }
        }

        private void bump() {
            lock.lock();
            try {
                version++;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        private Signal retain() {
            waiters++;
            return this;
        }

        /** True when no waiter is left. Called inside the map's compute, which serializes it with retain. */
        private boolean release() {
            return --waiters == 0;
        }
    }
}
