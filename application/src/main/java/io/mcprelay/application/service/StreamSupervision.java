package io.mcprelay.application.service;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Supervises every open stream (lease and log TTL renewal, heartbeats, repolls, releasing an
 * unattended upstream after the disconnect grace: see {@link StreamSupervisor}) from one timer
 * thread, instead of one sleeping virtual thread per stream, whose stack was a fifth of a stream's
 * memory. The timer only keeps each stream's next wake-up (one queue entry per open stream, and open
 * streams are bounded by the settings) and starts the due step on a short-lived virtual thread, so a
 * step that blocks never delays another stream's.
 *
 * <p>Built by the composition root and shared by every {@link StreamRelay}; {@link #close()} it on
 * shutdown. Streams that are still open then go unsupervised.
 */
public final class StreamSupervision implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(StreamSupervision.class.getName());
    /** The name of the timer thread. */
    static final String TIMER_THREAD = "mcp-relay-stream-supervision";
    /** The name of the liveness thread. */
    static final String LIVENESS_THREAD = "mcp-relay-liveness";

    private final ScheduledThreadPoolExecutor timer;
    /**
     * The instance's liveness work ({@link InstanceLiveness}: renewing its mark, watching owners) runs
     * on a platform thread of its own, not on virtual threads: under load (thousands of streams on
     * one core) a virtual thread can wait for a carrier longer than the lease, and a late renewal
     * makes other instances take this one's streams over.
     */
    private final ScheduledThreadPoolExecutor liveness;
    private final Duration closeWait;

    /** A supervision whose stream close waits at most 5 seconds for a running step. */
    public StreamSupervision() {
        this(Duration.ofSeconds(5));
    }

    /** @param closeWait how long closing a stream's supervisor waits for its running step */
    StreamSupervision(Duration closeWait) {
        this.closeWait = Objects.requireNonNull(closeWait, "closeWait");
        this.timer = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name(TIMER_THREAD).daemon().factory());
        // a closed stream's wake-up leaves the queue at once, so the queue holds one entry per open stream
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.liveness = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name(LIVENESS_THREAD).daemon().factory());
        liveness.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Starts supervising {@code stream} (its first step runs at once) until the returned supervisor is closed. */
    StreamSupervisor supervise(SupervisedStream stream, StreamSettings settings, String name) {
        StreamSupervisor supervisor = new StreamSupervisor(this, stream, settings, name);
        supervisor.start();
        return supervisor;
    }

    /** Runs {@code due} on the timer thread after {@code wait} (at least a millisecond, but at once for zero); null once shut down. */
    ScheduledFuture<?> schedule(Runnable due, Duration wait) {
        long millis = wait.isZero() ? 0 : Math.max(1, wait.toMillis());
        try {
            return timer.schedule(due, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.log(System.Logger.Level.DEBUG, "stream supervision is shut down: a stream goes unsupervised");
            return null;
        }
    }

    /** Runs {@code task} on the liveness thread after {@code wait}; ignored once shut down. */
    void scheduleLiveness(Runnable task, Duration wait) {
        try {
            liveness.schedule(task, Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.log(System.Logger.Level.DEBUG, "stream supervision is shut down: no more liveness work");
        }
    }

    Duration closeWait() {
        return closeWait;
    }

    /** The wake-ups waiting in the timer's queue: one per supervised stream between its steps. */
    int pending() {
        return timer.getQueue().size();
    }

    /**
     * Stops the timer and the liveness thread: no step starts any more; running ones finish. Waits
     * (briefly) for both threads to end, so that a liveness mark dropped right after this returns is
     * not renewed behind the dropper's back by a beat that was under way.
     */
    @Override
    public void close() {
        timer.shutdownNow();
        liveness.shutdownNow();
        try {
            liveness.awaitTermination(closeWait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            // the timer only schedules (steps run on virtual threads): it ends at once, and then no thread of ours is left
            timer.awaitTermination(closeWait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
