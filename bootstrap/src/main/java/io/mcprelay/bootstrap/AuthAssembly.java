package io.mcprelay.bootstrap;

import io.mcprelay.adapter.http.auth.IntrospectionConfig;
import io.mcprelay.adapter.http.auth.IntrospectionVerifierAdapter;
import io.mcprelay.adapter.http.auth.JwtVerifierConfig;
import io.mcprelay.adapter.http.auth.NimbusJwtVerifierAdapter;
import io.mcprelay.adapter.http.in.ProtectedResource;
import java.util.List;

/**
 * The part of the composition root that builds client authentication from the auth options: the
 * protected resource clients learn the authorization server from, and the verifier of their tokens
 * (JWTs, introspection, or both by the token's shape). Apart from {@link ProxyAssembly} because
 * choosing and configuring the verifiers is a decision of its own that the rest of the wiring only
 * consumes.
 */
final class AuthAssembly {

    private AuthAssembly() {
    }

    /** What clients need to know to get a token for this relay (RFC 9728), when they must authenticate. */
    static java.util.Optional<ProtectedResource> protectedResource(AuthOptions auth) {
        if (!auth.enabled()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new ProtectedResource(auth.resource().orElseThrow(), List.of(auth.issuer().orElseThrow()),
                auth.requiredScopes(), String.join(" ", auth.requiredScopes())));
    }

    /**
     * JWTs checked here against the issuer's keys, opaque tokens (or every token) at its introspection
     * endpoint, as configured (docs/auth.md).
     */
    static io.mcprelay.application.port.out.TokenVerifierPort tokenVerifier(AuthOptions auth) {
        java.util.Optional<io.mcprelay.application.port.out.TokenVerifierPort> introspection = auth.introspection()
                .map(i -> new IntrospectionVerifierAdapter(new IntrospectionConfig(i.uri(), i.clientId(), i.clientSecret(),
                        auth.issuer().orElseThrow(), java.util.Set.copyOf(auth.effectiveAudiences()), i.timeout(), i.cacheTtl(),
                        IntrospectionConfig.DEFAULT_CACHE_MAX, IntrospectionConfig.DEFAULT_MAX_IN_FLIGHT)));
        if (introspection.isPresent() && (auth.jwksUri().isEmpty() || auth.introspection().orElseThrow().all())) {
            return introspection.get();
        }
        io.mcprelay.application.port.out.TokenVerifierPort jwt = new NimbusJwtVerifierAdapter(jwtConfig(auth));
        return introspection.map(opaque -> IntrospectionVerifierAdapter.byShape(jwt, opaque)).orElse(jwt);
    }

    private static JwtVerifierConfig jwtConfig(AuthOptions auth) {
        return new JwtVerifierConfig(auth.issuer().orElseThrow(), auth.jwksUri().orElseThrow(), java.util.Set.copyOf(auth.effectiveAudiences()),
                auth.clockSkew(), auth.jwksTimeout(), auth.jwksCacheTtl(), auth.jwksMinRefresh(), JwtVerifierConfig.DEFAULT_JWKS_OUTAGE_TTL,
                JwtVerifierConfig.DEFAULT_JWKS_MAX_BYTES);
    }
}
