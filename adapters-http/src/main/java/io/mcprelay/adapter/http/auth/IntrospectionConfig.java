package io.mcprelay.adapter.http.auth;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How opaque access tokens are checked at the issuer's introspection endpoint (RFC 7662).
 *
 * @param endpoint     the introspection endpoint
 * @param clientId     mcp-relay's client id there (HTTP Basic, with {@code clientSecret})
 * @param clientSecret its secret
 * @param issuer       the {@code iss} an answer must name, when it names one
 * @param audiences    the {@code aud} values accepted, when an answer names an audience
 * @param timeout      the longest one introspection may take, in all
 * @param cacheTtl     how long an answer is kept (an active token at most until it expires)
 * @param cacheMax     how many answers are kept
 * @param maxInFlight  how many introspections may run at once; a request beyond waits at most {@code timeout}
 */
public record IntrospectionConfig(URI endpoint, String clientId, String clientSecret, URI issuer, Set<String> audiences,
                                  Duration timeout, Duration cacheTtl, int cacheMax, int maxInFlight) {

    public static final Duration DEFAULT_CACHE_TTL = Duration.ofMinutes(1);
    public static final int DEFAULT_CACHE_MAX = 10_000;
    public static final int DEFAULT_MAX_IN_FLIGHT = 32;

    public IntrospectionConfig {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
        Objects.requireNonNull(issuer, "issuer");
        audiences = Set.copyOf(audiences);
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(cacheTtl, "cacheTtl");
        if (timeout.isNegative() || timeout.isZero() || cacheTtl.isNegative() || cacheMax < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("introspection timeout, cache and concurrency bounds must be positive");
        }
    }

    /** Does not show the secret. */
    @Override
    public String toString() {
        return "IntrospectionConfig[endpoint=" + endpoint + ", clientId=" + clientId + ", issuer=" + issuer + ", audiences=" + audiences
                + ", timeout=" + timeout + ", cacheTtl=" + cacheTtl + ", cacheMax=" + cacheMax + ", maxInFlight=" + maxInFlight + "]";
    }
}
