package io.mcprelay.domain.routing;

/**
 * What the active health checks say about an upstream. An upstream starts {@link #UNKNOWN} (no probe
 * has answered yet) and {@code UNKNOWN} admits new sessions, so that a freshly started proxy routes
 * before its first probe; only {@link #UNHEALTHY} keeps new sessions away.
 */
public enum UpstreamHealth {
    /** Enough probes in a row succeeded ({@link HealthCheckPolicy#healthyAfter()}). */
    HEALTHY,
    /** Enough probes in a row failed ({@link HealthCheckPolicy#unhealthyAfter()}); gets no new sessions. */
    UNHEALTHY,
    /** Not yet judged: the initial state. Treated as eligible. */
    UNKNOWN;

    /** Whether an upstream in this state may be given new sessions: all but {@link #UNHEALTHY}. */
    public boolean admitsNewSessions() {
        return this != UNHEALTHY;
    }
}
