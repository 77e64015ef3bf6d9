package io.mcprelay.adapter.http.out.credentials;

import io.mcprelay.application.port.out.upstream.ClientContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * The client's validated access token exchanged (RFC 8693) for a token for the upstream's audience:
 * the upstream learns who the user is without ever seeing the token issued for mcp-relay. Exchanged
 * tokens are kept by the SHA-256 of the client's token (never the token itself), for their lifetime
 * less a margin and at most {@link #MAX_LIFETIME}, {@code maxEntries} at most; one exchange per
 * client token at a time (concurrent requests with the same token wait for it, at most the
 * endpoint's timeout). A request without a client token (clients do not authenticate, or the relay
 * calls on its own, e.g. to end a session) cannot be exchanged and is not sent.
 */
public final class TokenExchange implements UpstreamCredentials {

    static final String GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
    /** The longest an exchanged token is kept: a client token revoked at its issuer stops working here within this. */
    static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
    /** The default bound on exchanged tokens kept per upstream. */
    public static final int DEFAULT_MAX_ENTRIES = 10_000;

    private static final System.Logger LOG = System.getLogger(TokenExchange.class.getName());

    private final String upstream;
    private final TokenEndpoint endpoint;
    private final Map<String, String> form;
    private final int maxEntries;
    private final LongSupplier nanos;
    private final ConcurrentHashMap<String, HeldToken> held = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<HeldToken>> inFlight = new ConcurrentHashMap<>();

    /**
     * @param audience the {@code audience} the exchanged token is for (the upstream), if the issuer wants one
     * @param resource the {@code resource} (RFC 8707) the exchanged token is for, if any
     * @param scope    the scopes to ask for, if any
     */
    public TokenExchange(String upstream, TokenEndpoint endpoint, Optional<String> audience, Optional<String> resource,
                         Optional<String> scope, int maxEntries) {
        this(upstream, endpoint, audience, resource, scope, maxEntries, System::nanoTime);
    }

    TokenExchange(String upstream, TokenEndpoint endpoint, Optional<String> audience, Optional<String> resource,
                  Optional<String> scope, int maxEntries, LongSupplier nanos) {
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("grant_type", GRANT);
        fields.put("subject_token_type", ACCESS_TOKEN_TYPE);
        fields.put("requested_token_type", ACCESS_TOKEN_TYPE);
        audience.filter(s -> !s.isBlank()).ifPresent(s -> fields.put("audience", s));
        resource.filter(s -> !s.isBlank()).ifPresent(s -> fields.put("resource", s));
        scope.filter(s -> !s.isBlank()).ifPresent(s -> fields.put("scope", s));
        this.form = Map.copyOf(fields);
        this.maxEntries = maxEntries;
        this.nanos = nanos;
    }

    @Override
    public Map<String, String> headers(ClientContext client) throws CredentialsException {
        String subjectToken = client.subjectToken().orElseThrow(() -> new CredentialsException(
                "upstream " + upstream + " takes an exchanged token, and this request carries no client token to exchange", true));
        String key = sha256(subjectToken);
        long now = nanos.getAsLong();
        HeldToken kept = held.get(key);
        if (kept != null && kept.fresh(now)) {
            return Map.of("Authorization", kept.header());
        }
        CompletableFuture<HeldToken> mine = new CompletableFuture<>();
        CompletableFuture<HeldToken> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return Map.of("Authorization", await(running).header());
        }
        try {
            HeldToken next = exchange(subjectToken);
            keep(key, next);
            mine.complete(next);
            return Map.of("Authorization", next.header());
        } catch (CredentialsException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    private HeldToken exchange(String subjectToken) throws CredentialsException {
        Map<String, String> fields = new LinkedHashMap<>(form);
        fields.put("subject_token", subjectToken);
        try {
            TokenEndpoint.IssuedToken issued = endpoint.request(fields);
            return HeldToken.of("Bearer " + issued.accessToken(), nanos.getAsLong(),
                    issued.expiresIn().orElse(HeldToken.UNKNOWN_LIFETIME), MAX_LIFETIME);
        } catch (CredentialsException e) {
            LOG.log(System.Logger.Level.WARNING, "upstream {0}: the client''s token was not exchanged: {1}", upstream, e.getMessage());
            throw e;
        }
    }

    private HeldToken await(CompletableFuture<HeldToken> running) throws CredentialsException {
        try {
            return running.get(endpoint.timeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CredentialsException failure) {
                throw failure;
            }
            throw new CredentialsException("the token exchange for upstream " + upstream + " failed", false);
        } catch (TimeoutException e) {
            throw new CredentialsException("the token exchange for upstream " + upstream + " is still running", false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CredentialsException("interrupted while waiting for the token exchange for upstream " + upstream, false);
        }
    }

    /** Keeps {@code token}, first dropping expired entries, then arbitrary ones, while the map is full. */
    private void keep(String key, HeldToken token) {
        if (held.size() >= maxEntries) {
            long now = nanos.getAsLong();
            held.values().removeIf(t -> !t.fresh(now));
            Iterator<String> oldest = held.keySet().iterator();
            while (held.size() >= maxEntries && oldest.hasNext()) {
                oldest.next();
                oldest.remove();
            }
        }
        held.put(key, token);
    }

    /** Exchanged tokens kept, for tests. */
    int size() {
        return held.size();
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "TokenExchange[" + upstream + " at " + endpoint.url() + "]";
    }
}
