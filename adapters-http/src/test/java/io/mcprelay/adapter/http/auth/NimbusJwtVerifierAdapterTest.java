package io.mcprelay.adapter.http.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.mcprelay.domain.auth.Authentication;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** JWT access tokens against an issuer's JWKS served over loopback: what passes, what each hostile token gets. */
class NimbusJwtVerifierAdapterTest {

    private static final String ISSUER = "https://issuer.test/realm";
    private static final String RESOURCE = "https://mcp.test/mcp";

    private HttpServer server;
    private RSAKey key;
    private final AtomicInteger fetches = new AtomicInteger();
    private NimbusJwtVerifierAdapter verifier;

    @BeforeEach
    void start() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("k1").generate();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/jwks", exchange -> {
            fetches.incrementAndGet();
            byte[] bytes = new JWKSet(key).toPublicJWKSet().toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        verifier = new NimbusJwtVerifierAdapter(new JwtVerifierConfig(URI.create(ISSUER),
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks"), Set.of(RESOURCE), Duration.ofSeconds(60),
                Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofHours(2), 256 << 10));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(RESOURCE).subject("alice").claim("scope", "mcp:tools mcp:read")
                .claim("tenant", "acme").issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)));
    }

    private String signed(JWTClaimsSet claims, RSAKey with) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(with));
        return jwt.serialize();
    }

    private static String detail(Authentication a) {
        assertThat(a).isInstanceOf(Authentication.Refused.class);
        return ((Authentication.Refused) a).refusal().detail();
    }

    @Test
    void aValidTokenNamesItsPrincipalAndIsRememberedByItsHash() throws Exception {
        String token = signed(claims().build(), key);
        assertThat(verifier.verify(token)).isInstanceOfSatisfying(Authentication.Authenticated.class, ok -> {
            assertThat(ok.principal().subject()).isEqualTo("alice");
            assertThat(ok.principal().scopes()).containsExactlyInAnyOrder("mcp:tools", "mcp:read");
            assertThat(ok.principal().claims()).containsEntry("tenant", "acme");
        });
        assertThat(verifier.verify(token)).isInstanceOf(Authentication.Authenticated.class);
        String scp = signed(claims().claim("scope", null).claim("scp", List.of("a", "b")).build(), key);
        assertThat(verifier.verify(scp)).isInstanceOfSatisfying(Authentication.Authenticated.class,
                ok -> assertThat(ok.principal().scopes()).containsExactlyInAnyOrder("a", "b"));
        assertThat(fetches).hasValue(1);
        assertThat(NimbusJwtVerifierAdapter.algorithms()).contains("RS256", "ES256").doesNotContain("HS256");
    }

    @Test
    void hostileTokensAreRefusedEachForItsReason() throws Exception {
        Instant now = Instant.now();
        assertThat(detail(verifier.verify(signed(claims().expirationTime(Date.from(now.minusSeconds(600))).build(), key)))).contains("xpired");
        assertThat(detail(verifier.verify(signed(claims().audience("https://elsewhere").build(), key)))).contains("refused");
        assertThat(detail(verifier.verify(signed(claims().issuer("https://other").build(), key)))).contains("refused");
        assertThat(detail(verifier.verify(signed(claims().subject(null).build(), key)))).contains("refused");
        assertThat(detail(verifier.verify(signed(claims().subject("a\u0001b").build(), key)))).contains("subject");
        assertThat(detail(verifier.verify(signed(claims().subject("x".repeat(200)).build(), key)))).contains("subject");
        assertThat(detail(verifier.verify("not.a.jwt"))).contains("not a JWT");

        String valid = signed(claims().build(), key);
        String[] parts = valid.split("\\.");
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
                + "." + parts[1] + ".";
        assertThat(verifier.verify(none)).isInstanceOf(Authentication.Refused.class);

        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), claims().build());
        hmac.sign(new MACSigner(key.toRSAPublicKey().getEncoded().length >= 32 ? key.toRSAPublicKey().getEncoded() : new byte[32]));
        assertThat(detail(verifier.verify(hmac.serialize()))).contains("signature");

        RSAKey stranger = new RSAKeyGenerator(2048).keyID("k1").generate();
        assertThat(detail(verifier.verify(signed(claims().build(), stranger)))).contains("signature");
        RSAKey unknown = new RSAKeyGenerator(2048).keyID("unknown").generate();
        assertThat(verifier.verify(signed(claims().build(), unknown))).isInstanceOf(Authentication.Refused.class);

        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims().subject("mallory").build().toString().getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertThat(detail(verifier.verify(tampered))).contains("signature");

        SignedJWT wrongType = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").type(new JOSEObjectType("id+jwt")).build(),
                claims().build());
        wrongType.sign(new RSASSASigner(key));
        assertThat(verifier.verify(wrongType.serialize())).isInstanceOf(Authentication.Refused.class);
    }
}
