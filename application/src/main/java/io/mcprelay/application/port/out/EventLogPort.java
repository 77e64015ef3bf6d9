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
 *
 * <p>Who may write to a stream's log (its lease), which instances are alive and which client
 * connection follows a stream are {@link StreamLeasePort}'s: the log only checks, in the same step
 * as each write made under a lease, that the lease is still the stream's (fencing).
 */
public interface EventLogPort {

    /** Starts an empty log for a new stream; a stream id that already has a live log is refused with {@link IllegalStateException}. */
    void open(StreamInfo stream);

    /**
     * Appends one event; returns its sequence. Does not check any lease: the relay appends through
     * {@link #append(StreamId, StreamLeasePort.Lease, Entry)}; this one is for logs that no instance leases.
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

    /**
     * As {@link #append(StreamId, Entry)}, but only while {@code lease} is the stream's lease.
     *
     * @throws LeaseLostException when another instance took the stream over
     */
    long append(StreamId stream, StreamLeasePort.Lease lease, Entry entry);

    /**
     * As {@link #appendAt(StreamId, long, Entry)}, but only while {@code lease} is the stream's lease
     * (checked first, in the same atomic step).
     *
     * @throws LeaseLostException when another instance took the stream over
     */
    boolean appendAt(StreamId stream, long sequence, StreamLeasePort.Lease lease, Entry entry);

    /** As {@link #recordUpstreamCursor(StreamId, String)}, but only while {@code lease} is the stream's lease (ignored otherwise). */
    void recordUpstreamCursor(StreamId stream, StreamLeasePort.Lease lease, String upstreamEventId);

    /** As {@link #complete(StreamId)}, but only while {@code lease} is the stream's lease (ignored otherwise). */
    void complete(StreamId stream, StreamLeasePort.Lease lease);

    /**
     * Ends the waits in {@link #awaitAfter} on {@code stream} that threads of this process are in
     * right now: they return at once with what the log holds (a shared store may return what the wait
     * last read, as long as any write seen since has made it read again). For a caller that learned
     * something the log does not show (the stream's owner died) and must act on it promptly.
     */
    void wakeWaiters(StreamId stream);

    /** Drops every log of a session (on DELETE); how many were dropped. */
    int deleteSession(ProxySessionId session);

    /** Drops expired logs now; how many were dropped. */
    int purgeExpired();

    /**
     * A write under a lease that is no longer the stream's: another instance took the stream over
     * (this instance was found not alive, e.g. paused past its lease). The writer must stop.
     */
    final class LeaseLostException extends IllegalStateException {
        public LeaseLostException(StreamId stream, StreamLeasePort.Lease lease) {
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
     * @param answers         the ids of the stream's requests this event answers (a response or an
     *                        error), so that a store may keep them beside the log and an instance taking
     *                        the stream over need not read every event to learn which requests are
     *                        still open ({@link StreamLeasePort#takeOver(io.mcprelay.domain.stream.StreamId,
     *                        StreamLeasePort.Lease, String, String, long, int)})
     */
    record Entry(Optional<String> eventType, String data, Optional<String> upstreamEventId,
                 java.util.List<io.mcprelay.domain.jsonrpc.RequestId> answers) {
        public Entry {
            java.util.Objects.requireNonNull(eventType, "eventType");
            java.util.Objects.requireNonNull(data, "data");
            java.util.Objects.requireNonNull(upstreamEventId, "upstreamEventId");
            answers = java.util.List.copyOf(answers);
        }

        /** An entry that answers no request (a notification, or an event of a stream without requests). */
        public Entry(Optional<String> eventType, String data, Optional<String> upstreamEventId) {
            this(eventType, data, upstreamEventId, java.util.List.of());
        }
    }
}
