package io.mcprelay.application.service;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Watches one stream while its own thread is blocked reading upstream: renews its log TTL and
 * checks that this instance still holds the stream's lease (every {@link StreamSettings#renewEvery()};
 * the instance's liveness is kept once for all streams by {@link InstanceLiveness}), sends a heartbeat comment when the client stream
 * has been idle for the heartbeat interval, polls a stale re-attached upstream, and once nobody
 * takes the stream's events (its client gone, no follower here or on another instance), releases the
 * upstream connection when the disconnect grace time has passed, or at once for a stream that owes
 * its client nothing (the standalone GET stream: its upstream slot is not held for a client that left). Timers run on monotonic time
 * ({@link System#nanoTime()}), which wall-clock jumps cannot disturb.
 *
 * <p>It holds no thread between steps: {@link StreamSupervision}'s timer wakes it when the next
 * thing is due and the step runs on a short-lived virtual thread (it may block: a heartbeat to a
 * slow client, a log keep-alive in Redis), which schedules the next wake-up when it ends. So at most
 * one step of a stream runs at a time, and between steps a stream costs one entry in the timer's
 * queue. After {@link #close()} no step starts; close waits for a running one, at most
 * {@link StreamSupervision}'s bound.
 */
final class StreamSupervisor implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(StreamSupervisor.class.getName());
    /** A re-attached upstream silent this long, with a request unanswered, is polled again. */
    static final Duration REPOLL_AFTER = Duration.ofSeconds(2);
    /** A re-attached stream is looked at when it would turn stale, but not more often than this. */
    private static final Duration REPOLL_CHECK = Duration.ofMillis(500);

    private final StreamSupervision supervision;
    private final SupervisedStream stream;
    private final StreamSettings settings;
    private final String name;
    /** Guards {@link #due} and {@link #running}; held only for moments, never while a step runs or close waits. */
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean closed;
    private ScheduledFuture<?> due;
    private Thread running;
    /** When ({@link System#nanoTime()}) the stream was first seen unattended; only steps use it, one at a time. */
    private Long goneSince;

    StreamSupervisor(StreamSupervision supervision, SupervisedStream stream, StreamSettings settings, String name) {
        this.supervision = supervision;
        this.stream = stream;
        this.settings = settings;
        this.name = name;
    }

    /** Takes the first step at once, as the stream starts. */
    void start() {
        lock.lock();
        try {
            due = supervision.schedule(this::fire, Duration.ZERO);
        } finally {
            lock.unlock();
        }
    }

    /** On the timer thread: hands the due step to a virtual thread of its own, never blocking the timer. */
    private void fire() {
        lock.lock();
        try {
            due = null;
            if (!closed) {
                running = Thread.ofVirtual().name("mcp-relay-stream-" + name).start(this::runStep);
            }
        } finally {
            lock.unlock();
        }
    }

    private void runStep() {
        Optional<Duration> next = Optional.empty();
        try {
            next = step();
        } catch (RuntimeException e) {
            // a bug rather than an outage (the stream's own calls log their failures): keep supervising
            LOG.log(System.Logger.Level.WARNING, "stream " + name + ": supervision step failed; next one in "
                    + settings.renewEvery(), e);
            next = Optional.of(settings.renewEvery());
        } finally {
            lock.lock();
            try {
                running = null;
                if (!closed && next.isPresent()) {
                    due = supervision.schedule(this::fire, next.get());
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Does whatever is due now and says how long to wait for the next step, or nothing when there
     * will be none (the upstream was released, or the supervisor closed).
     */
    Optional<Duration> step() {
        while (!closed) {
            stream.tick();
            stream.repollIfStale(REPOLL_AFTER);
            long now = System.nanoTime();
            Duration wait;
            if (stream.attended()) {
                goneSince = null;
            }
            if (stream.attached()) {
                Duration idle = Duration.ofNanos(now - stream.lastWriteNanos());
                if (idle.compareTo(settings.heartbeatInterval()) >= 0) {
                    stream.heartbeat();
                    continue;
                }
                wait = settings.heartbeatInterval().minus(idle);
            } else if (stream.attended()) {
                wait = settings.heartbeatInterval();
            } else {
                goneSince = goneSince == null ? now : goneSince;
                Duration gone = Duration.ofNanos(now - goneSince);
                if (stream.owesNothing() || gone.compareTo(settings.disconnectGrace()) >= 0) {
                    stream.releaseUpstream();
                    return Optional.empty();
                }
                wait = settings.disconnectGrace().minus(gone);
            }
            if (wait.compareTo(settings.renewEvery()) > 0) {
                wait = settings.renewEvery();
            }
            if (stream.reattached()) {
                // when its silence would reach REPOLL_AFTER, not every half second: an upstream that sends
                // events keeps pushing that back, and thousands of taken-over streams step less often
                Duration stale = stream.untilStale(REPOLL_AFTER);
                Duration check = stale.compareTo(REPOLL_CHECK) > 0 ? stale : REPOLL_CHECK;
                if (wait.compareTo(check) > 0) {
                    wait = check;
                }
            }
            return Optional.of(wait);
        }
        return Optional.empty();
    }

    /**
     * Stops supervising: cancels the pending wake-up at once, and if a step is running, waits for it
     * (at most {@link StreamSupervision}'s bound), so no step acts on a stream that has ended.
     */
    @Override
    public void close() {
        Thread step;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (due != null) {
                due.cancel(false);
                due = null;
            }
            step = running;
        } finally {
            lock.unlock();
        }
        if (step != null && step != Thread.currentThread()) {
            try {
                step.join(supervision.closeWait());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
