package io.mcprelay.adapter.http.auth;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How JWT access tokens are checked.
 *
 * @param issuer          the {@code iss} every token must carry, exactly
 * @param jwksUri         where the issuer publishes its signing keys
 * @param audiences       a token must name at least one of these in {@code aud} (RFC 8707: the resource URI)
 * @param clockSkew       how far {@code exp} and {@code nbf} may be off (clocks differ a little)
 * @param jwksTimeout     the longest a request waits for the key set to be fetched, in all
 * @param jwksCacheTtl    how long fetched keys are used before they are fetched again
 * @param jwksMinRefresh  the least time between two fetches for a token whose {@code kid} is unknown
 * @param jwksOutageTtl   how long cached keys go on being used while the JWKS endpoint cannot be reached
 * @param jwksMaxBytes    the largest key set read
 */
public record JwtVerifierConfig(URI issuer, URI jwksUri, Set<String> audiences, Duration clockSkew, Duration jwksTimeout,
                                Duration jwksCacheTtl, Duration jwksMinRefresh, Duration jwksOutageTtl, int jwksMaxBytes) {

    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
    public static final Duration DEFAULT_JWKS_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_JWKS_CACHE_TTL = Duration.ofMinutes(10);
    public static final Duration DEFAULT_JWKS_MIN_REFRESH = Duration.ofSeconds(30);
    public static final Duration DEFAULT_JWKS_OUTAGE_TTL = Duration.ofHours(2);
    public static final int DEFAULT_JWKS_MAX_BYTES = 256 * 1024;

    public JwtVerifierConfig {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(jwksUri, "jwksUri");
        audiences = Set.copyOf(audiences);
        if (audiences.isEmpty()) {
            throw new IllegalArgumentException("at least one audience (the resource URI)");
        }
        for (Duration d : new Duration[] {clockSkew, jwksTimeout, jwksCacheTtl, jwksMinRefresh, jwksOutageTtl}) {
            Objects.requireNonNull(d, "duration");
            if (d.isNegative()) {
                throw new IllegalArgumentException("durations must not be negative");
            }
        }
        if (jwksMaxBytes < 1024) {
            throw new IllegalArgumentException("jwksMaxBytes is at least 1024");
        }
    }

    /** Every default, for {@code issuer}'s keys at {@code jwksUri} and tokens for {@code resource}. */
    public static JwtVerifierConfig of(URI issuer, URI jwksUri, String resource) {
        return new JwtVerifierConfig(issuer, jwksUri, Set.of(resource), DEFAULT_CLOCK_SKEW, DEFAULT_JWKS_TIMEOUT, DEFAULT_JWKS_CACHE_TTL,
                DEFAULT_JWKS_MIN_REFRESH, DEFAULT_JWKS_OUTAGE_TTL, DEFAULT_JWKS_MAX_BYTES);
    }
}
