package io.mcprelay.application.service;

import io.mcprelay.application.port.out.EventLogPort;
import io.mcprelay.application.port.out.StreamLeasePort;
import io.mcprelay.domain.stream.StreamInfo;
import java.util.Optional;

/**
 * The store side of a {@link StreamPump}: the lease its log writes go under, the upstream cursors
 * it records, and the periodic checks of its {@link #check supervisor tick} (the log's TTL, whether
 * this instance still holds the lease, whether a client follows the stream on another instance).
 * What follows from a check (stopping, letting the client go) is the pump's.
 */
final class PumpLease {

    private static final System.Logger LOG = System.getLogger(PumpLease.class.getName());

    /** What a store check found. */
    enum Check {
        /** Nothing to do (also: not looked, or the store did not answer). */
        FINE,
        /** Another instance holds the stream's lease now: the pump must stop writing. */
        LOST,
        /** A client follows the stream on another instance: it takes the stream over from the pump's client. */
        FOLLOWED_ELSEWHERE
    }

    private final EventLogPort log;
    private final StreamLeasePort leases;
    private final Optional<StreamInfo> stream;
    private volatile Optional<StreamLeasePort.Lease> lease = Optional.empty();
    private volatile boolean followedElsewhere;
    /** When {@link #check} last looked at the store (the pump's start counts), and how often it looks while the client is there. */
    private volatile long lastCheckNanos = System.nanoTime();
    private final long checkNanos;

    PumpLease(EventLogPort log, StreamLeasePort leases, Optional<StreamInfo> stream, java.time.Duration checkEvery) {
        this.log = log;
        this.leases = leases;
        this.stream = stream;
        this.checkNanos = checkEvery.toNanos();
    }

    /** The lease the pump's writes go under from now on. */
    void holding(StreamLeasePort.Lease held) {
        this.lease = Optional.of(held);
    }

    /** Whether the last check found a client following the stream on another instance. */
    boolean followedElsewhere() {
        return followedElsewhere;
    }

    /** Records the upstream's latest event id in the log (under the lease, when the pump holds one). */
    void recordCursor(String upstreamId) {
        stream.ifPresent(s -> {
            if (lease.isPresent()) {
                log.recordUpstreamCursor(s.id(), lease.get(), upstreamId);
            } else {
                log.recordUpstreamCursor(s.id(), upstreamId);
            }
        });
    }

    /**
     * On a supervisor tick: renews the log's TTL, checks that this instance still holds the stream's
     * lease (no per-stream lease renewal: the instance's liveness covers every stream), and notices a
     * follower elsewhere. While the pump's client is {@code attached}, only once every renewal
     * interval: the supervisor's steps come every 0.5 s for a re-attached stream, and thousands taken
     * over at once must not mean three store round trips each that often (nor at the pump's start:
     * it opened or took over the log and claimed its lease, and nobody follows it yet).
     */
    Check check(boolean attached) {
        if (stream.isEmpty() || attached && System.nanoTime() - lastCheckNanos < checkNanos) {
            return Check.FINE;
        }
        lastCheckNanos = System.nanoTime();
        StreamInfo s = stream.get();
        try {
            log.keepAlive(s.id());
            Optional<StreamLeasePort.Lease> current = lease.isPresent() ? leases.lease(s.id()) : Optional.empty();
            if (current.isPresent() && !current.equals(lease)) {
                return Check.LOST;
            }
            followedElsewhere = leases.isFollowed(s.id());
            return followedElsewhere ? Check.FOLLOWED_ELSEWHERE : Check.FINE;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "stream {0}: lease renewal failed: {1}", s.id(), e.getMessage());
            return Check.FINE;
        }
    }

    /**
     * Hands the lease on to {@code successor}; whether it moved (false without a lease, or when the
     * store did not answer: then the instance's lapsing liveness lets another instance take it over).
     */
    boolean handTo(String successor) {
        try {
            Optional<StreamLeasePort.Lease> held = lease;
            return held.isPresent() && stream.isPresent() && leases.takeOver(stream.get().id(), held.get(), successor).isPresent();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "stream {0}: lease not handed on: {1}", stream.map(s -> s.id().value()).orElse("-"),
                    e.getMessage());
            return false;
        }
    }
}
