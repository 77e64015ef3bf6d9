package io.mcprelay.domain.stream;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds of one stream's replay log: the oldest events are dropped beyond {@code maxEvents} or
 * {@code maxBytes}, and the whole log expires {@code ttl} after its last append (or completion).
 *
 * @param maxEvents events kept per stream; defaults to 1,000
 * @param maxBytes  bytes of event data kept per stream; defaults to 4 MiB
 * @param ttl       how long a log outlives its last activity; defaults to 10 minutes
 * @param maxStreams streams whose logs are kept at once; defaults to 10,000 (the oldest completed
 *                   log, else the oldest log, is dropped to make room)
 */
public record ReplayLogLimits(int maxEvents, long maxBytes, Duration ttl, int maxStreams) {

    public ReplayLogLimits {
        Objects.requireNonNull(ttl, "ttl");
        if (maxEvents < 1 || maxBytes < 1 || maxStreams < 1 || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("replay log limits must be positive");
        }
    }

    public static ReplayLogLimits defaults() {
        return new ReplayLogLimits(1_000, 4L << 20, Duration.ofMinutes(10), 10_000);
    }
}
