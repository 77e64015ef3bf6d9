package io.mcprelay.domain.routing;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a {@link CircuitBreaker} stands, with the data each state needs. A breaker starts
 * {@link Closed} with no failures.
 */
public sealed interface BreakerState {

    /** Requests flow; {@code consecutiveFailures} failures have happened since the last success. */
    record Closed(int consecutiveFailures) implements BreakerState {
        public Closed {
            if (consecutiveFailures < 0) {
                throw new IllegalArgumentException("consecutiveFailures must not be negative");
            }
        }
    }

    /** Everything is refused until {@code openedAt} plus the policy's open duration. */
    record Open(Instant openedAt) implements BreakerState {
        public Open {
            Objects.requireNonNull(openedAt, "openedAt");
        }
    }

    /**
     * Probing: up to the policy's concurrent-trial limit, requests go through as trials.
     * {@code trialsInFlight} trials have been allowed and not yet reported; {@code trialSuccesses}
     * have succeeded since the breaker became half-open.
     */
    record HalfOpen(int trialsInFlight, int trialSuccesses) implements BreakerState {
        public HalfOpen {
            if (trialsInFlight < 0 || trialSuccesses < 0) {
                throw new IllegalArgumentException("trial counters must not be negative");
            }
        }
    }
}
