package io.mcprelay.domain.routing;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings of a {@link CircuitBreaker}.
 *
 * <ul>
 *   <li>{@code failureThreshold}: consecutive failures that open a closed breaker; defaults to
 *       {@value #DEFAULT_FAILURE_THRESHOLD}.</li>
 *   <li>{@code openDuration}: how long an open breaker refuses everything before it lets a trial
 *       through; defaults to 30 seconds.</li>
 *   <li>{@code halfOpenTrials}: trial successes in a row that close a half-open breaker; defaults to
 *       {@value #DEFAULT_HALF_OPEN_TRIALS}.</li>
 *   <li>{@code maxHalfOpenConcurrent}: trials a half-open breaker lets run at once; defaults to
 *       {@value #DEFAULT_MAX_HALF_OPEN_CONCURRENT}.</li>
 * </ul>
 * All counts are at least 1 and {@code openDuration} is positive.
 */
public record BreakerPolicy(int failureThreshold, Duration openDuration, int halfOpenTrials, int maxHalfOpenConcurrent) {

    /** The default failure threshold: {@value} consecutive failures. */
    public static final int DEFAULT_FAILURE_THRESHOLD = 5;
    /** The default open duration: 30 seconds. */
    public static final Duration DEFAULT_OPEN_DURATION = Duration.ofSeconds(30);
    /** The default number of trial successes that close the breaker: {@value}. */
    public static final int DEFAULT_HALF_OPEN_TRIALS = 1;
    /** The default number of concurrent trials while half-open: {@value}. */
    public static final int DEFAULT_MAX_HALF_OPEN_CONCURRENT = 1;

    public BreakerPolicy {
        Objects.requireNonNull(openDuration, "openDuration");
        requireAtLeastOne(failureThreshold, "failureThreshold");
        requireAtLeastOne(halfOpenTrials, "halfOpenTrials");
        requireAtLeastOne(maxHalfOpenConcurrent, "maxHalfOpenConcurrent");
        if (openDuration.isNegative() || openDuration.isZero()) {
            throw new IllegalArgumentException("the breaker's openDuration must be positive, not " + openDuration);
        }
    }

    /** 5 failures, 30 seconds open, 1 trial success to close, 1 trial at a time. */
    public static BreakerPolicy defaults() {
        return new BreakerPolicy(DEFAULT_FAILURE_THRESHOLD, DEFAULT_OPEN_DURATION, DEFAULT_HALF_OPEN_TRIALS,
                DEFAULT_MAX_HALF_OPEN_CONCURRENT);
    }

    private static void requireAtLeastOne(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException("the breaker's " + name + " must be at least 1, not " + value);
        }
    }
}
