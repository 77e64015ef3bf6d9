package io.mcprelay.adapter.http.out;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The response-head deadline of the Helidon client, whose reads each restart the read timeout and
 * which tells nobody when a head's first byte came: a call that has no head by the deadline has its
 * thread interrupted, which on a virtual thread (each request of the relay runs on one) closes the
 * socket it blocks on, and the call fails. One daemon thread per adapter keeps the deadlines; a
 * deadline not reached costs a queue entry, removed when the head comes.
 */
final class HeadDeadline {

    private static final int PENDING = 0;
    private static final int ENDED = 1;
    private static final int FIRED = 2;

    private final AtomicInteger state = new AtomicInteger(PENDING);
    private final ScheduledFuture<?> task;

    private HeadDeadline(ScheduledThreadPoolExecutor timer, Duration after) {
        Thread caller = Thread.currentThread();
        this.task = timer.schedule(() -> {
            if (state.compareAndSet(PENDING, FIRED)) {
                caller.interrupt();
            }
        }, after.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The thread that keeps an adapter's deadlines. */
    static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("mcp-relay-upstream-head-deadlines").factory());
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** Starts the deadline of the calling thread's call, {@code after} from now. */
    static HeadDeadline start(ScheduledThreadPoolExecutor timer, Duration after) {
        return new HeadDeadline(timer, after);
    }

    /**
     * Ends the deadline, on the calling thread, once its call returned or failed. Returns whether it
     * had fired; then the interrupt it caused is cleared (the call it was meant for is over).
     */
    boolean end() {
        if (state.compareAndSet(PENDING, ENDED)) {
            task.cancel(false);
            return false;
        }
        Thread.interrupted();
        return true;
    }
}
