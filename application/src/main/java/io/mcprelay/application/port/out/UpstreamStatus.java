package io.mcprelay.application.port.out;

import io.mcprelay.domain.routing.UpstreamHealth;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One upstream as operators see it: configuration, health, breaker, load and its latest errors.
 *
 * @param name         the upstream's name
 * @param endpoint     its MCP endpoint
 * @param weight       its weight for new sessions
 * @param enabled      whether it takes new sessions at all
 * @param health       the active checks' verdict (UNKNOWN before the first probe)
 * @param breaker      the circuit breaker's state: CLOSED, OPEN or HALF_OPEN
 * @param inFlight     requests and streams open to it now
 * @param recentErrors its latest failures, newest first (at most 20)
 * @param drained      whether an operator drained it: no new sessions, its sessions continue
 * @param exchanges    requests and streams to it that ended, since it was configured on this instance
 * @param failures     of those, the ones that failed (timeouts, connection errors, 5xx)
 * @param lastCheck    when the latest health probe ran, empty before the first
 * @param healthSince  since when its health has been what it is now (when it was configured, before any change)
 */
public record UpstreamStatus(String name, URI endpoint, int weight, boolean enabled, UpstreamHealth health, String breaker,
                             int inFlight, List<RecentError> recentErrors, boolean drained, long exchanges, long failures,
                             Optional<Instant> lastCheck, Instant healthSince) {

    public UpstreamStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(breaker, "breaker");
        Objects.requireNonNull(lastCheck, "lastCheck");
        Objects.requireNonNull(healthSince, "healthSince");
        recentErrors = List.copyOf(recentErrors);
    }

    /** An upstream not drained, with no counts and no probe yet, in its health since the epoch: for tests and simple views. */
    public UpstreamStatus(String name, URI endpoint, int weight, boolean enabled, UpstreamHealth health, String breaker,
                          int inFlight, List<RecentError> recentErrors) {
        this(name, endpoint, weight, enabled, health, breaker, inFlight, recentErrors, false, 0, 0, Optional.empty(), Instant.EPOCH);
    }

    /** A failure seen on the upstream, and when. */
    public record RecentError(Instant at, String what) {
        public RecentError {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(what, "what");
        }
    }
}
