package io.mcprelay.adapter.http.out;

import java.net.SocketTimeoutException;

/**
 * The clock of one {@link UpstreamConnection}'s blocking reads and writes, as the {@link IoDeadlines}
 * watchdog sees it: when the wait in progress began, the deadline of the response head being read,
 * whether the stream it carries is exempt from the read timeout, and whether the watchdog ended a
 * wait (then the call fails with a {@link SocketTimeoutException}, as with a socket timeout).
 *
 * <p>Written by the connection's own thread ({@link #begin()}, {@link #end()}) and read by the
 * watchdog's ({@link #longerThan}); every field is volatile for that.
 */
final class IoWait {

    private static final long NOT_WAITING = Long.MIN_VALUE;

    /** When the read or write in progress began, or {@link #NOT_WAITING}. */
    private volatile long waitingSince = NOT_WAITING;
    private volatile boolean timedOut;
    /** When the response head being read must be whole ({@link System#nanoTime()}), or {@link #NOT_WAITING}. */
    private volatile long headDeadline = NOT_WAITING;
    /** Why the wait in progress was ended: the message of the {@link SocketTimeoutException} it fails with. */
    private volatile String timeoutMessage = "Read timed out";
    /** Set while the connection carries a stream read without a timeout. */
    private volatile boolean untimed;

    /** Notes that a blocking read or write begins now. */
    void begin() {
        waitingSince = System.nanoTime();
    }

    /** Notes that the read or write in progress is over. */
    void end() {
        waitingSince = NOT_WAITING;
    }

    /** Whether the watchdog ended a wait: every failure of the connection is then a timeout. */
    boolean timedOut() {
        return timedOut;
    }

    /** The failure of a wait the watchdog ended. */
    SocketTimeoutException timeout() {
        return new SocketTimeoutException(timeoutMessage);
    }

    /** Exempts (or no longer exempts) the waits from the read timeout; the head's deadline still holds. */
    void untimed(boolean exempt) {
        untimed = exempt;
    }

    /**
     * Whether a read or write has been waiting for longer than {@code timeoutNanos} at {@code now}, or
     * a read of a response head is still waiting past the head's deadline.
     */
    boolean longerThan(long timeoutNanos, long now) {
        long since = waitingSince;
        if (since == NOT_WAITING || timedOut) {
            return false;
        }
        long deadline = headDeadline;
        if (deadline != NOT_WAITING && now - deadline > 0) {
            timeoutMessage = "the upstream's response head took longer than its deadline";
            return true;
        }
        return !untimed && now - since > timeoutNanos;
    }

    /** Sets the head's deadline {@code nanos} from now, or lifts it with {@link Long#MIN_VALUE}. */
    void headDeadlineIn(long nanos) {
        headDeadline = nanos == Long.MIN_VALUE ? NOT_WAITING : System.nanoTime() + nanos;
    }

    /** Notes that the wait in progress waited too long; {@link #longerThan} is false from now on. */
    void markTimedOut() {
        timedOut = true;
    }
}
