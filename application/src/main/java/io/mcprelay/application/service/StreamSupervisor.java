package io.mcprelay.application.service;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Watches one pump from a virtual thread of its own while the pump is blocked reading upstream:
 * renews the stream's lease and log TTL (at least every third of the lease), sends a heartbeat
 * comment when the client stream has been idle for the heartbeat interval, and once nobody takes the
 * stream's events (its client gone, no follower here or on another instance), releases the upstream
 * connection when the disconnect grace time has passed. One sleeping virtual thread per open stream; it wakes only when something is due. Timers
 * run on monotonic time ({@link System#nanoTime()}), which wall-clock jumps cannot disturb.
 */
final class StreamSupervisor implements AutoCloseable {

    /** A re-attached upstream silent this long, with a request unanswered, is polled again. */
    static final Duration REPOLL_AFTER = Duration.ofSeconds(2);
    private static final Duration REPOLL_CHECK = Duration.ofMillis(500);

    private final StreamPump pump;
    private final StreamSettings settings;
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread thread;

    StreamSupervisor(StreamPump pump, StreamSettings settings, String name) {
        this.pump = pump;
        this.settings = settings;
        this.thread = Thread.ofVirtual().name("mcp-relay-stream-" + name).start(this::watch);
    }

    private void watch() {
        Long goneSince = null;
        try {
            while (true) {
                pump.tick();
                pump.repollIfStale(REPOLL_AFTER);
                long now = System.nanoTime();
                Duration wait;
                if (pump.attended()) {
                    goneSince = null;
                }
                if (pump.attached()) {
                    Duration idle = Duration.ofNanos(now - pump.lastWriteNanos());
                    if (idle.compareTo(settings.heartbeatInterval()) >= 0) {
                        pump.heartbeat();
                        continue;
                    }
                    wait = settings.heartbeatInterval().minus(idle);
                } else if (pump.attended()) {
                    wait = settings.heartbeatInterval();
                } else {
                    goneSince = goneSince == null ? now : goneSince;
                    Duration gone = Duration.ofNanos(now - goneSince);
                    if (gone.compareTo(settings.disconnectGrace()) >= 0) {
                        pump.releaseUpstream();
                        return;
                    }
                    wait = settings.disconnectGrace().minus(gone);
                }
                if (wait.compareTo(settings.renewEvery()) > 0) {
                    wait = settings.renewEvery();
                }
                if (pump.reattached() && wait.compareTo(REPOLL_CHECK) > 0) {
                    wait = REPOLL_CHECK;
                }
                if (done.await(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        done.countDown();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
