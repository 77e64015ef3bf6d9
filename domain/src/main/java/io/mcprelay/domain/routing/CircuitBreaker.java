package io.mcprelay.domain.routing;

import io.mcprelay.domain.routing.BreakerState.Closed;
import io.mcprelay.domain.routing.BreakerState.HalfOpen;
import io.mcprelay.domain.routing.BreakerState.Open;
import java.time.Instant;
import java.util.Objects;

/**
 * The passive-health circuit breaker of one upstream, as an immutable state machine driven by the
 * instants the caller passes in. Every transition returns a new breaker; the caller keeps the latest
 * one (per upstream, updated atomically).
 *
 * <pre>
 *   CLOSED(n)  --failure, n+1 &gt;= failureThreshold--&gt;  OPEN(now)
 *   CLOSED(n)  --failure, otherwise--&gt;                  CLOSED(n+1)
 *   CLOSED(n)  --success--&gt;                             CLOSED(0)
 *   OPEN(t)    --allowsRequest before t+openDuration--&gt; refused, OPEN(t)
 *   OPEN(t)    --allowsRequest from t+openDuration--&gt;   trial, HALF_OPEN(1 in flight, 0 ok)
 *   OPEN(t)    --success or failure--&gt;                  OPEN(t)   (late results of older requests)
 *   HALF_OPEN  --allowsRequest, slots free--&gt;           trial, one more in flight
 *   HALF_OPEN  --allowsRequest, maxHalfOpenConcurrent in flight--&gt; refused
 *   HALF_OPEN  --success, halfOpenTrials reached--&gt;     CLOSED(0)
 *   HALF_OPEN  --success, otherwise--&gt;                  HALF_OPEN(one fewer in flight, one more ok)
 *   HALF_OPEN  --failure--&gt;                             OPEN(now)
 * </pre>
 *
 * <p>While half-open, every reported result counts as a trial result (the breaker cannot tell a
 * trial from a request admitted before it opened). Whoever is allowed a trial must report its
 * result, or call {@link #onAbandoned()} if there is none (the client went away), so the slot is not
 * held forever. {@link ExchangeOutcome#countsAsFailure()} decides what is a failure; see
 * {@link #onOutcome}.
 *
 * <p>The state is consistent with the policy: a closed breaker has fewer failures than the
 * threshold, a half-open one at most {@code maxHalfOpenConcurrent} trials in flight and fewer
 * successes than {@code halfOpenTrials}. A new breaker is {@link #closed closed} with no failures.
 */
public record CircuitBreaker(BreakerPolicy policy, BreakerState state) {

    public CircuitBreaker {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(state, "state");
        switch (state) {
            case Closed closed when closed.consecutiveFailures() >= policy.failureThreshold() ->
                    throw new IllegalArgumentException("a closed breaker has fewer than " + policy.failureThreshold()
                            + " consecutive failures, not " + closed.consecutiveFailures());
            case HalfOpen half when half.trialsInFlight() > policy.maxHalfOpenConcurrent() ->
                    throw new IllegalArgumentException("a half-open breaker runs at most " + policy.maxHalfOpenConcurrent()
                            + " trials at once, not " + half.trialsInFlight());
            case HalfOpen half when half.trialSuccesses() >= policy.halfOpenTrials() ->
                    throw new IllegalArgumentException("a half-open breaker closes after " + policy.halfOpenTrials()
                            + " trial successes; it cannot have " + half.trialSuccesses());
            default -> {
            }
        }
    }

    /** A closed breaker with no failures, under {@code policy}. */
    public static CircuitBreaker closed(BreakerPolicy policy) {
        return new CircuitBreaker(policy, new Closed(0));
    }

    /** A closed breaker under {@link BreakerPolicy#defaults()}. */
    public static CircuitBreaker withDefaults() {
        return closed(BreakerPolicy.defaults());
    }

    /**
     * Whether a request may be sent at {@code now}, and the breaker after that decision: an open
     * breaker whose open duration has passed becomes half-open and lets this request through as its
     * first trial; a half-open breaker takes a trial slot if one is free.
     */
    public BreakerDecision allowsRequest(Instant now) {
        Objects.requireNonNull(now, "now");
        return switch (state) {
            case Closed closed -> new BreakerDecision.Allowed(this);
            case Open open -> now.isBefore(trialsFrom(open))
                    ? new BreakerDecision.Refused(this)
                    : new BreakerDecision.AllowedAsTrial(with(new HalfOpen(1, 0)));
            case HalfOpen half -> half.trialsInFlight() < policy.maxHalfOpenConcurrent()
                    ? new BreakerDecision.AllowedAsTrial(with(new HalfOpen(half.trialsInFlight() + 1, half.trialSuccesses())))
                    : new BreakerDecision.Refused(this);
        };
    }

    /**
     * Whether {@link #allowsRequest} would allow a request at {@code now}, without taking a trial
     * slot: what upstream selection asks before choosing.
     */
    public boolean wouldAllow(Instant now) {
        return allowsRequest(now).allowed();
    }

    /** The breaker after an exchange that succeeded (or ended in a result that is no failure). */
    public CircuitBreaker onSuccess(Instant now) {
        Objects.requireNonNull(now, "now");
        return switch (state) {
            case Closed closed -> closed.consecutiveFailures() == 0 ? this : with(new Closed(0));
            case Open open -> this;
            case HalfOpen half -> half.trialSuccesses() + 1 >= policy.halfOpenTrials()
                    ? with(new Closed(0))
                    : with(new HalfOpen(Math.max(0, half.trialsInFlight() - 1), half.trialSuccesses() + 1));
        };
    }

    /** The breaker after an exchange that failed at {@code now}. */
    public CircuitBreaker onFailure(Instant now) {
        Objects.requireNonNull(now, "now");
        return switch (state) {
            case Closed closed -> closed.consecutiveFailures() + 1 >= policy.failureThreshold()
                    ? with(new Open(now))
                    : with(new Closed(closed.consecutiveFailures() + 1));
            case Open open -> this;
            case HalfOpen half -> with(new Open(now));
        };
    }

    /** The breaker after an exchange that ended with {@code outcome} at {@code now}. */
    public CircuitBreaker onOutcome(ExchangeOutcome outcome, Instant now) {
        return outcome.countsAsFailure() ? onFailure(now) : onSuccess(now);
    }

    /** The breaker after an exchange that ended without a result (cancelled): frees a trial slot, judges nothing. */
    public CircuitBreaker onAbandoned() {
        if (state instanceof HalfOpen half && half.trialsInFlight() > 0) {
            return with(new HalfOpen(half.trialsInFlight() - 1, half.trialSuccesses()));
        }
        return this;
    }

    private Instant trialsFrom(Open open) {
        return open.openedAt().plus(policy.openDuration());
    }

    private CircuitBreaker with(BreakerState next) {
        return new CircuitBreaker(policy, next);
    }
}
