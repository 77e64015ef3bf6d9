package io.mcprelay.application.port.out;

import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.stream.LogState;
import io.mcprelay.domain.stream.StreamId;
import io.mcprelay.domain.stream.StreamInfo;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Replay logs: the bounded, stored sequence of each stream's events, from which a client that lost
 * its connection is served again ({@code Last-Event-ID}), on this instance or (with a shared store)
 * on another.
 *
 * <p><b>Contract</b> (the contract test suite in adapters-storage checks every log against it):
 * <ul>
 *   <li>A log is constructed with {@link io.mcprelay.domain.stream.ReplayLogLimits} and a
 *       {@link ClockPort}. Sequences start at 1 and grow by one per append, with no gaps.</li>
 *   <li>Beyond {@code maxEvents} or {@code maxBytes} the oldest events are dropped (the state's
 *       {@code firstSequence} moves on); a log expires {@code ttl} after its last append or
 *       completion, and then behaves as if it had never existed. At most {@code maxStreams} logs are
 *       kept: opening one more drops the oldest complete log, else the oldest log.</li>
 *   <li>Reads never return another stream's events, and never an event at or before the position
 *       asked for.</li>
 *   <li>{@link #awaitAfter} blocks until an event after the position exists, the stream completes,
 *       or the timeout passes, whichever is first; an append or completion from any thread (or, for
 *       a shared store, any instance) wakes it.</li>
 *   <li>Appending to an unknown, expired or complete stream throws {@link IllegalStateException}.</li>
 *   <li>Methods are thread-safe and blocking. A log that cannot reach its backend throws
 *       {@link StoreUnavailableException}.</li>
 * </ul>
 */
public interface EventLogPort {

    /** Starts an empty log for a new stream; a stream id that already has a live log is refused with {@link IllegalStateException}. */
    void open(StreamInfo stream);

    /**
     * Appends one event; returns its sequence. Does not check any lease: the relay appends through
     * {@link #append(StreamId, Lease, Entry)}; this one is for logs that no instance leases.
     */
    long append(StreamId stream, Entry entry);

    /**
     * Stores one event as sequence {@code sequence}, numbered by its writer: true when stored now;
     * false, storing nothing, when the log already holds that sequence (an earlier attempt that
     * failed with {@link StoreUnavailableException} reached the store after all); throws
     * {@link IllegalStateException} when it would leave a gap (the log's last sequence is below
     * {@code sequence - 1}), or the log is unknown, expired or (for a sequence it does not hold)
     * complete.
     *
     * <p>So a writer can give an event its id before the store confirmed it: an attempt that timed out
     * can only land under that id, an event after it only once it landed, and retrying is harmless.
     */
    boolean appendAt(StreamId stream, long sequence, Entry entry);

    /**
     * Records the upstream's latest event id on this stream (also for events that carry no data);
     * renews the TTL. Ignored for a missing or complete log.
     */
    void recordUpstreamCursor(StreamId stream, String upstreamEventId);

    /** Marks the stream ended: no event will follow. Ignored for a missing log; completing twice is harmless. */
    void complete(StreamId stream);

    /**
     * Renews the TTL of a log whose stream is still live but quiet (the relay calls it on its
     * heartbeat ticks), so an idle standalone stream's log does not expire under its client.
     * Ignored for a missing log. A shared store may skip the write while more than two thirds of
     * the TTL are left.
     */
    void keepAlive(StreamId stream);

    /** The log's state, or empty if no such log lives. */
    Optional<LogState> state(StreamId stream);

    /**
     * The live logs of {@code session} (never another session's; expired or dropped ones left out),
     * newest first (the last opened first). At most {@code maxStreams}, as the logs are; for the
     * operators' view of a session, not for the relay's hot path.
     */
    List<LogState> streamsOf(ProxySessionId session);

    /** Up to {@code max} events after {@code afterSequence}, oldest first, and the state they were read at. */
    LogSlice readAfter(StreamId stream, long afterSequence, int max);

    /**
     * As {@link #readAfter}, but first waits up to {@code timeout} (real time) for an event after the
     * position or the stream's end; returns {@link LogSlice#missing()} at once for a missing log.
     */
    LogSlice awaitAfter(StreamId stream, long afterSequence, int max, Duration timeout);

    // ---- coordination between instances sharing the log ------------------------------------------
    //
    // Liveness is per instance, not per stream: each instance renews one liveness mark (beat) about
    // every quarter of its lease, and a stream's lease names the instance that reads its upstream and
    // an epoch. The lease never expires by itself: it ends when another instance, having seen that
    // the owner is no longer alive, takes it over (which moves the epoch on). Writes made under a
    // lease (append, upstream cursor, completion) are refused once the epoch moved on, so an
    // instance that was paused past its lease cannot write to a stream another instance took over.

    /** Marks {@code instance} alive for {@code ttl} from now (renewing any earlier mark). */
    void beat(String instance, Duration ttl);

    /** Whether {@code instance}'s liveness mark is current. */
    boolean isAlive(String instance);

    /** Drops {@code instance}'s liveness mark at once (a clean shutdown), so its streams can be taken over without waiting. */
    void retire(String instance);

    /**
     * Claims the lease on reading the stream's upstream for instance {@code owner} if nobody holds it;
     * returns the lease {@code owner} holds after the call (the current one if it held it already),
     * or empty when another instance holds it or no live log exists.
     */
    Optional<Lease> claim(StreamId stream, String owner);

    /** The stream's lease, whether or not its instance is still alive; empty for no lease or no live log. */
    Optional<Lease> lease(StreamId stream);

    /**
     * Moves the lease from {@code from} (an instance the caller found not alive) to {@code owner}
     * under a new, higher epoch, if {@code from} is still the stream's lease and the log is live and
     * not complete; empty otherwise (another instance took it over first).
     */
    Optional<Lease> takeOver(StreamId stream, Lease from, String owner);

    /**
     * A take-over as the new owner needs it: moves the lease as {@link #takeOver(StreamId, Lease, String)}
     * does, ends {@code follower}'s hold if it still has it (the follower's connection becomes the new
     * owner's own client, see {@link #unfollow}), and reads the log from its start, up to {@code max}
     * events, with its state as the new owner found it (no other instance can write to it after).
     * Empty when the lease did not move.
     *
     * <p>A shared store does all of it in one round trip: an instance taking over thousands of
     * streams of a dead instance at once pays one per stream, not one per step. This default runs
     * the steps one after the other, which is as good for a store in this process.
     */
    default Optional<TakenOver> takeOver(StreamId stream, Lease from, String owner, String follower, int max) {
        Optional<Lease> taken = takeOver(stream, from, owner);
        if (taken.isEmpty()) {
            return Optional.empty();
        }
        unfollow(stream, follower);
        return Optional.of(new TakenOver(taken.get(), readAfter(stream, 0, max)));
    }

    /**
     * As {@link #append(StreamId, Entry)}, but only while {@code lease} is the stream's lease.
     *
     * @throws LeaseLostException when another instance took the stream over
     */
    long append(StreamId stream, Lease lease, Entry entry);

    /**
     * As {@link #appendAt(StreamId, long, Entry)}, but only while {@code lease} is the stream's lease
     * (checked first, in the same atomic step).
     *
     * @throws LeaseLostException when another instance took the stream over
     */
    boolean appendAt(StreamId stream, long sequence, Lease lease, Entry entry);

    /** As {@link #recordUpstreamCursor(StreamId, String)}, but only while {@code lease} is the stream's lease (ignored otherwise). */
    void recordUpstreamCursor(StreamId stream, Lease lease, String upstreamEventId);

    /** As {@link #complete(StreamId)}, but only while {@code lease} is the stream's lease (ignored otherwise). */
    void complete(StreamId stream, Lease lease);

    /**
     * Ends the waits in {@link #awaitAfter} on {@code stream} that threads of this process are in
     * right now: they return at once with what the log holds. For a caller that learned something the
     * log does not show (the stream's owner died) and must act on it promptly.
     */
    void wakeWaiters(StreamId stream);

    /**
     * Makes {@code follower} the one client connection reading the stream from the log (a resumed
     * client), taking over from any other, until {@code ttl} from now.
     */
    void follow(StreamId stream, String follower, Duration ttl);

    /** Renews {@code follower}'s hold on the stream; false once another follower took it over. */
    boolean stillFollowing(StreamId stream, String follower, Duration ttl);

    /** Ends {@code follower}'s hold on the stream, if it still has it. */
    void unfollow(StreamId stream, String follower);

    /** Whether a follower currently holds the stream. */
    boolean isFollowed(StreamId stream);

    /** Drops every log of a session (on DELETE); how many were dropped. */
    int deleteSession(ProxySessionId session);

    /** Drops expired logs now; how many were dropped. */
    int purgeExpired();

    /**
     * Which instance reads a stream's upstream, and the epoch of its claim: the fencing token that
     * its writes carry. Every claim of a free stream and every take-over raises the epoch.
     */
    record Lease(String owner, long epoch) {
        public Lease {
            java.util.Objects.requireNonNull(owner, "owner");
        }
    }

    /**
     * A stream just taken over: the lease its new owner now holds, and the log from its start as the
     * take-over found it (up to the number of events asked for).
     */
    record TakenOver(Lease lease, LogSlice log) {
        public TakenOver {
            java.util.Objects.requireNonNull(lease, "lease");
            java.util.Objects.requireNonNull(log, "log");
        }
    }

    /**
     * A write under a lease that is no longer the stream's: another instance took the stream over
     * (this instance was found not alive, e.g. paused past its lease). The writer must stop.
     */
    final class LeaseLostException extends IllegalStateException {
        public LeaseLostException(StreamId stream, Lease lease) {
            super("stream " + stream + ": the lease of " + lease.owner() + " (epoch " + lease.epoch()
                    + ") was taken over by another instance");
        }
    }

    /**
     * What an append stores.
     *
     * @param eventType       the SSE event type, when not the default
     * @param data            the event's data
     * @param upstreamEventId the upstream's id of this event, when it gave one
     */
    record Entry(Optional<String> eventType, String data, Optional<String> upstreamEventId) {
        public Entry {
            java.util.Objects.requireNonNull(eventType, "eventType");
            java.util.Objects.requireNonNull(data, "data");
            java.util.Objects.requireNonNull(upstreamEventId, "upstreamEventId");
        }
    }
}
