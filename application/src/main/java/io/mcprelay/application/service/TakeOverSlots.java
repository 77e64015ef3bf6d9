package io.mcprelay.application.service;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds the take-overs this instance runs at once. When an instance dies, every stream of it that
 * is followed here is taken over at the same moment (thousands at once). Each take-over is a few
 * store round trips and an upstream re-attachment; started all together, they queue behind each
 * other at every step, so even the first finishes late, while the store's command timeout runs for
 * all of them. With a bound, they are served in the order they came (the slots are fair), at the
 * rate the instance can work: the first streams resume at once, and none waits longer than the
 * whole storm takes anyway.
 *
 * <p>A slot is held from the decision to take a stream over until the upstream is re-attached (the
 * lease check, the take-over, the upstream's GET): store and upstream work, which is what thrashes.
 * Never while writing to the client (the catch-up, then the relaying): client writes have no
 * timeout, and a client that stopped reading must not keep a slot.
 */
final class TakeOverSlots {

    /**
     * Take-overs at once by default: enough to cover the round trips' latency (a take-over is mostly
     * waiting for the store and the upstream), few enough that the queue stays short.
     */
    static final int DEFAULT = 64;

    private final Semaphore slots;

    TakeOverSlots(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("at least one take-over at a time, not " + max);
        }
        this.slots = new Semaphore(max, true);
    }

    /**
     * A slot, waiting up to {@code wait} for one; empty when none came free in time, or when the
     * thread was interrupted (it stays interrupted).
     */
    Optional<Slot> take(Duration wait) {
        long nanos;
        try {
            nanos = Math.max(0, wait.toNanos());
        } catch (ArithmeticException e) {
            nanos = Long.MAX_VALUE;
        }
        try {
            return slots.tryAcquire(nanos, TimeUnit.NANOSECONDS) ? Optional.of(new Slot()) : Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Slots free right now (for tests). */
    int free() {
        return slots.availablePermits();
    }

    /** One take-over's place; closing it more than once frees it once. */
    final class Slot implements AutoCloseable {
        private final AtomicBoolean held = new AtomicBoolean(true);

        private Slot() {
        }

        @Override
        public void close() {
            if (held.compareAndSet(true, false)) {
                slots.release();
            }
        }
    }
}
