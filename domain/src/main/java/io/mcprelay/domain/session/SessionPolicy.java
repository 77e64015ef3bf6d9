package io.mcprelay.domain.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The lifecycle rule of sessions: a session expires after {@link #idleTtl()} without a request
 * (a sliding TTL, renewed by each use). An expired session behaves exactly as a deleted one.
 */
public record SessionPolicy(Duration idleTtl) {

    /** The default idle TTL: 30 minutes. */
    public static final Duration DEFAULT_IDLE_TTL = Duration.ofMinutes(30);

    public SessionPolicy {
        Objects.requireNonNull(idleTtl, "idleTtl");
        if (idleTtl.isNegative() || idleTtl.isZero()) {
            throw new IllegalArgumentException("the session idle TTL must be positive");
        }
    }

    public static SessionPolicy defaults() {
        return new SessionPolicy(DEFAULT_IDLE_TTL);
    }

    /** When {@code session} expires unless it is used again. */
    public Instant expiresAt(Session session) {
        return session.lastSeenAt().plus(idleTtl);
    }

    /** Whether {@code session} has expired at {@code now}: the instant of expiry itself counts as expired. */
    public boolean isExpired(Session session, Instant now) {
        Objects.requireNonNull(now, "now");
        return !now.isBefore(expiresAt(session));
    }
}
