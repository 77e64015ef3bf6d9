package io.mcprelay.domain.routing;

import java.util.Objects;

/**
 * What {@link CircuitBreaker#allowsRequest} decided, with the breaker as it stands after the decision:
 * the caller stores {@link #breaker()} in place of the one it asked.
 */
public sealed interface BreakerDecision {

    /** The breaker after the decision (a trial taken, or an open breaker turned half-open). */
    CircuitBreaker breaker();

    /** Whether the request may go to the upstream (as an ordinary request or as a trial). */
    default boolean allowed() {
        return !(this instanceof Refused);
    }

    /** The breaker is closed: send the request. */
    record Allowed(CircuitBreaker breaker) implements BreakerDecision {
        public Allowed {
            Objects.requireNonNull(breaker, "breaker");
        }
    }

    /**
     * The breaker is half-open and this request is one of its trials: send it, and report its outcome
     * (or {@link CircuitBreaker#onAbandoned()}) so the trial slot is freed.
     */
    record AllowedAsTrial(CircuitBreaker breaker) implements BreakerDecision {
        public AllowedAsTrial {
            Objects.requireNonNull(breaker, "breaker");
        }
    }

    /** The breaker is open, or half-open with all trial slots taken: do not send the request. */
    record Refused(CircuitBreaker breaker) implements BreakerDecision {
        public Refused {
            Objects.requireNonNull(breaker, "breaker");
        }
    }
}
