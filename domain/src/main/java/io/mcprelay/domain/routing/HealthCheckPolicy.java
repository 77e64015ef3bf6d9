package io.mcprelay.domain.routing;

import java.time.Duration;
import java.util.Objects;

/**
 * How an upstream is actively probed and judged.
 *
 * <ul>
 *   <li>{@code interval}: time between the starts of two probes; defaults to 10 seconds.</li>
 *   <li>{@code timeout}: how long one probe may take before it counts as failed; defaults to
 *       2 seconds, and may not exceed {@code interval} (so probes never overlap).</li>
 *   <li>{@code unhealthyAfter}: failed probes in a row that make an upstream
 *       {@link UpstreamHealth#UNHEALTHY}; defaults to {@value #DEFAULT_UNHEALTHY_AFTER}.</li>
 *   <li>{@code healthyAfter}: successful probes in a row that make it {@link UpstreamHealth#HEALTHY};
 *       defaults to {@value #DEFAULT_HEALTHY_AFTER}.</li>
 * </ul>
 * The durations are positive and the counts at least 1. What a probe sends is the adapter's business.
 */
public record HealthCheckPolicy(Duration interval, Duration timeout, int unhealthyAfter, int healthyAfter) {

    /** The default probe interval: 10 seconds. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    /** The default probe timeout: 2 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    /** The default number of failed probes in a row that make an upstream unhealthy: {@value}. */
    public static final int DEFAULT_UNHEALTHY_AFTER = 2;
    /** The default number of successful probes in a row that make an upstream healthy: {@value}. */
    public static final int DEFAULT_HEALTHY_AFTER = 1;

    public HealthCheckPolicy {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        if (interval.isNegative() || interval.isZero() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("health-check interval and timeout must be positive");
        }
        if (timeout.compareTo(interval) > 0) {
            throw new IllegalArgumentException("the health-check timeout (" + timeout
                    + ") must not exceed the interval (" + interval + ")");
        }
        if (unhealthyAfter < 1 || healthyAfter < 1) {
            throw new IllegalArgumentException("unhealthyAfter and healthyAfter must be at least 1");
        }
    }

    /** Every 10 seconds, 2 seconds timeout, unhealthy after 2 failures, healthy after 1 success. */
    public static HealthCheckPolicy defaults() {
        return new HealthCheckPolicy(DEFAULT_INTERVAL, DEFAULT_TIMEOUT, DEFAULT_UNHEALTHY_AFTER, DEFAULT_HEALTHY_AFTER);
    }
}
