package io.mcprelay.adapter.http.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcprelay.application.port.out.TokenVerifierPort;
import io.mcprelay.domain.auth.AuthRefusal;
import io.mcprelay.domain.auth.Authentication;
import io.mcprelay.domain.auth.Principal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Checks opaque access tokens at the issuer's introspection endpoint (RFC 7662): a form POST of the
 * token, mcp-relay authenticated with HTTP Basic; the token is valid when the answer says
 * {@code active: true}, names a subject, and (when it names them) the issuer, an accepted audience
 * and an {@code exp} still to come.
 *
 * <p>Answers are kept by the SHA-256 of the token (never the token): an active one for
 * {@link IntrospectionConfig#cacheTtl()} at most and never past its {@code exp}, an inactive one for
 * as long, {@link IntrospectionConfig#cacheMax()} of them at most. One introspection per token at a
 * time; at most {@link IntrospectionConfig#maxInFlight()} at once in all, each bounded by
 * {@link IntrospectionConfig#timeout()} in all. An endpoint that cannot be reached, times out or
 * fails is {@link AuthRefusal.Kind#UNAVAILABLE} (503 to the client), never a guess: the token is
 * neither let in nor called invalid.
 */
public final class IntrospectionVerifierAdapter implements TokenVerifierPort {

    private static final System.Logger LOG = System.getLogger(IntrospectionVerifierAdapter.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ANSWER_BYTES = 64 << 10;

    private final IntrospectionConfig config;
    private final LongSupplier nanos;
    private final String basic;
    private final Semaphore places;
    private final ConcurrentHashMap<String, Kept> kept = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<Authentication>> inFlight = new ConcurrentHashMap<>();

    private record Kept(Authentication answer, long until) {
    }

    public IntrospectionVerifierAdapter(IntrospectionConfig config) {
        this(config, System::nanoTime);
    }

    IntrospectionVerifierAdapter(IntrospectionConfig config, LongSupplier nanos) {
        this.config = Objects.requireNonNull(config, "config");
        this.nanos = nanos;
        this.basic = "Basic " + Base64.getEncoder().encodeToString((encode(config.clientId()) + ":" + encode(config.clientSecret()))
                .getBytes(StandardCharsets.UTF_8));
        this.places = new Semaphore(config.maxInFlight());
    }

    /**
     * {@code jwt} for tokens shaped as a JWT (three dot-separated parts), {@code opaque} for the rest:
     * a deployment whose issuer hands out both.
     */
    public static TokenVerifierPort byShape(TokenVerifierPort jwt, TokenVerifierPort opaque) {
        Objects.requireNonNull(jwt, "jwt");
        Objects.requireNonNull(opaque, "opaque");
        return token -> token.chars().filter(c -> c == '.').count() == 2 ? jwt.verify(token) : opaque.verify(token);
    }

    @Override
    public Authentication verify(String token) {
        String key = sha256(token);
        long now = nanos.getAsLong();
        Kept answer = kept.get(key);
        if (answer != null && now - answer.until() < 0) {
            return answer.answer();
        }
        CompletableFuture<Authentication> mine = new CompletableFuture<>();
        CompletableFuture<Authentication> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return await(running);
        }
        try {
            Authentication result = introspectWithinBounds(token, key);
            mine.complete(result);
            return result;
        } catch (RuntimeException e) {
            mine.complete(unavailable("the token cannot be checked now"));
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    /** Entries kept, for tests. */
    int size() {
        return kept.size();
    }

    private Authentication await(CompletableFuture<Authentication> running) {
        try {
            return running.get(config.timeout().toMillis() * 2 + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable("interrupted while the token was checked");
        } catch (ExecutionException | TimeoutException e) {
            return unavailable("the token cannot be checked now");
        }
    }

    private Authentication introspectWithinBounds(String token, String key) {
        boolean placed;
        try {
            placed = places.tryAcquire(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable("interrupted while the token was checked");
        }
        if (!placed) {
            return unavailable("too many tokens are being checked at once; retry shortly");
        }
        try {
            FutureTask<JsonNode> call = new FutureTask<>(() -> post(token));
            Thread.ofVirtual().name("mcp-relay-introspection").start(call);
            JsonNode answer;
            try {
                answer = call.get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                call.cancel(true);
                LOG.log(System.Logger.Level.WARNING, "token introspection at {0} took longer than {1} ms", config.endpoint(),
                        config.timeout().toMillis());
                return unavailable("the issuer did not answer in time");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof SocketTimeoutException) {
                    LOG.log(System.Logger.Level.WARNING, "token introspection at {0} took longer than {1} ms", config.endpoint(),
                            config.timeout().toMillis());
                    return unavailable("the issuer did not answer in time");
                }
                LOG.log(System.Logger.Level.WARNING, "token introspection at {0} failed: {1}", config.endpoint(),
                        e.getCause() == null ? "unknown" : e.getCause().getMessage());
                return unavailable("the issuer cannot be asked now");
            } catch (InterruptedException e) {
                call.cancel(true);
                Thread.currentThread().interrupt();
                return unavailable("interrupted while the token was checked");
            }
            Authentication result = judge(answer);
            keep(key, result, answer);
            return result;
        } finally {
            places.release();
        }
    }

    private JsonNode post(String token) throws IOException {
        String body = "token=" + encode(token) + "&token_type_hint=access_token";
        // HttpURLConnection (java.base): the relay's runtime image carries no java.net.http
        HttpURLConnection connection = (HttpURLConnection) config.endpoint().toURL().openConnection();
        int millis = (int) Math.min(Integer.MAX_VALUE, config.timeout().toMillis());
        connection.setConnectTimeout(millis);
        connection.setReadTimeout(millis);
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
        connection.setRequestProperty("Accept", "application/json");
        connection.setRequestProperty("Authorization", basic);
        int status;
        byte[] bytes;
        try {
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body.getBytes(StandardCharsets.UTF_8));
            }
            status = connection.getResponseCode();
            if (status != 200) {
                throw new IOException("HTTP " + status);
            }
            try (InputStream in = connection.getInputStream()) {
                bytes = in.readNBytes(MAX_ANSWER_BYTES + 1);
            }
        } finally {
            connection.disconnect();
        }
        if (bytes.length > MAX_ANSWER_BYTES) {
            throw new IOException("an answer over " + MAX_ANSWER_BYTES + " bytes");
        }
        JsonNode json;
        try {
            json = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IOException("an answer that is not JSON");
        }
        if (json == null || !json.isObject()) {
            throw new IOException("an answer that is not a JSON object");
        }
        return json;
    }

    /** What an introspection answer (RFC 7662 §2.2) says of the token. */
    private Authentication judge(JsonNode answer) {
        if (!answer.path("active").asBoolean(false) || !answer.path("active").isBoolean()) {
            return Authentication.invalid("the issuer says the token is not active");
        }
        String issuer = text(answer, "iss");
        if (issuer != null && !issuer.equals(config.issuer().toString())) {
            return Authentication.invalid("the token is of another issuer");
        }
        Set<String> audiences = audiences(answer.get("aud"));
        if (!audiences.isEmpty() && audiences.stream().noneMatch(config.audiences()::contains)) {
            return Authentication.invalid("the token is not for this resource");
        }
        long exp = seconds(answer.get("exp"));
        if (exp > 0 && exp * 1000 <= System.currentTimeMillis()) {
            return Authentication.invalid("the token has expired");
        }
        String subject = text(answer, "sub");
        if (subject == null || subject.isEmpty() || subject.length() > Principal.MAX_SUBJECT_LENGTH
                || subject.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return Authentication.invalid("the token's subject is missing, too long or not printable");
        }
        Set<String> scopes = new LinkedHashSet<>();
        String scope = text(answer, "scope");
        if (scope != null) {
            for (String s : scope.split(" ")) {
                if (!s.isEmpty()) {
                    scopes.add(s);
                }
            }
        }
        if (scopes.size() > Principal.MAX_SCOPES) {
            return Authentication.invalid("the token grants more than " + Principal.MAX_SCOPES + " scopes");
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        answer.properties().forEach(e -> {
            if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                claims.put(e.getKey(), e.getValue().isNumber() ? e.getValue().numberValue() : e.getValue().isBoolean()
                        ? (Object) e.getValue().asBoolean() : e.getValue().asText());
            }
        });
        return new Authentication.Authenticated(new Principal(subject, scopes, Principal.selectClaims(claims)));
    }

    private void keep(String key, Authentication result, JsonNode answer) {
        long now = nanos.getAsLong();
        long until = now + config.cacheTtl().toNanos();
        long exp = seconds(answer.get("exp"));
        if (result instanceof Authentication.Authenticated && exp > 0) {
            until = Math.min(until, now + Math.max(0, exp * 1000 - System.currentTimeMillis()) * 1_000_000L);
        }
        if (kept.size() >= config.cacheMax()) {
            kept.values().removeIf(k -> now - k.until() >= 0);
            Iterator<String> any = kept.keySet().iterator();
            while (kept.size() >= config.cacheMax() && any.hasNext()) {
                any.next();
                any.remove();
            }
        }
        kept.put(key, new Kept(result, until));
    }

    /** A text member, or null; "null" as text (some servers write absent members so) is absent. */
    private static String text(JsonNode answer, String name) {
        JsonNode value = answer.get(name);
        return value == null || !value.isTextual() || value.asText().equals("null") ? null : value.asText();
    }

    /** {@code aud} as a string or a list; a list written as text ({@code "[a, b]"}, as some servers do) is read as one. */
    private static Set<String> audiences(JsonNode aud) {
        Set<String> out = new LinkedHashSet<>();
        if (aud == null || aud.isNull()) {
            return out;
        }
        if (aud.isArray()) {
            aud.forEach(a -> out.add(a.asText()));
        } else if (aud.isTextual() && !aud.asText().equals("null")) {
            String text = aud.asText();
            if (text.startsWith("[") && text.endsWith("]")) {
                for (String a : text.substring(1, text.length() - 1).split(",")) {
                    if (!a.isBlank()) {
                        out.add(a.strip());
                    }
                }
            } else {
                out.add(text);
            }
        }
        return out;
    }

    /** Seconds since the epoch as a number or digits; 0 when absent or unreadable. */
    private static long seconds(JsonNode value) {
        if (value == null) {
            return 0;
        }
        if (value.canConvertToLong()) {
            return value.asLong();
        }
        return value.isTextual() && value.asText().matches("\\d{1,12}") ? Long.parseLong(value.asText()) : 0;
    }

    private static Authentication unavailable(String detail) {
        return new Authentication.Refused(new AuthRefusal(AuthRefusal.Kind.UNAVAILABLE, detail));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
