package io.mcprelay.adapter.storage.memory;

import io.mcprelay.application.port.out.ClockPort;
import io.mcprelay.application.port.out.EventLogPort;
import io.mcprelay.application.port.out.StreamLeasePort.Lease;
import io.mcprelay.application.port.out.LogSlice;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.stream.LogState;
import io.mcprelay.domain.stream.ReplayLogLimits;
import io.mcprelay.domain.stream.StreamId;
import io.mcprelay.domain.stream.StreamInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The replay logs of a single mcp-relay instance: logs live in this JVM and are lost on restart, so
 * a client can only resume on the instance that served it.
 *
 * <p>Each stream's log has its own lock and condition: appends to one stream never wait for
 * another's, and {@link #awaitAfter} parks its thread on that condition (no polling; with
 * {@code java.util.concurrent} locks a waiting virtual thread releases its carrier) until an
 * append, a completion or a drop of that log signals it, or its timeout passes. Opening, deleting
 * and purging share one registry lock. Time comes from the {@link ClockPort}, read once per call;
 * a waiter re-reads it only when it wakes, so a log that expires while someone waits on it is
 * reported gone at the next wake-up or at the timeout.
 *
 * <p>Beyond the port's contract: the newest event is retained even when it alone exceeds
 * {@code maxBytes}; {@link #recordUpstreamCursor} and {@link #complete} ignore a log that is gone
 * (complete ones too, for the cursor), and completing twice is harmless; opening a stream id that
 * already has a live log throws {@link IllegalStateException}; {@link #awaitAfter} on a missing
 * log returns {@link LogSlice#missing()} at once.
 *
 * <p>The leases of its streams (kept in each {@link StreamLog}, so they go with the log), the
 * instance's liveness mark and the follower holds are {@link InMemoryStreamLeaseAdapter}'s, which
 * works on this adapter's logs.
 */
public final class InMemoryEventLogAdapter implements EventLogPort {

    private final ClockPort clock;
    private final LogRegistry registry;
    private final int maxStreams;

    /**
     * @param limits the bounds of every log and of how many logs are kept
     * @param clock  the logs' notion of now, for their TTL
     */
    public InMemoryEventLogAdapter(ReplayLogLimits limits, ClockPort clock) {
        this.registry = new LogRegistry(Objects.requireNonNull(limits, "limits"));
        this.maxStreams = limits.maxStreams();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void open(StreamInfo stream) {
        Objects.requireNonNull(stream, "stream");
        registry.open(stream, clock.now());
    }

    @Override
    public long append(StreamId stream, Entry entry) {
        return appendUnder(stream, null, entry);
    }

    @Override
    public long append(StreamId stream, Lease lease, Entry entry) {
        return appendUnder(stream, Objects.requireNonNull(lease, "lease"), entry);
    }

    private long appendUnder(StreamId stream, Lease lease, Entry entry) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(entry, "entry");
        Instant now = clock.now();
        return registry.find(stream, now)
                .orElseThrow(() -> new IllegalStateException("no replay log for stream " + stream + " (unknown or expired)"))
                .append(entry, lease, now);
    }

    @Override
    public boolean appendAt(StreamId stream, long sequence, Entry entry) {
        return appendAtUnder(stream, sequence, null, entry);
    }

    @Override
    public boolean appendAt(StreamId stream, long sequence, Lease lease, Entry entry) {
        return appendAtUnder(stream, sequence, Objects.requireNonNull(lease, "lease"), entry);
    }

    private boolean appendAtUnder(StreamId stream, long sequence, Lease lease, Entry entry) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(entry, "entry");
        Instant now = clock.now();
        return registry.find(stream, now)
                .orElseThrow(() -> new IllegalStateException("no replay log for stream " + stream + " (unknown or expired)"))
                .appendAt(sequence, entry, lease, now);
    }

    @Override
    public void recordUpstreamCursor(StreamId stream, String upstreamEventId) {
        recordCursor(stream, null, upstreamEventId);
    }

    @Override
    public void recordUpstreamCursor(StreamId stream, Lease lease, String upstreamEventId) {
        recordCursor(stream, Objects.requireNonNull(lease, "lease"), upstreamEventId);
    }

    private void recordCursor(StreamId stream, Lease lease, String upstreamEventId) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(upstreamEventId, "upstreamEventId");
        Instant now = clock.now();
        registry.find(stream, now).ifPresent(log -> log.recordUpstreamCursor(upstreamEventId, lease, now));
    }

    @Override
    public void complete(StreamId stream) {
        Objects.requireNonNull(stream, "stream");
        Instant now = clock.now();
        registry.find(stream, now).ifPresent(log -> log.complete(null, now));
    }

    @Override
    public void complete(StreamId stream, Lease lease) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(lease, "lease");
        Instant now = clock.now();
        registry.find(stream, now).ifPresent(log -> log.complete(lease, now));
    }

    @Override
    public void wakeWaiters(StreamId stream) {
        registry.find(Objects.requireNonNull(stream, "stream"), clock.now()).ifPresent(StreamLog::wakeWaiters);
    }

    @Override
    public void keepAlive(StreamId stream) {
        Objects.requireNonNull(stream, "stream");
        Instant now = clock.now();
        registry.find(stream, now).ifPresent(log -> log.keepAlive(now));
    }

    @Override
    public Optional<LogState> state(StreamId stream) {
        Objects.requireNonNull(stream, "stream");
        Instant now = clock.now();
        return registry.find(stream, now).flatMap(log -> log.state(now));
    }

    @Override
    public List<LogState> streamsOf(ProxySessionId session) {
        Objects.requireNonNull(session, "session");
        Instant now = clock.now();
        return registry.liveOf(session, now).stream().flatMap(log -> log.state(now).stream()).toList();
    }

    @Override
    public LogSlice readAfter(StreamId stream, long afterSequence, int max) {
        Objects.requireNonNull(stream, "stream");
        requireRange(afterSequence, max);
        Instant now = clock.now();
        return registry.find(stream, now).map(log -> log.readAfter(afterSequence, max, now)).orElseGet(LogSlice::missing);
    }

    @Override
    public LogSlice awaitAfter(StreamId stream, long afterSequence, int max, Duration timeout) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(timeout, "timeout");
        requireRange(afterSequence, max);
        return registry.find(stream, clock.now())
                .map(log -> log.awaitAfter(afterSequence, max, timeout, clock))
                .orElseGet(LogSlice::missing);
    }

    @Override
    public int deleteSession(ProxySessionId session) {
        Objects.requireNonNull(session, "session");
        return registry.dropSession(session, clock.now());
    }

    @Override
    public int purgeExpired() {
        Instant now = clock.now();
        return registry.purgeExpired(now);
    }

    /** The live log of {@code stream} now, for the leases kept in it. */
    Optional<StreamLog> live(StreamId stream, Instant now) {
        return registry.find(stream, now);
    }

    /** The logs' clock. */
    ClockPort clock() {
        return clock;
    }

    /** How many logs are kept at most: the bound of the follower holds too. */
    int maxStreams() {
        return maxStreams;
    }

    private static void requireRange(long afterSequence, int max) {
        if (afterSequence < 0 || max < 0) {
            throw new IllegalArgumentException("a read starts at a position >= 0 and takes max >= 0 events, not "
                    + afterSequence + " and " + max);
        }
    }
}
