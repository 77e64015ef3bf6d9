package io.mcprelay.adapter.storage.redis;

import io.mcprelay.domain.session.Session;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The sessions one instance read from Redis recently, by key, valid while Redis has not told it
 * otherwise: the bookkeeping half of the near-cache, free of I/O so that its ordering rules can be
 * tested alone. {@link RedisSessionStoreAdapter} does the Redis half.
 *
 * <p><b>Why tickets.</b> A read's answer and an invalidation push for the same key arrive on the
 * same connection in the order Redis produced them, but the answer is put into the cache by the
 * caller's thread, later: a push handled in between would be lost, and the stale answer cached for
 * good. So every Redis call first takes a {@link Ticket} (the key's invalidation stamp and the
 * connection epoch, before the command is sent), and its answer is cached only if neither moved
 * since. Stamps are per stripe of keys (a bounded array, not per key): an invalidation of another
 * key in the same stripe costs a cache miss, never a stale entry.
 *
 * <p><b>Epochs.</b> Each disconnection, reconnection or "flush all" starts a new epoch and empties
 * the cache. Redis tracks keys per connection, so tracking must be switched on again on the new
 * one: until {@link #trackingOn} confirms it for the current epoch, tickets say so and nothing is
 * cached (a read sent before tracking was on would never be invalidated).
 *
 * <p><b>Own writes.</b> With {@code NOLOOP} Redis sends no push for this instance's own writes, so
 * two overlapping calls of this instance on one key could otherwise cache their answers in the
 * wrong order. A write therefore moves the key's stamp (after it has its answer): of two
 * overlapping calls at most the first to finish caches, and a later write drops it.
 *
 * <p><b>Bounds.</b> At most {@code capacity} entries, least recently used evicted first. An entry
 * may keep only the time of this instance's last renewal of the session after the session itself
 * was invalidated, so that a throttled {@code touch} reads the session again without renewing it.
 * All methods are thread-safe; each holds one lock for a few map operations.
 */
final class SessionNearCache {

    /** A renewal time meaning "never renewed from here". */
    static final long NEVER = Long.MIN_VALUE;

    private static final int STRIPES = 1024;

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Entry> entries;
    private final long[] stamps = new long[STRIPES];
    private long epoch;
    private long trackedEpoch = -1;

    /**
     * @param session   the session as last read or written here; empty once invalidated
     * @param renewedAt when this instance last renewed the session's TTL ({@link System#nanoTime()}), or {@link #NEVER}
     */
    record Entry(Optional<Session> session, long renewedAt) {
    }

    /** What a Redis call saw before it was sent; its answer is cached only if this still holds. */
    record Ticket(String key, long epoch, long stamp, boolean tracked) {
    }

    SessionNearCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a near-cache holds at least 1 entry, not " + capacity);
        }
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, SessionNearCache.Entry> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The entry for {@code key}, if any (counts as a use for eviction). */
    Optional<Entry> get(String key) {
        lock.lock();
        try {
            return Optional.ofNullable(entries.get(key));
        } finally {
            lock.unlock();
        }
    }

    /** Take before sending a command on {@code key}. */
    Ticket ticket(String key) {
        lock.lock();
        try {
            return new Ticket(key, epoch, stamps[stripe(key)], trackedEpoch == epoch);
        } finally {
            lock.unlock();
        }
    }

    /** The current epoch: take it before sending {@code CLIENT TRACKING ON}, give it to {@link #trackingOn} after. */
    long epoch() {
        lock.lock();
        try {
            return epoch;
        } finally {
            lock.unlock();
        }
    }

    /** Whether tracking is confirmed on the connection of the current epoch. */
    boolean tracking() {
        lock.lock();
        try {
            return trackedEpoch == epoch;
        } finally {
            lock.unlock();
        }
    }

    /** Redis confirmed tracking on a command sent in {@code sentIn}; ignored if the connection changed since. */
    void trackingOn(long sentIn) {
        lock.lock();
        try {
            if (sentIn == epoch) {
                trackedEpoch = sentIn;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Caches what a read found, keeping the renewal time {@code renewedAt} (or a later one claimed
     * meanwhile), if the ticket still holds; an absent session drops the entry either way.
     */
    void afterRead(Ticket ticket, Optional<Session> found, long renewedAt) {
        lock.lock();
        try {
            if (found.isEmpty()) {
                entries.remove(ticket.key());
            } else if (holds(ticket)) {
                entries.put(ticket.key(), new Entry(found, latestRenewal(ticket.key(), renewedAt)));
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether the caller is the one to renew {@code key}'s TTL now: true when no renewal from here is
     * on record within {@code intervalNanos} of {@code now} (or the interval is zero), and the
     * renewal time is then set to {@code now} at once, so that the requests that come while the
     * renewal is on its way to Redis see it as done and are served from the cache. Without this,
     * every request of a busy session sent its own renewal when one fell due, each overlapping write
     * dropped the entry the others had cached, and the session was read from Redis on every request
     * for as long as requests overlapped (the JSON benchmark at 64 connections: p99 470 ms).
     */
    boolean claimRenewal(String key, long now, long intervalNanos) {
        lock.lock();
        try {
            Entry entry = entries.get(key);
            if (intervalNanos > 0 && entry != null && entry.renewedAt() != NEVER && now - entry.renewedAt() < intervalNanos) {
                return false;
            }
            entries.put(key, new Entry(entry == null ? Optional.empty() : entry.session(), now));
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * After this instance's own write on the key: caches its answer with renewal time
     * {@code renewedAt} (or a later one claimed meanwhile) if the ticket still holds, and moves the
     * key's stamp so that no call that overlapped the write caches its older answer. An absent
     * session drops the entry; a write that overlapped another call keeps only the renewal time
     * (the session is read again, not renewed).
     */
    void afterWrite(Ticket ticket, Optional<Session> written, long renewedAt) {
        lock.lock();
        try {
            boolean holds = holds(ticket);
            stamps[stripe(ticket.key())]++;
            long latest = latestRenewal(ticket.key(), renewedAt);
            if (written.isEmpty()) {
                entries.remove(ticket.key());
            } else if (holds) {
                entries.put(ticket.key(), new Entry(written, latest));
            } else if (latest != NEVER) {
                entries.put(ticket.key(), new Entry(Optional.empty(), latest));
            } else {
                entries.remove(ticket.key());
            }
        } finally {
            lock.unlock();
        }
    }

    /** As {@link #afterWrite(Ticket, Optional, long)}, keeping the entry's renewal time (a write that renews nothing). */
    void afterWrite(Ticket ticket, Optional<Session> written) {
        lock.lock();
        try {
            Entry existing = entries.get(ticket.key());
            afterWrite(ticket, written, existing == null ? NEVER : existing.renewedAt());
        } finally {
            lock.unlock();
        }
    }

    /** Redis says {@code key} changed (or this instance changed it on another connection): drop its session. */
    void invalidate(String key) {
        lock.lock();
        try {
            stamps[stripe(key)]++;
            Entry entry = entries.get(key);
            if (entry != null) {
                if (entry.renewedAt() == NEVER) {
                    entries.remove(key);
                } else {
                    entries.put(key, new Entry(Optional.empty(), entry.renewedAt()));
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Redis says everything may have changed, or the connection changed: drop every entry, start a new epoch. */
    void invalidateAll() {
        lock.lock();
        try {
            epoch++;
            entries.clear();
        } finally {
            lock.unlock();
        }
    }

    /** How many entries are held (with or without a session). */
    int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The later of {@code renewedAt} and the renewal time on record for {@code key}: a call that
     * finishes after a newer renewal was claimed (a slow read, or a renewal overtaken by the next
     * one on a loaded machine) must not set the clock back, or the next touch would find a renewal
     * due at once and each such call would add a renewal to the interval's one. Times are
     * {@link System#nanoTime()} values, compared by their difference. Call with the lock held.
     */
    private long latestRenewal(String key, long renewedAt) {
        Entry existing = entries.get(key);
        if (existing == null || existing.renewedAt() == NEVER) {
            return renewedAt;
        }
        return renewedAt != NEVER && renewedAt - existing.renewedAt() >= 0 ? renewedAt : existing.renewedAt();
    }

    private boolean holds(Ticket ticket) {
        return ticket.tracked() && ticket.epoch() == epoch && trackedEpoch == epoch && ticket.stamp() == stamps[stripe(ticket.key())];
    }

    private static int stripe(String key) {
        return (key.hashCode() & 0x7fffffff) % STRIPES;
    }
}
