package io.mcprelay.adapter.http.out;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One place in one of an upstream's budgets of open exchanges, for both HTTP clients: held from
 * before a request is sent until its answer is read whole or its stream is closed. Closing gives it
 * back, exactly once, from any thread.
 */
final class PoolPlace implements AutoCloseable {

    private final Semaphore budget;
    private final AtomicBoolean released = new AtomicBoolean();

    private PoolPlace(Semaphore budget) {
        this.budget = budget;
    }

    /**
     * Waits up to {@code queueTimeout} for a place in {@code budget}. Empty when none came in time, or
     * when the waiting thread was interrupted (its interrupt flag is then set again).
     */
    static Optional<PoolPlace> acquire(Semaphore budget, Duration queueTimeout) {
        try {
            if (budget.tryAcquire(queueTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return Optional.of(new PoolPlace(budget));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        if (released.compareAndSet(false, true)) {
            budget.release();
        }
    }
}
