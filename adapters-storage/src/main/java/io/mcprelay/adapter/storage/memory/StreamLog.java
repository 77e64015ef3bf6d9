package io.mcprelay.adapter.storage.memory;

import io.mcprelay.application.port.out.ClockPort;
import io.mcprelay.application.port.out.EventLogPort.Entry;
import io.mcprelay.application.port.out.StreamLeasePort.Lease;
import io.mcprelay.application.port.out.EventLogPort.LeaseLostException;
import io.mcprelay.application.port.out.LogSlice;
import io.mcprelay.domain.stream.LogState;
import io.mcprelay.domain.stream.LoggedEvent;
import io.mcprelay.domain.stream.ReplayLogLimits;
import io.mcprelay.domain.stream.StreamInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One stream's replay log: the retained events, the positions, and the condition its readers wait on.
 *
 * <p>Every method runs under the log's own lock, so sequences are handed out without gaps and a
 * slice's events always match the state it reports. Appends, completion and {@link #drop()} signal
 * the condition. A log lives until it is dropped (evicted, deleted, found expired) or its TTL runs
 * out; after either it reports nothing and refuses appends, as if it had never existed.
 *
 * <p>The log also keeps its stream's lease (owner and epoch) under the same lock, so a write under a
 * lease is checked against it atomically, and the lease goes with the log.
 *
 * <p>The newest event is always retained, even when it alone weighs more than {@code maxBytes}:
 * otherwise a reader waiting for it would be woken with nothing to read.
 */
final class StreamLog {

    private final StreamInfo info;
    private final ReplayLogLimits limits;
    private final long openOrder;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<LoggedEvent> events = new ArrayDeque<>();
    private long lastSequence;
    private long retainedBytes;
    private boolean complete;
    private boolean dropped;
    private Optional<String> upstreamCursor = Optional.empty();
    private Instant expiresAt;
    /** The instance holding the stream's lease, or null; {@link #epoch} moves on with every claim and take-over. */
    private String owner;
    private long epoch;
    /** Bumped by {@link #wakeWaiters()}: a waiter that sees it move returns. */
    private long wakes;

    /**
     * @param openOrder orders logs by age: a smaller number was opened earlier
     * @param now       when the log opens; its TTL runs from here until the first activity
     */
    StreamLog(StreamInfo info, ReplayLogLimits limits, long openOrder, Instant now) {
        this.info = info;
        this.limits = limits;
        this.openOrder = openOrder;
        this.expiresAt = now.plus(limits.ttl());
    }

    StreamInfo info() {
        return info;
    }

    long openOrder() {
        return openOrder;
    }

    /**
     * Stores the event as {@code sequence}: true if stored now, false if the log already holds that
     * sequence; throws if {@code lease} is given and is no longer the stream's, or if that would leave
     * a gap, or the log is gone or complete.
     */
    boolean appendAt(long sequence, Entry entry, Lease lease, Instant now) {
        lock.lock();
        try {
            if (livesAt(now) && lease != null && !holds(lease)) {
                throw new LeaseLostException(info.id(), lease);
            }
            if (livesAt(now) && sequence <= lastSequence) {
                return false;
            }
            if (livesAt(now) && !complete && sequence != lastSequence + 1) {
                throw new IllegalStateException("stream " + info.id() + " has no event " + (sequence - 1) + " to follow");
            }
            append(entry, null, now);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Appends and returns the new event's sequence; throws if the log is gone or complete, or if
     * {@code lease} is given and is no longer the stream's.
     */
    long append(Entry entry, Lease lease, Instant now) {
        lock.lock();
        try {
            if (!livesAt(now)) {
                throw new IllegalStateException("no replay log for stream " + info.id() + " (unknown, expired or dropped)");
            }
            if (lease != null && !holds(lease)) {
                throw new LeaseLostException(info.id(), lease);
            }
            if (complete) {
                throw new IllegalStateException("stream " + info.id() + " is complete: no event may follow");
            }
            LoggedEvent event = new LoggedEvent(++lastSequence, entry.eventType(), entry.data(), entry.upstreamEventId());
            events.addLast(event);
            retainedBytes += event.weight();
            trim();
            entry.upstreamEventId().ifPresent(id -> upstreamCursor = Optional.of(id));
            touch(now);
            return event.sequence();
        } finally {
            lock.unlock();
        }
    }

    /** Records the upstream's cursor; ignored once the log is gone or complete, or {@code lease} (if given) was taken over. */
    void recordUpstreamCursor(String upstreamEventId, Lease lease, Instant now) {
        lock.lock();
        try {
            if (livesAt(now) && !complete && (lease == null || holds(lease))) {
                upstreamCursor = Optional.of(upstreamEventId);
                touch(now);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Renews the TTL of a live log; ignored once the log is gone. */
    void keepAlive(Instant now) {
        lock.lock();
        try {
            if (livesAt(now)) {
                expiresAt = now.plus(limits.ttl());
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Marks the stream ended; ignored once the log is gone, or {@code lease} (if given) was taken over.
     * Completing twice renews the TTL, nothing else.
     */
    void complete(Lease lease, Instant now) {
        lock.lock();
        try {
            if (livesAt(now) && (lease == null || holds(lease))) {
                complete = true;
                touch(now);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The lease {@code claimant} holds after claiming a free lease (or the one it held); empty if another holds it or the log is gone. */
    Optional<Lease> claim(String claimant, Instant now) {
        lock.lock();
        try {
            if (!livesAt(now)) {
                return Optional.empty();
            }
            if (owner == null) {
                owner = claimant;
                epoch++;
            }
            return owner.equals(claimant) ? Optional.of(new Lease(owner, epoch)) : Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    Optional<Lease> lease(Instant now) {
        lock.lock();
        try {
            return livesAt(now) && owner != null ? Optional.of(new Lease(owner, epoch)) : Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** Moves the lease from {@code from} to {@code claimant} under a new epoch, if {@code from} is still it and the stream goes on. */
    Optional<Lease> takeOver(Lease from, String claimant, Instant now) {
        lock.lock();
        try {
            if (!livesAt(now) || complete || !holds(from)) {
                return Optional.empty();
            }
            owner = claimant;
            epoch++;
            return Optional.of(new Lease(owner, epoch));
        } finally {
            lock.unlock();
        }
    }

    /** Ends the waits in progress: they return with what the log holds. */
    void wakeWaiters() {
        lock.lock();
        try {
            wakes++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private boolean holds(Lease lease) {
        return lease.owner().equals(owner) && lease.epoch() == epoch;
    }

    Optional<LogState> state(Instant now) {
        lock.lock();
        try {
            return livesAt(now) ? Optional.of(currentState()) : Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    LogSlice readAfter(long afterSequence, int max, Instant now) {
        lock.lock();
        try {
            return sliceAt(afterSequence, max, now);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits on the condition until an event after the position exists, the stream completes, the
     * log is gone, or {@code timeout} passes; then reads. The clock is read again after every wake-up,
     * so expiry is noticed on the next signal or at the timeout. An interrupt or {@link #wakeWaiters()}
     * ends the wait early (an interrupt stays set on the thread).
     */
    LogSlice awaitAfter(long afterSequence, int max, Duration timeout, ClockPort clock) {
        long remaining = nanosOf(timeout);
        lock.lock();
        try {
            long woken = wakes;
            while (remaining > 0 && livesAt(clock.now()) && !complete && lastSequence <= afterSequence && wakes == woken) {
                remaining = changed.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        return readAfter(afterSequence, max, clock.now());
    }

    /** Whether the log is complete; an expired or dropped log counts as neither. */
    boolean isComplete() {
        lock.lock();
        try {
            return complete && !dropped;
        } finally {
            lock.unlock();
        }
    }

    boolean livesAt(Instant now) {
        lock.lock();
        try {
            return !dropped && now.isBefore(expiresAt);
        } finally {
            lock.unlock();
        }
    }

    /** Forgets every event and wakes every waiter; they then see no log. */
    void drop() {
        lock.lock();
        try {
            dropped = true;
            events.clear();
            retainedBytes = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private LogSlice sliceAt(long afterSequence, int max, Instant now) {
        if (!livesAt(now)) {
            return LogSlice.missing();
        }
        List<LoggedEvent> found = new ArrayList<>(Math.min(max, events.size()));
        if (afterSequence < lastSequence) {
            for (LoggedEvent event : events) {
                if (found.size() == max) {
                    break;
                }
                if (event.sequence() > afterSequence) {
                    found.add(event);
                }
            }
        }
        return new LogSlice(found, Optional.of(currentState()));
    }

    private LogState currentState() {
        long first = events.isEmpty() ? lastSequence + 1 : events.peekFirst().sequence();
        return new LogState(info, first, lastSequence, complete, upstreamCursor);
    }

    private void trim() {
        while (events.size() > 1 && (events.size() > limits.maxEvents() || retainedBytes > limits.maxBytes())) {
            retainedBytes -= events.removeFirst().weight();
        }
    }

    private void touch(Instant now) {
        expiresAt = now.plus(limits.ttl());
        changed.signalAll();
    }

    private static long nanosOf(Duration timeout) {
        try {
            return timeout.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
