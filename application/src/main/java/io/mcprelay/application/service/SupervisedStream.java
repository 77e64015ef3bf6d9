package io.mcprelay.application.service;

import java.time.Duration;

/**
 * What {@link StreamSupervision} needs of an open stream ({@link StreamPump} in the relay): the
 * timers' inputs and the actions they trigger. Called from a supervision step's virtual thread while
 * the stream's own thread is blocked reading the upstream, so every method must be safe to call
 * concurrently with the pump; any of them may block (a heartbeat to a slow client, a log keep-alive
 * in the store).
 */
interface SupervisedStream {

    /** Renews the stream's log TTL, checks that its lease is still this instance's, and notices a follower elsewhere. */
    void tick();

    /** Polls a re-attached upstream again when it has been silent for {@code after} with a request unanswered. */
    void repollIfStale(Duration after);

    /** Whether the stream reads from an upstream it re-attached to (which may need polling). */
    boolean reattached();

    /**
     * For a re-attached stream: how long until {@link #repollIfStale} with {@code after} could find it
     * stale ({@code after} less its silence so far), so its supervisor looks then, not more often.
     */
    default Duration untilStale(Duration after) {
        return Duration.ZERO;
    }

    /** Whether the client connection is still being written to. */
    boolean attached();

    /** Whether anyone still takes the stream's events (its client, or a follower here or elsewhere). */
    boolean attended();

    /** When ({@link System#nanoTime()}) an event or heartbeat last reached the client. */
    long lastWriteNanos();

    /** Sends a heartbeat comment; false if the client turned out to be gone. */
    boolean heartbeat();

    /**
     * Whether the stream owes its client nothing: no request of it is unanswered (the standalone GET
     * stream), so once nobody takes its events there is nothing to keep its upstream for, and it is
     * released at once instead of after the disconnect grace.
     */
    boolean owesNothing();

    /** Releases the upstream connection, which ends the stream. */
    void releaseUpstream();
}
