package io.mcprelay.bench;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.mcprelay.adapter.http.auth.JwtVerifierConfig;
import io.mcprelay.adapter.http.auth.NimbusJwtVerifierAdapter;
import io.mcprelay.application.port.in.AuthenticateRequestCommand;
import io.mcprelay.application.service.AuthenticationService;
import io.mcprelay.domain.auth.Authentication;
import io.mcprelay.domain.auth.ScopeRequirement;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What client authentication adds to each request with the issuer's keys held (docs/auth.md): the
 * bearer check of the MCP endpoint, from the {@code Authorization} header to the principal, for an
 * RS256 access token (2048-bit key) — header bounds, JWT parse, signature, claims, scopes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BearerTokenBenchmark {

    private static final String RESOURCE = "https://mcp.example.test/mcp";

    private HttpServer jwks;
    private AuthenticationService gate;
    private AuthenticateRequestCommand command;

    @Setup
    public void setUp() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("bench-key").generate();
        byte[] keys = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwks.createContext("/jwks", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, keys.length);
            exchange.getResponseBody().write(keys);
            exchange.close();
        });
        jwks.start();
        URI issuer = URI.create("https://id.example.test/realms/mcp");
        NimbusJwtVerifierAdapter verifier = new NimbusJwtVerifierAdapter(JwtVerifierConfig.of(issuer,
                URI.create("http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks"), RESOURCE));
        gate = new AuthenticationService(verifier, new ScopeRequirement(Set.of("mcp:tools")));
        SignedJWT token = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("bench-key").type(JOSEObjectType.JWT).build(),
                new JWTClaimsSet.Builder().issuer(issuer.toString()).subject("bench-user").audience(RESOURCE)
                        .expirationTime(new Date(System.currentTimeMillis() + 3_600_000)).issueTime(new Date())
                        .claim("scope", "mcp:tools profile").claim("azp", "bench-client").build());
        token.sign(new RSASSASigner(key));
        command = new AuthenticateRequestCommand(Optional.of("Bearer " + token.serialize()));
        if (!(gate.authenticate(command) instanceof Authentication.Authenticated)) {    // also waits for the first key fetch
            Thread.sleep(2000);
            if (!(gate.authenticate(command) instanceof Authentication.Authenticated)) {
                throw new IllegalStateException("the benchmark token is not accepted");
            }
        }
    }

    @TearDown
    public void tearDown() {
        jwks.stop(0);
    }

    @Benchmark
    public Authentication authenticateRs256() {
        return gate.authenticate(command);
    }
}
