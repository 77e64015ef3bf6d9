package io.mcprelay.domain.routing;

import java.time.Instant;
import java.util.Objects;

/**
 * One upstream as upstream selection sees it at a moment: its configuration, its active-health
 * judgement, its circuit breaker and how many exchanges it has in flight.
 *
 * <p>It is {@linkplain #isEligible eligible} for a new session when it is enabled, not
 * {@link UpstreamHealth#UNHEALTHY} ({@code UNKNOWN} counts as eligible, so a fresh proxy routes
 * before its first probe), and its breaker would allow a request ({@link CircuitBreaker#wouldAllow}).
 * {@link #of} gives the defaults: health {@code UNKNOWN}, a closed breaker under
 * {@link BreakerPolicy#defaults()}, nothing in flight.
 */
public record Candidate(UpstreamSpec spec, UpstreamHealth health, CircuitBreaker breaker, int inFlight) {

    public Candidate {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(breaker, "breaker");
        if (inFlight < 0) {
            throw new IllegalArgumentException("upstream " + spec.name() + ": inFlight must not be negative, not " + inFlight);
        }
    }

    /** {@code spec} before anything is known about it: {@code UNKNOWN}, closed default breaker, 0 in flight. */
    public static Candidate of(UpstreamSpec spec) {
        return new Candidate(spec, UpstreamHealth.UNKNOWN, CircuitBreaker.withDefaults(), 0);
    }

    /** The same candidate with health {@code newHealth}. */
    public Candidate withHealth(UpstreamHealth newHealth) {
        return new Candidate(spec, newHealth, breaker, inFlight);
    }

    /** The same candidate with breaker {@code newBreaker}. */
    public Candidate withBreaker(CircuitBreaker newBreaker) {
        return new Candidate(spec, health, newBreaker, inFlight);
    }

    /** The same candidate with {@code count} exchanges in flight. */
    public Candidate withInFlight(int count) {
        return new Candidate(spec, health, breaker, count);
    }

    /** The upstream this candidate stands for. */
    public UpstreamTarget target() {
        return spec.target();
    }

    /** The configured weight. */
    public int weight() {
        return spec.weight();
    }

    /** Whether this upstream may be given a new session at {@code now}: enabled, not unhealthy, breaker allowing. */
    public boolean isEligible(Instant now) {
        return spec.enabled() && health.admitsNewSessions() && breaker.wouldAllow(now);
    }
}
