package io.mcprelay.adapter.http.out.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TokenEndpointTest {

    private FakeTokenEndpoint fake;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeTokenEndpoint();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private TokenEndpoint endpoint(TokenEndpoint.ClientAuth auth, String secret) {
        return new TokenEndpoint(fake.url(), "relay client", secret, auth, Duration.ofSeconds(15));
    }

    static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void basicAuthenticationSendsTheFormEncodedIdAndSecret() throws Exception {
        TokenEndpoint.IssuedToken token = endpoint(TokenEndpoint.ClientAuth.CLIENT_SECRET_BASIC, "s&cret:1")
                .request(Map.of("grant_type", "client_credentials", "scope", "a b"));

        assertThat(token.accessToken()).isEqualTo("t-1");
        assertThat(token.expiresIn()).contains(Duration.ofHours(1));
        assertThat(token.toString()).doesNotContain("t-1");
        FakeTokenEndpoint.Request seen = fake.requests().getFirst();
        assertThat(new String(Base64.getDecoder().decode(seen.authorization().substring(6)), StandardCharsets.UTF_8))
                .isEqualTo("relay+client:s%26cret%3A1");
        assertThat(form(seen.form())).containsEntry("grant_type", "client_credentials").containsEntry("scope", "a b")
                .doesNotContainKey("client_secret");
    }

    @Test
    void postAuthenticationPutsTheSecretInTheForm() throws Exception {
        endpoint(TokenEndpoint.ClientAuth.CLIENT_SECRET_POST, "secret").request(Map.of("grant_type", "client_credentials"));

        FakeTokenEndpoint.Request seen = fake.requests().getFirst();
        assertThat(seen.authorization()).isNull();
        assertThat(form(seen.form())).containsEntry("client_id", "relay client").containsEntry("client_secret", "secret");
    }

    @Test
    void privateKeyJwtSignsAShortLivedAssertionForThisEndpoint() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("k1").generate();
        endpoint(TokenEndpoint.ClientAuth.PRIVATE_KEY_JWT, rsa.toJSONString()).request(Map.of("grant_type", "client_credentials"));
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("k2").generate();
        endpoint(TokenEndpoint.ClientAuth.PRIVATE_KEY_JWT, ec.toJSONString()).request(Map.of("grant_type", "client_credentials"));

        Map<String, String> first = form(fake.requests().get(0).form());
        assertThat(first).containsEntry("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        SignedJWT assertion = SignedJWT.parse(first.get("client_assertion"));
        assertThat(assertion.verify(new RSASSAVerifier(rsa.toRSAPublicKey()))).isTrue();
        assertThat(assertion.getJWTClaimsSet().getIssuer()).isEqualTo("relay client");
        assertThat(assertion.getJWTClaimsSet().getAudience()).containsExactly(fake.url().toString());
        assertThat(assertion.getJWTClaimsSet().getExpirationTime().getTime() - System.currentTimeMillis()).isLessThanOrEqualTo(60_000);
        SignedJWT second = SignedJWT.parse(form(fake.requests().get(1).form()).get("client_assertion"));
        assertThat(second.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
        assertThat(second.verify(new ECDSAVerifier(ec.toECPublicKey()))).isTrue();
        assertThat(second.getJWTClaimsSet().getJWTID()).isNotEqualTo(assertion.getJWTClaimsSet().getJWTID());
    }

    @Test
    void aPublicKeyOrNoJwkIsRefusedAtConstruction() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).generate();
        assertThatThrownBy(() -> endpoint(TokenEndpoint.ClientAuth.PRIVATE_KEY_JWT, rsa.toPublicJWK().toJSONString()))
                .hasMessageContaining("private key");
        assertThatThrownBy(() -> endpoint(TokenEndpoint.ClientAuth.PRIVATE_KEY_JWT, "not json")).hasMessageContaining("not a JWK");
        assertThatThrownBy(() -> new TokenEndpoint(URI.create("ftp://x/token"), "c", "s", TokenEndpoint.ClientAuth.CLIENT_SECRET_BASIC,
                Duration.ofSeconds(1))).hasMessageContaining("http(s)");
    }

    @Test
    void refusalsAndFailuresAreToldApartWithoutRepeatingWhatTheEndpointSaid() {
        TokenEndpoint endpoint = endpoint(TokenEndpoint.ClientAuth.CLIENT_SECRET_BASIC, "secret");
        fake.answer(new FakeTokenEndpoint.Answer(401, "{\"error\":\"invalid_client\",\"error_description\":\"secret is secret\"}", 0));
        assertThatThrownBy(() -> endpoint.request(Map.of())).isInstanceOfSatisfying(CredentialsException.class, e -> {
            assertThat(e.refused()).isTrue();
            assertThat(e.getMessage()).contains("HTTP 401 (invalid_client)").doesNotContain("secret is secret");
        });
        fake.answer(new FakeTokenEndpoint.Answer(400, "{\"error\":\"bad\\\"quote\"}", 0));
        assertThatThrownBy(() -> endpoint.request(Map.of())).hasMessageEndingWith("HTTP 400");
        fake.answer(new FakeTokenEndpoint.Answer(503, "down", 0));
        assertThatThrownBy(() -> endpoint.request(Map.of())).isInstanceOfSatisfying(CredentialsException.class,
                e -> assertThat(e.refused()).isFalse());
        fake.answer(new FakeTokenEndpoint.Answer(429, "{}", 0));
        assertThatThrownBy(() -> endpoint.request(Map.of())).isInstanceOfSatisfying(CredentialsException.class,
                e -> assertThat(e.refused()).isFalse());
        fake.answer(new FakeTokenEndpoint.Answer(200, "{\"token_type\":\"Bearer\"}", 0));
        assertThatThrownBy(() -> endpoint.request(Map.of())).hasMessageContaining("without an access_token");
        fake.answer(new FakeTokenEndpoint.Answer(200, "{\"access_token\":\"has space\"}", 0));
        assertThatThrownBy(() -> endpoint.request(Map.of())).hasMessageContaining("cannot be sent in a header");
        fake.answer(new FakeTokenEndpoint.Answer(200, "x".repeat(TokenEndpoint.MAX_ANSWER_BYTES + 10), 0));
        assertThatThrownBy(() -> endpoint.request(Map.of())).hasMessageContaining("more than");
        fake.answer(new FakeTokenEndpoint.Answer(200, "not json", 0));
        assertThatThrownBy(() -> endpoint.request(Map.of())).hasMessageContaining("without an access_token");
    }

    @Test
    void expiryIsReadAsANumberOrDigitsAndOtherwiseUnknown() throws Exception {
        TokenEndpoint endpoint = endpoint(TokenEndpoint.ClientAuth.CLIENT_SECRET_BASIC, "secret");
        fake.answer(new FakeTokenEndpoint.Answer(200, "{\"access_token\":\"a\",\"expires_in\":\"120\"}", 0));
        assertThat(endpoint.request(Map.of()).expiresIn()).contains(Duration.ofMinutes(2));
        fake.answer(new FakeTokenEndpoint.Answer(200, "{\"access_token\":\"a\",\"expires_in\":-5}", 0));
        assertThat(endpoint.request(Map.of()).expiresIn()).isEmpty();
        fake.answer(new FakeTokenEndpoint.Answer(200, "{\"access_token\":\"a\"}", 0));
        assertThat(endpoint.request(Map.of()).tokenType()).isEqualTo("Bearer");
    }

    @Test
    void aSlowEndpointIsAbandonedAtTheDeadline() {
        TokenEndpoint endpoint = new TokenEndpoint(fake.url(), "c", "s", TokenEndpoint.ClientAuth.CLIENT_SECRET_BASIC, Duration.ofMillis(300));
        fake.answer(new FakeTokenEndpoint.Answer(200, "{\"access_token\":\"late\"}", 5_000));
        long started = System.nanoTime();
        assertThatThrownBy(() -> endpoint.request(Map.of())).isInstanceOfSatisfying(CredentialsException.class, e -> {
            assertThat(e.refused()).isFalse();
            assertThat(e.getMessage()).contains("did not answer within 300 ms");
        });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void anEndpointThatCannotBeReachedIsUnavailable() {
        TokenEndpoint endpoint = new TokenEndpoint(URI.create("http://127.0.0.1:1/token"), "c", "s", TokenEndpoint.ClientAuth.CLIENT_SECRET_BASIC,
                Duration.ofSeconds(2));
        assertThatThrownBy(() -> endpoint.request(Map.of())).isInstanceOfSatisfying(CredentialsException.class, e -> {
            assertThat(e.refused()).isFalse();
            assertThat(e.getMessage()).contains("cannot be reached");
        });
    }
}
