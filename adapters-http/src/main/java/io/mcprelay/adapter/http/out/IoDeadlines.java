package io.mcprelay.adapter.http.out;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The read timeout of upstream connections, kept by one watchdog instead of by the sockets.
 *
 * <p>A socket read timeout ({@code SO_TIMEOUT}) costs a timer per read on a virtual thread: the JDK
 * schedules a task with its delay scheduler before the thread parks and cancels it when the bytes
 * come, and each of the two wakes the scheduler's platform thread. On the JSON path that was about a
 * third of the relay's CPU (docs/benchmarks.md, "Where the time goes"). Here a read or write only
 * notes when it started ({@link UpstreamConnection}); a watchdog looks at the open connections every
 * {@link #tickNanos() tick} and closes each one that has waited longer than the timeout, which fails
 * the blocked call, and the connection turns that failure into the
 * {@link java.net.SocketTimeoutException} the socket would have thrown. A wait is so ended between
 * {@code timeout} and {@code timeout + tick} after it began.
 *
 * <p>The watchdog is a virtual thread that runs only while connections are open: it starts with the
 * first and ends when the last is closed, so an adapter needs no closing to let go of it.
 */
final class IoDeadlines {

    /** The longest pause between two looks: bounds how late a timeout may fire. */
    static final Duration MAX_TICK = Duration.ofMillis(250);
    private static final long MIN_TICK_NANOS = Duration.ofMillis(1).toNanos();

    private final long timeoutNanos;
    private final long tickNanos;
    private final Set<UpstreamConnection> open = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean watching = new AtomicBoolean();

    IoDeadlines(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        this.tickNanos = Math.max(MIN_TICK_NANOS, Math.min(MAX_TICK.toNanos(), timeoutNanos / 10));
    }

    long tickNanos() {
        return tickNanos;
    }

    /** Watches a connection from when it is opened until {@link #forget(UpstreamConnection)}. */
    void watch(UpstreamConnection connection) {
        open.add(connection);
        if (watching.compareAndSet(false, true)) {
            Thread.ofVirtual().name("mcp-relay-upstream-deadlines").start(this::run);
        }
    }

    void forget(UpstreamConnection connection) {
        open.remove(connection);
    }

    /** Whether the watchdog runs, for tests. */
    boolean running() {
        return watching.get();
    }

    /** Connections watched, for tests. */
    int watched() {
        return open.size();
    }

    private void run() {
        while (true) {
            LockSupport.parkNanos(tickNanos);
            long now = System.nanoTime();
            for (UpstreamConnection connection : open) {
                if (connection.waitingLongerThan(timeoutNanos, now)) {
                    connection.markTimedOut();
                    // closed on its own thread: closing a TLS socket may wait, and the watchdog must not
                    Thread.ofVirtual().name("mcp-relay-upstream-timeout").start(connection::close);
                }
            }
            if (open.isEmpty()) {
                watching.set(false);
                // a connection opened meanwhile may have seen the flag still set and started nothing
                if (open.isEmpty() || !watching.compareAndSet(false, true)) {
                    return;
                }
            }
        }
    }
}
