package io.mcprelay.bootstrap;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Client authentication with bearer tokens (docs/auth.md): off unless an issuer is configured
 * ({@code auth.issuer}); then every request to {@code /mcp} needs a JWT access token that the issuer
 * signed for {@code resource}.
 *
 * @param issuer         the authorization server's issuer identifier; empty means authentication is off
 * @param jwksUri        where its signing keys are published (required with an issuer)
 * @param resource       this relay's resource identifier, the URL clients reach {@code /mcp} at (required with an issuer)
 * @param audiences      the {@code aud} values accepted; empty means the resource itself (RFC 8707)
 * @param requiredScopes scopes every request needs (403 {@code insufficient_scope} without them)
 * @param clockSkew      tolerance on {@code exp} and {@code nbf}
 * @param jwksTimeout    the longest a request waits for the key set to be fetched
 * @param jwksCacheTtl   how long fetched keys are used before fetching again
 * @param jwksMinRefresh least time between two fetches caused by unknown key ids
 * @param introspection  opaque tokens checked at the issuer's introspection endpoint (RFC 7662), if configured
 */
record AuthOptions(Optional<URI> issuer, Optional<URI> jwksUri, Optional<URI> resource, List<String> audiences,
                   List<String> requiredScopes, Duration clockSkew, Duration jwksTimeout, Duration jwksCacheTtl, Duration jwksMinRefresh,
                   Optional<Introspection> introspection) {

    /**
     * The introspection endpoint and mcp-relay's client there.
     *
     * @param uri          the endpoint
     * @param clientId     mcp-relay's client id
     * @param clientSecret its secret (masked by {@code --print-config})
     * @param timeout      the longest one introspection may take
     * @param cacheTtl     how long an answer is kept
     * @param all          every token is introspected, JWTs too; else only tokens that are not JWTs
     */
    record Introspection(URI uri, String clientId, String clientSecret, Duration timeout, Duration cacheTtl, boolean all) {
        static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
        static final Duration DEFAULT_CACHE_TTL = Duration.ofMinutes(1);

        Introspection {
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(clientSecret, "clientSecret");
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(cacheTtl, "cacheTtl");
        }

        @Override
        public String toString() {
            return "Introspection[" + uri + ", clientId=" + clientId + "]";
        }
    }

    static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
    static final Duration DEFAULT_JWKS_TIMEOUT = Duration.ofSeconds(5);
    static final Duration DEFAULT_JWKS_CACHE_TTL = Duration.ofMinutes(10);
    static final Duration DEFAULT_JWKS_MIN_REFRESH = Duration.ofSeconds(30);

    AuthOptions {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(jwksUri, "jwksUri");
        Objects.requireNonNull(resource, "resource");
        audiences = List.copyOf(audiences);
        requiredScopes = List.copyOf(requiredScopes);
        Objects.requireNonNull(clockSkew, "clockSkew");
        Objects.requireNonNull(jwksTimeout, "jwksTimeout");
        Objects.requireNonNull(jwksCacheTtl, "jwksCacheTtl");
        Objects.requireNonNull(jwksMinRefresh, "jwksMinRefresh");
        Objects.requireNonNull(introspection, "introspection");
        if (issuer.isPresent() && (jwksUri.isEmpty() && introspection.isEmpty() || resource.isEmpty())) {
            throw new IllegalArgumentException("--auth-issuer: needs --auth-jwks-uri (or --auth-introspection-uri) and --auth-resource too");
        }
    }

    /** Without introspection. */
    AuthOptions(Optional<URI> issuer, Optional<URI> jwksUri, Optional<URI> resource, List<String> audiences,
                List<String> requiredScopes, Duration clockSkew, Duration jwksTimeout, Duration jwksCacheTtl, Duration jwksMinRefresh) {
        this(issuer, jwksUri, resource, audiences, requiredScopes, clockSkew, jwksTimeout, jwksCacheTtl, jwksMinRefresh, Optional.empty());
    }

    /** Tokens checked at this introspection endpoint too (or only, without a JWKS URI). */
    AuthOptions withIntrospection(Introspection value) {
        return new AuthOptions(issuer, jwksUri, resource, audiences, requiredScopes, clockSkew, jwksTimeout, jwksCacheTtl, jwksMinRefresh,
                Optional.of(value));
    }

    /** Authentication off: today's behaviour, anyone who reaches {@code /mcp} may use it. */
    static AuthOptions off() {
        return new AuthOptions(Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of(), DEFAULT_CLOCK_SKEW,
                DEFAULT_JWKS_TIMEOUT, DEFAULT_JWKS_CACHE_TTL, DEFAULT_JWKS_MIN_REFRESH);
    }

    /** Tokens from {@code issuer} (keys at {@code jwksUri}) for {@code resource}, every other setting at its default. */
    static AuthOptions of(URI issuer, URI jwksUri, URI resource) {
        return new AuthOptions(Optional.of(issuer), Optional.of(jwksUri), Optional.of(resource), List.of(), List.of(), DEFAULT_CLOCK_SKEW,
                DEFAULT_JWKS_TIMEOUT, DEFAULT_JWKS_CACHE_TTL, DEFAULT_JWKS_MIN_REFRESH);
    }

    boolean enabled() {
        return issuer.isPresent();
    }

    /** The accepted audiences: those configured, else the resource identifier. */
    List<String> effectiveAudiences() {
        return audiences.isEmpty() ? resource.map(r -> List.of(r.toString())).orElse(List.of()) : audiences;
    }

    AuthOptions withRequiredScopes(List<String> scopes) {
        return new AuthOptions(issuer, jwksUri, resource, audiences, scopes, clockSkew, jwksTimeout, jwksCacheTtl, jwksMinRefresh, introspection);
    }

    AuthOptions withJwks(Duration timeout, Duration cacheTtl, Duration minRefresh) {
        return new AuthOptions(issuer, jwksUri, resource, audiences, requiredScopes, clockSkew, timeout, cacheTtl, minRefresh, introspection);
    }
}
