package io.mcprelay.application.service;

import io.mcprelay.application.port.out.UpstreamStatus;
import io.mcprelay.domain.routing.BreakerDecision;
import io.mcprelay.domain.routing.BreakerState;
import io.mcprelay.domain.routing.Candidate;
import io.mcprelay.domain.routing.CircuitBreaker;
import io.mcprelay.domain.routing.ExchangeOutcome;
import io.mcprelay.domain.routing.HealthState;
import io.mcprelay.domain.routing.UpstreamSpec;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One upstream's mutable state: its configuration (weight and enabled may change on reload), its
 * breaker and health (immutable domain values, swapped under a lock), requests in flight, when it was
 * last used, a bounded list of its latest errors, and what operators read beside them: whether it is
 * drained, its exchange and failure counts, its latest probe and since when its health holds.
 */
final class UpstreamRuntime {

    private static final int RECENT_ERRORS = 20;

    private final ReentrantLock lock = new ReentrantLock();
    private UpstreamSpec spec;
    private Instant lastUsed;
    private CircuitBreaker breaker;
    private HealthState health;
    private int inFlight;
    private boolean drained;
    /** What the last useful {@code server/discover} probe said of its eras; volatile: read on every modern request without the lock. */
    private volatile io.mcprelay.domain.era.EraVerdict era = io.mcprelay.domain.era.EraVerdict.UNKNOWN;
    private volatile Instant eraProbedAt;
    private long exchanges;
    private long failures;
    private Instant lastCheck;
    private Instant healthSince;
    private final ArrayDeque<UpstreamStatus.RecentError> errors = new ArrayDeque<>();

    UpstreamRuntime(UpstreamSpec spec, CircuitBreaker breaker, HealthState health, Instant now) {
        this.spec = spec;
        this.breaker = breaker;
        this.health = health;
        this.lastUsed = now;
        this.healthSince = now;
    }

    /** Takes it out of rotation for new sessions, or puts it back (an operator's order). */
    void drain(boolean drained) {
        lock.lock();
        try {
            this.drained = drained;
        } finally {
            lock.unlock();
        }
    }

    boolean drained() {
        lock.lock();
        try {
            return drained;
        } finally {
            lock.unlock();
        }
    }

    /** What is known of its eras from probing. */
    io.mcprelay.domain.era.EraVerdict era() {
        return era;
    }

    /** When its eras were last probed; null if never. */
    Instant eraProbedAt() {
        return eraProbedAt;
    }

    /** Records a probe's verdict: a failed probe ({@code UNKNOWN}) keeps what was known. */
    void eraProbed(io.mcprelay.domain.era.EraVerdict verdict, Instant now) {
        era = era.updatedBy(verdict);
        eraProbedAt = now;
    }

    UpstreamSpec spec() {
        lock.lock();
        try {
            return spec;
        } finally {
            lock.unlock();
        }
    }

    /** Takes a new weight or enabled flag (same name and endpoint); breaker, health and load stay. */
    void respec(UpstreamSpec newSpec) {
        lock.lock();
        try {
            this.spec = newSpec;
        } finally {
            lock.unlock();
        }
    }

    /** {@code true} if nothing is in flight and no exchange began or ended within {@code idle} before {@code now}. */
    boolean idleFor(java.time.Duration idle, Instant now) {
        lock.lock();
        try {
            return inFlight == 0 && !lastUsed.plus(idle).isAfter(now);
        } finally {
            lock.unlock();
        }
    }

    Candidate candidate() {
        lock.lock();
        try {
            return new Candidate(spec, health.health(), breaker, inFlight);
        } finally {
            lock.unlock();
        }
    }

    BreakerDecision admit(Instant now) {
        lock.lock();
        try {
            BreakerDecision decision = breaker.allowsRequest(now);
            breaker = decision.breaker();
            lastUsed = now;
            if (decision.allowed()) {
                inFlight++;
            } else {
                remember(now, "refused: circuit open");
            }
            return decision;
        } finally {
            lock.unlock();
        }
    }

    void finish(ExchangeOutcome outcome, Instant now) {
        lock.lock();
        try {
            inFlight = Math.max(0, inFlight - 1);
            lastUsed = now;
            breaker = breaker.onOutcome(outcome, now);
            exchanges++;
            if (outcome.countsAsFailure()) {
                failures++;
                remember(now, outcome.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
            }
        } finally {
            lock.unlock();
        }
    }

    void probed(boolean healthy, String detail, Instant now) {
        lock.lock();
        try {
            HealthState before = health;
            health = health.afterProbe(healthy);
            lastCheck = now;
            if (health.health() != before.health()) {
                healthSince = now;
            }
            if (!healthy) {
                remember(now, "health probe failed: " + detail);
            }
        } finally {
            lock.unlock();
        }
    }

    UpstreamStatus status(Instant now) {
        lock.lock();
        try {
            String breakerState = switch (breaker.state()) {
                case BreakerState.Closed closed -> "CLOSED";
                case BreakerState.Open open -> breaker.wouldAllow(now) ? "HALF_OPEN" : "OPEN";
                case BreakerState.HalfOpen halfOpen -> "HALF_OPEN";
            };
            return new UpstreamStatus(spec.name(), spec.target().address(), spec.weight(), spec.enabled(), health.health(),
                    breakerState, inFlight, List.copyOf(errors), drained, exchanges, failures,
                    java.util.Optional.ofNullable(lastCheck), healthSince, new UpstreamStatus.Era(spec.era(), era,
                            java.util.Optional.ofNullable(eraProbedAt), spec.target().kind() == io.mcprelay.domain.routing.TransportKind.STDIO));
        } finally {
            lock.unlock();
        }
    }

    private void remember(Instant now, String what) {
        errors.addFirst(new UpstreamStatus.RecentError(now, what));
        while (errors.size() > RECENT_ERRORS) {
            errors.removeLast();
        }
    }
}
