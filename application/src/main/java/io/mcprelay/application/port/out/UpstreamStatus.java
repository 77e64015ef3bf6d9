package io.mcprelay.application.port.out;

import io.mcprelay.domain.routing.UpstreamHealth;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One upstream as operators see it: configuration, health, breaker, load and its latest errors.
 *
 * @param name         the upstream's name
 * @param endpoint     where it is, for people: its MCP endpoint's URL, or the command line of a stdio upstream
 * @param weight       its weight for new sessions
 * @param enabled      whether it takes new sessions at all
 * @param health       the active checks' verdict (UNKNOWN before the first probe)
 * @param breaker      the circuit breaker's state: CLOSED, OPEN or HALF_OPEN
 * @param inFlight     requests and streams open to it now
 * @param recentErrors its latest failures, newest first (at most 20)
 */
public record UpstreamStatus(String name, String endpoint, int weight, boolean enabled, UpstreamHealth health, String breaker,
                             int inFlight, List<RecentError> recentErrors) {

    public UpstreamStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(breaker, "breaker");
        recentErrors = List.copyOf(recentErrors);
    }

    /** The status of an HTTP upstream at {@code endpoint}. */
    public UpstreamStatus(String name, URI endpoint, int weight, boolean enabled, UpstreamHealth health, String breaker, int inFlight,
                          List<RecentError> recentErrors) {
        this(name, endpoint.toString(), weight, enabled, health, breaker, inFlight, recentErrors);
    }

    /** A failure seen on the upstream, and when. */
    public record RecentError(Instant at, String what) {
        public RecentError {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(what, "what");
        }
    }
}
