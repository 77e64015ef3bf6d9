package io.mcprelay.bootstrap;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.helidon.webserver.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import no.nav.security.mock.oauth2.MockOAuth2Server;

/**
 * A real OAuth 2 / OIDC authorization server for the tests ({@code mock-oauth2-server}: RSA-signed
 * JWTs, JWKS, discovery), the hostile tokens an attacker would try against a resource that trusts it,
 * and a JWKS endpoint in front of its own that can be taken down or slowed, to show what the relay
 * does when its issuer's keys cannot be fetched.
 */
final class AuthorizationServer implements AutoCloseable {

    static final String ISSUER_ID = "default";

    private final MockOAuth2Server server = new MockOAuth2Server();
    private final WebServer jwksFront;
    private final AtomicReference<JwksMode> mode = new AtomicReference<>(JwksMode.UP);
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** What the JWKS endpoint in front does. */
    enum JwksMode { UP, DOWN, SLOW }

    private AuthorizationServer() {
        server.start();
        this.jwksFront = WebServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r.get("/jwks", (req, res) -> {
                    jwksFetches.incrementAndGet();
                    switch (mode.get()) {
                        case DOWN -> res.status(503).send("down");
                        case SLOW -> {
                            Thread.sleep(30_000);
                            res.send(jwks());
                        }
                        case UP -> {
                            res.header("Content-Type", "application/json");
                            res.send(jwks());
                        }
                    }
                }))
                .build().start();
    }

    /** A running server whose default issuer has made its keys (it makes them on first use, which takes a while). */
    static AuthorizationServer start() {
        AuthorizationServer started = new AuthorizationServer();
        try {
            started.jwks();
        } catch (Exception e) {
            started.close();
            throw new IllegalStateException("the authorization server does not serve its keys", e);
        }
        return started;
    }

    URI issuer() {
        return server.issuerUrl(ISSUER_ID).uri();
    }

    /** The issuer's token endpoint (client credentials, token exchange with {@code private_key_jwt}). */
    URI tokenEndpoint() {
        return server.tokenEndpointUrl(ISSUER_ID).uri();
    }

    /** The issuer's own JWKS endpoint. */
    URI jwksUri() {
        return server.jwksUrl(ISSUER_ID).uri();
    }

    /** The JWKS endpoint that {@link #jwks(JwksMode)} takes down or slows. */
    URI frontJwksUri() {
        return URI.create("http://127.0.0.1:" + jwksFront.port() + "/jwks");
    }

    void jwks(JwksMode next) {
        mode.set(next);
    }

    int frontJwksFetches() {
        return jwksFetches.get();
    }

    private String jwks() throws Exception {
        return http.send(HttpRequest.newBuilder(jwksUri()).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** A valid access token for {@code audience}, naming {@code subject}, granting {@code scope}, for an hour. */
    String token(String subject, String audience, String scope) {
        return server.issueToken(ISSUER_ID, subject, audience, Map.of("scope", scope), 3600).serialize();
    }

    /** A token that expired ten minutes ago, far beyond any clock skew. */
    String expired(String subject, String audience, String scope) {
        return server.issueToken(ISSUER_ID, subject, audience, Map.of("scope", scope), -600).serialize();
    }

    /** A valid token of another issuer this server also runs ({@code /other}). */
    String ofOtherIssuer(String subject, String audience, String scope) {
        return server.issueToken("other", subject, audience, Map.of("scope", scope), 3600).serialize();
    }

    /** {@code token}'s claims, unsigned: {@code alg: none}. */
    static String algNone(String token) {
        return b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + token.split("\\.")[1] + ".";
    }

    /**
     * {@code token}'s claims "signed" with HS256, the issuer's public key (as the PEM text a
     * confused verifier would use) as the shared secret: the classic algorithm-confusion attack.
     */
    String hs256WithThePublicKey(String token) throws Exception {
        RSAKey key = (RSAKey) JWKSet.parse(jwks()).getKeys().getFirst();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.toRSAPublicKey().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        String signingInput = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + key.getKeyID() + "\"}") + "." + token.split("\\.")[1];
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(pem.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
        return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    /** {@code token}'s claims signed RS256 by a key the issuer never published, under a key id it does not have. */
    static String unknownKid(String token) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String signingInput = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"not-a-key-of-the-issuer\"}") + "." + token.split("\\.")[1];
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(generator.generateKeyPair().getPrivate());
        rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
    }

    /** {@code token} with its subject changed after signing. */
    static String tampered(String token, String subject) {
        String[] parts = token.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replaceFirst("\"sub\"\\s*:\\s*\"[^\"]*\"", "\"sub\":\"" + subject + "\"");
        return parts[0] + "." + b64(claims) + "." + parts[2];
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        jwksFront.stop();
        server.shutdown();
    }
}
