package io.mcprelay.application.service;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the streams the relay serves.
 *
 * @param heartbeatInterval an idle client stream gets an SSE comment this often, so dead clients
 *                          are noticed and intermediaries keep the connection; defaults to 15 seconds
 * @param disconnectGrace   after the client of a stream is gone, the upstream stream is still read
 *                          into the replay log for this long (a disconnect is not a cancellation),
 *                          then the upstream connection is released; defaults to 60 seconds
 * @param replayBatch       events read from the log per step when replaying; defaults to 256
 * @param ownerLease        the instance's lease on the streams it reads ({@code --stream-lease}): its
 *                          liveness mark lasts this long without renewal and is renewed every quarter
 *                          of it, once per instance whatever the number of streams; after it lapses,
 *                          an instance following one of its streams takes that stream over. Defaults
 *                          to 2 seconds, so a stream outlives its instance's death by about that
 */
public record StreamSettings(Duration heartbeatInterval, Duration disconnectGrace, int replayBatch, Duration ownerLease) {

    /** The default instance lease. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(2);
    /** The longest follower hold; see {@link #followerHold()}. */
    static final Duration MAX_FOLLOWER_HOLD = Duration.ofSeconds(30);
    /** The follower hold is this many owner leases, up to {@link #MAX_FOLLOWER_HOLD}. */
    private static final int LEASES_PER_HOLD = 15;
    /** An owner lease at least this long gives the longest follower hold. */
    private static final Duration LEASE_FOR_MAX_HOLD = MAX_FOLLOWER_HOLD.dividedBy(LEASES_PER_HOLD);

    public StreamSettings {
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        Objects.requireNonNull(disconnectGrace, "disconnectGrace");
        Objects.requireNonNull(ownerLease, "ownerLease");
        if (ownerLease.compareTo(Duration.ofMillis(300)) < 0) {
            throw new IllegalArgumentException("the owner lease must be at least 300 ms");
        }
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero() || disconnectGrace.isNegative() || replayBatch < 1) {
            throw new IllegalArgumentException("heartbeat interval must be positive, grace not negative, replay batch at least 1");
        }
    }

    /** Settings with the default owner lease. */
    public StreamSettings(Duration heartbeatInterval, Duration disconnectGrace, int replayBatch) {
        this(heartbeatInterval, disconnectGrace, replayBatch, DEFAULT_LEASE);
    }

    public static StreamSettings defaults() {
        return new StreamSettings(Duration.ofSeconds(15), Duration.ofSeconds(60), 256);
    }

    /**
     * How often an open stream's supervisor renews its log's TTL, checks for a follower elsewhere
     * and that its lease still holds, and how often a follower renews its hold: a third of the
     * follower hold (10 s by default). Per stream, so it does not follow the short instance lease.
     */
    public Duration renewEvery() {
        // in nanoseconds, not Duration.dividedBy (BigDecimal): each stream's supervisor asks at every step
        return Duration.ofNanos(followerHold().toNanos() / 3);
    }

    /**
     * How long a resumed client's hold on a stream lasts without renewal (see
     * {@link io.mcprelay.application.port.out.EventLogPort#follow}): 15 instance leases, at most 30 s.
     */
    public Duration followerHold() {
        return ownerLease.compareTo(LEASE_FOR_MAX_HOLD) < 0 ? Duration.ofNanos(ownerLease.toNanos() * LEASES_PER_HOLD) : MAX_FOLLOWER_HOLD;
    }
}
