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
 * @param ownerLease        how long an instance's lease on reading a stream's upstream lasts without
 *                          renewal (renewed every third of it); after that another instance may take
 *                          the stream over; defaults to 30 seconds
 */
public record StreamSettings(Duration heartbeatInterval, Duration disconnectGrace, int replayBatch, Duration ownerLease) {

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
        this(heartbeatInterval, disconnectGrace, replayBatch, Duration.ofSeconds(30));
    }

    public static StreamSettings defaults() {
        return new StreamSettings(Duration.ofSeconds(15), Duration.ofSeconds(60), 256);
    }

    /** How often leases and follower holds are renewed: a third of the lease. */
    public Duration renewEvery() {
        return ownerLease.dividedBy(3);
    }
}
