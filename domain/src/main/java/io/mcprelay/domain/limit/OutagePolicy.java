package io.mcprelay.domain.limit;

/**
 * What happens to requests while the store holding the buckets (Redis) cannot be reached: the limits
 * cannot be checked, so either nothing is limited ({@link #OPEN}, the default: an outage of the limit
 * store must not become an outage of the relay) or everything that a limit applies to is refused
 * ({@link #CLOSED}, for deployments where an unlimited caller is worse than none).
 */
public enum OutagePolicy {
    /** Let requests through unchecked. */
    OPEN,
    /** Refuse requests a limit applies to (503, the store is unavailable). */
    CLOSED
}
