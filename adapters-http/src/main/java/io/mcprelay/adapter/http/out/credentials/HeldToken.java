package io.mcprelay.adapter.http.out.credentials;

import java.time.Duration;

/**
 * A token mcp-relay holds for an upstream, as the header it sends, with when to get a new one
 * (shortly before it expires) and when it can no longer be sent. Times are {@link System#nanoTime()}
 * readings. {@link #toString()} never shows the token.
 */
record HeldToken(String header, long refreshAt, long expiresAt) {

    /** How long a token whose answer named no lifetime is kept. */
    static final Duration UNKNOWN_LIFETIME = Duration.ofMinutes(1);

    /**
     * A token issued at {@code now} for {@code lifetime} (at most {@code cap}): sent until a tenth of
     * its lifetime before it expires (at least 5 s, at most 60 s, and never more than half of it),
     * then fetched again.
     */
    static HeldToken of(String header, long now, Duration lifetime, Duration cap) {
        Duration life = lifetime.compareTo(cap) > 0 ? cap : lifetime;
        long lifeNanos = life.toNanos();
        long margin = Math.min(Math.max(lifeNanos / 10, Duration.ofSeconds(5).toNanos()), Duration.ofSeconds(60).toNanos());
        margin = Math.min(margin, lifeNanos / 2);
        return new HeldToken(header, now + lifeNanos - margin, now + lifeNanos);
    }

    boolean fresh(long now) {
        return now - refreshAt < 0;
    }

    boolean usable(long now) {
        return now - expiresAt < 0;
    }

    @Override
    public String toString() {
        return "HeldToken[refreshAt=" + refreshAt + ", expiresAt=" + expiresAt + "]";
    }
}
