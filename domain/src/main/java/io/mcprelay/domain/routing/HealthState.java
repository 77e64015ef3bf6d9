package io.mcprelay.domain.routing;

import java.util.Objects;

/**
 * The active-health judgement of one upstream and the run of probe results behind it. Immutable:
 * {@link #afterProbe} returns the next state. Starts {@link UpstreamHealth#UNKNOWN} with no runs
 * ({@link #unknown}).
 *
 * <p>A success extends the success run and ends the failure run; reaching
 * {@link HealthCheckPolicy#healthyAfter()} makes the upstream {@code HEALTHY}. A failure does the
 * opposite and, at {@link HealthCheckPolicy#unhealthyAfter()}, makes it {@code UNHEALTHY}. Between
 * thresholds the judgement stays what it was (so with the defaults, one failed probe leaves an
 * {@code UNKNOWN} or {@code HEALTHY} upstream as it is). Runs stop counting at
 * {@link Integer#MAX_VALUE}.
 */
public record HealthState(HealthCheckPolicy policy, UpstreamHealth health, int consecutiveSuccesses, int consecutiveFailures) {

    public HealthState {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(health, "health");
        if (consecutiveSuccesses < 0 || consecutiveFailures < 0) {
            throw new IllegalArgumentException("probe runs must not be negative");
        }
        if (consecutiveSuccesses > 0 && consecutiveFailures > 0) {
            throw new IllegalArgumentException("a success run and a failure run cannot both be going on");
        }
    }

    /** The state before any probe: {@code UNKNOWN}, no runs. */
    public static HealthState unknown(HealthCheckPolicy policy) {
        return new HealthState(policy, UpstreamHealth.UNKNOWN, 0, 0);
    }

    /** The state after a probe that succeeded ({@code ok}) or failed (error, bad answer or timeout). */
    public HealthState afterProbe(boolean ok) {
        if (ok) {
            int successes = increment(consecutiveSuccesses);
            UpstreamHealth next = successes >= policy.healthyAfter() ? UpstreamHealth.HEALTHY : health;
            return new HealthState(policy, next, successes, 0);
        }
        int failures = increment(consecutiveFailures);
        UpstreamHealth next = failures >= policy.unhealthyAfter() ? UpstreamHealth.UNHEALTHY : health;
        return new HealthState(policy, next, 0, failures);
    }

    private static int increment(int run) {
        return run == Integer.MAX_VALUE ? run : run + 1;
    }
}
