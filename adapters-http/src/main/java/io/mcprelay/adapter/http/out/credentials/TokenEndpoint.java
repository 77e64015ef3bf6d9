package io.mcprelay.adapter.http.out.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An OAuth 2 token endpoint mcp-relay asks for tokens of its own (RFC 6749 §3.2), as a confidential
 * client: a form POST, the client authenticated by {@code client_secret_basic},
 * {@code client_secret_post} or {@code private_key_jwt} (RFC 7523, a short-lived assertion signed
 * with the client's key). Each request is bounded in all by {@code timeout} (it runs on its own
 * virtual thread and is abandoned at the deadline, so an endpoint that trickles its answer cannot
 * hold a caller), answers larger than {@value #MAX_ANSWER_BYTES} bytes are refused, and redirects
 * are not followed. Nothing here logs; failures say what happened without the secret or a token.
 */
public final class TokenEndpoint {

    /** The largest token endpoint answer read. */
    static final int MAX_ANSWER_BYTES = 64 << 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How the client proves itself to the token endpoint. */
    public enum ClientAuth {
        /** {@code client_secret_basic}: HTTP Basic with the form-encoded id and secret (the default). */
        CLIENT_SECRET_BASIC,
        /** {@code client_secret_post}: {@code client_id} and {@code client_secret} in the form. */
        CLIENT_SECRET_POST,
        /** {@code private_key_jwt}: a JWT signed with the client's private key (a JWK), in {@code client_assertion}. */
        PRIVATE_KEY_JWT
    }

    /** A token the endpoint issued; {@link #toString()} never shows it. */
    public record IssuedToken(String accessToken, String tokenType, Optional<Duration> expiresIn) {
        public IssuedToken {
            Objects.requireNonNull(accessToken, "accessToken");
            Objects.requireNonNull(tokenType, "tokenType");
            Objects.requireNonNull(expiresIn, "expiresIn");
        }

        @Override
        public String toString() {
            return "IssuedToken[type=" + tokenType + ", expiresIn=" + expiresIn.map(Duration::toString).orElse("unknown") + "]";
        }
    }

    private final URI url;
    private final String clientId;
    private final String secret;
    private final ClientAuth auth;
    private final Duration timeout;
    private final JWK key;

    /**
     * @param url      the token endpoint ({@code http} only for loopback tests; use {@code https})
     * @param clientId mcp-relay's client id there
     * @param secret   the client secret, or for {@code PRIVATE_KEY_JWT} the private key as a JWK (JSON)
     * @param auth     how the client authenticates
     * @param timeout  the longest one request may take in all
     */
    public TokenEndpoint(URI url, String clientId, String secret, ClientAuth auth, Duration timeout) {
        this.url = Objects.requireNonNull(url, "url");
        if (!"https".equalsIgnoreCase(url.getScheme()) && !"http".equalsIgnoreCase(url.getScheme())) {
            throw new IllegalArgumentException("a token endpoint is an http(s) URL, not " + url);
        }
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        if (clientId.isBlank()) {
            throw new IllegalArgumentException("a client id is needed for the token endpoint");
        }
        this.secret = Objects.requireNonNull(secret, "secret");
        this.auth = Objects.requireNonNull(auth, "auth");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the token endpoint timeout must be positive");
        }
        this.key = auth == ClientAuth.PRIVATE_KEY_JWT ? privateKey(secret) : null;
    }

    /** The endpoint, for messages. */
    public URI url() {
        return url;
    }

    /** The longest one request may take. */
    public Duration timeout() {
        return timeout;
    }

    /**
     * POSTs {@code form} (plus the client's authentication) and reads the token from the answer.
     *
     * @throws CredentialsException refused (4xx but 429, or an answer without a usable token) or
     *                              unavailable (cannot connect, timed out, 429, 5xx)
     */
    public IssuedToken request(Map<String, String> form) throws CredentialsException {
        FutureTask<IssuedToken> call = new FutureTask<>(() -> send(form));
        Thread.ofVirtual().name("mcp-relay-token-request").start(call);
        try {
            return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new CredentialsException("the token endpoint " + url + " did not answer within " + timeout.toMillis() + " ms", false);
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new CredentialsException("interrupted while asking the token endpoint " + url, false);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CredentialsException failure) {
                throw failure;
            }
            Throwable cause = e.getCause();
            if (cause instanceof SocketTimeoutException) {
                throw new CredentialsException("the token endpoint " + url + " did not answer within " + timeout.toMillis() + " ms", false);
            }
            throw new CredentialsException("the token endpoint " + url + " cannot be reached ("
                    + (cause == null ? "unknown" : cause.getClass().getSimpleName()) + ")", false);
        }
    }

    private IssuedToken send(Map<String, String> form) throws IOException, CredentialsException {
        Map<String, String> fields = new LinkedHashMap<>(form);
        // HttpURLConnection (java.base): the relay's runtime image carries no java.net.http
        HttpURLConnection connection = (HttpURLConnection) url.toURL().openConnection();
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        connection.setConnectTimeout(millis);
        connection.setReadTimeout(millis);
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
        connection.setRequestProperty("Accept", "application/json");
        switch (auth) {
            case CLIENT_SECRET_BASIC -> connection.setRequestProperty("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (encode(clientId) + ":" + encode(secret)).getBytes(StandardCharsets.UTF_8)));
            case CLIENT_SECRET_POST -> {
                fields.put("client_id", clientId);
                fields.put("client_secret", secret);
            }
            case PRIVATE_KEY_JWT -> {
                fields.put("client_id", clientId);
                fields.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
                fields.put("client_assertion", assertion());
            }
        }
        StringBuilder body = new StringBuilder();
        fields.forEach((name, value) -> body.append(body.isEmpty() ? "" : "&").append(encode(name)).append('=').append(encode(value)));
        try {
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body.toString().getBytes(StandardCharsets.UTF_8));
            }
            int status = connection.getResponseCode();
            InputStream stream = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            byte[] bytes;
            if (stream == null) {
                bytes = new byte[0];
            } else {
                try (InputStream in = stream) {
                    bytes = in.readNBytes(MAX_ANSWER_BYTES + 1);
                }
            }
            return TokenAnswers.read(url, status, bytes);
        } finally {
            connection.disconnect();
        }
    }

    /** A client assertion (RFC 7523 §3) for this endpoint, good for a minute. */
    private String assertion() throws CredentialsException {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(url.toString())
                .jwtID(UUID.randomUUID().toString()).issueTime(Date.from(now)).notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(60))).build();
        try {
            SignedJWT jwt;
            if (key instanceof RSAKey rsa) {
                jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(rsa.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
                jwt.sign(new RSASSASigner(rsa));
            } else {
                ECKey ec = (ECKey) key;
                jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.parse("ES" + ec.getCurve().getName().replaceAll("\\D", "")))
                        .keyID(ec.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
                jwt.sign(new ECDSASigner(ec));
            }
            return jwt.serialize();
        } catch (JOSEException | RuntimeException e) {
            throw new CredentialsException("the client assertion for " + url + " cannot be signed (" + e.getClass().getSimpleName() + ")", true);
        }
    }

    private static JWK privateKey(String jwk) {
        JWK parsed;
        try {
            parsed = JWK.parse(jwk);
        } catch (java.text.ParseException e) {
            throw new IllegalArgumentException("the client key for private_key_jwt is not a JWK (JSON) private key");
        }
        if (!parsed.isPrivate() || !(parsed instanceof RSAKey || parsed instanceof ECKey)) {
            throw new IllegalArgumentException("the client key for private_key_jwt must be an RSA or EC private key (a JWK with its private part)");
        }
        return parsed;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** What a token endpoint's answer means (RFC 6749 §5.1, §5.2). */
    static final class TokenAnswers {
        private TokenAnswers() {
        }

        static IssuedToken read(URI url, int status, byte[] bytes) throws CredentialsException {
            if (bytes.length > MAX_ANSWER_BYTES) {
                throw new CredentialsException("the token endpoint " + url + " answered more than " + MAX_ANSWER_BYTES + " bytes", true);
            }
            JsonNode json = parse(bytes);
            if (status != 200) {
                String error = json == null ? "" : errorCode(json.path("error").asText(""));
                boolean retryable = status == 429 || status >= 500;
                throw new CredentialsException("the token endpoint " + url + " answered HTTP " + status
                        + (error.isEmpty() ? "" : " (" + error + ")"), !retryable);
            }
            if (json == null || !json.path("access_token").isTextual() || json.path("access_token").asText().isEmpty()) {
                throw new CredentialsException("the token endpoint " + url + " answered without an access_token", true);
            }
            String token = json.path("access_token").asText();
            if (token.length() > 16 << 10 || token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
                throw new CredentialsException("the token endpoint " + url + " answered an access_token that cannot be sent in a header", true);
            }
            String type = json.path("token_type").asText("Bearer");
            JsonNode expires = json.path("expires_in");
            Optional<Duration> expiresIn = expires.canConvertToLong() && expires.asLong() > 0
                    ? Optional.of(Duration.ofSeconds(Math.min(expires.asLong(), Duration.ofDays(365).toSeconds())))
                    : expires.isTextual() && expires.asText().matches("\\d{1,9}") && Long.parseLong(expires.asText()) > 0
                    ? Optional.of(Duration.ofSeconds(Long.parseLong(expires.asText()))) : Optional.empty();
            return new IssuedToken(token, type, expiresIn);
        }

        private static JsonNode parse(byte[] bytes) {
            try {
                JsonNode node = JSON.readTree(bytes);
                return node != null && node.isObject() ? node : null;
            } catch (IOException e) {
                return null;
            }
        }

        /** An RFC 6749 error code is a few printable characters; anything else is not repeated. */
        private static String errorCode(String code) {
            return code.length() <= 64 && code.matches("[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]*") ? code : "";
        }
    }
}
