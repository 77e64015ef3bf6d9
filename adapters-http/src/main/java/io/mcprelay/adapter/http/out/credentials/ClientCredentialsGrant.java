package io.mcprelay.adapter.http.out.credentials;

import io.mcprelay.application.port.out.upstream.ClientContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A bearer token of mcp-relay's own for an upstream, from the OAuth client-credentials grant
 * (RFC 6749 §4.4): fetched on first use, sent until shortly before it expires, then fetched again.
 * One fetch at a time: requests that come while a fetch runs send the held token if it has not
 * expired, else wait for the fetch (at most the endpoint's timeout). A failed fetch is remembered
 * for {@link #RETRY_AFTER}, so that a token endpoint that is down is asked once a second, not once
 * per request; meanwhile the held token, while not expired, is still sent.
 */
public final class ClientCredentialsGrant implements UpstreamCredentials {

    /** How long a failed fetch is answered from memory before the endpoint is asked again. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    /** The longest a token is kept, whatever its lifetime. */
    static final Duration MAX_LIFETIME = Duration.ofHours(24);

    private static final System.Logger LOG = System.getLogger(ClientCredentialsGrant.class.getName());

    private final String upstream;
    private final TokenEndpoint endpoint;
    private final Map<String, String> form;
    private final LongSupplier nanos;
    private final ReentrantLock fetching = new ReentrantLock();
    private volatile HeldToken held;
    private volatile Failure failure;

    private record Failure(CredentialsException error, long until) {
    }

    /**
     * @param upstream the upstream's name, for messages
     * @param scope    the scopes to ask for (space-separated), if any
     * @param audience the {@code audience} parameter some issuers want (Auth0), if any
     * @param resource the {@code resource} parameter (RFC 8707), if any
     */
    public ClientCredentialsGrant(String upstream, TokenEndpoint endpoint, Optional<String> scope, Optional<String> audience,
                                  Optional<String> resource) {
        this(upstream, endpoint, scope, audience, resource, System::nanoTime);
    }

    ClientCredentialsGrant(String upstream, TokenEndpoint endpoint, Optional<String> scope, Optional<String> audience,
                           Optional<String> resource, LongSupplier nanos) {
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("grant_type", "client_credentials");
        scope.filter(s -> !s.isBlank()).ifPresent(s -> fields.put("scope", s));
        audience.filter(s -> !s.isBlank()).ifPresent(s -> fields.put("audience", s));
        resource.filter(s -> !s.isBlank()).ifPresent(s -> fields.put("resource", s));
        this.form = Map.copyOf(fields);
        this.nanos = nanos;
    }

    @Override
    public Map<String, String> headers(ClientContext client) throws CredentialsException {
        return Map.of("Authorization", token());
    }

    private String token() throws CredentialsException {
        HeldToken now = held;
        long at = nanos.getAsLong();
        if (now != null && now.fresh(at)) {
            return now.header();
        }
        boolean locked = fetching.tryLock();
        if (!locked) {
            if (now != null && now.usable(at)) {
                return now.header();    // another request is fetching its successor
            }
            try {
                locked = fetching.tryLock(endpoint.timeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CredentialsException("interrupted while waiting for the token of upstream " + upstream, false);
            }
            if (!locked) {
                throw new CredentialsException("the token of upstream " + upstream + " is still being fetched", false);
            }
        }
        try {
            return fetchIfNeeded();
        } finally {
            fetching.unlock();
        }
    }

    private String fetchIfNeeded() throws CredentialsException {
        HeldToken now = held;
        long at = nanos.getAsLong();
        if (now != null && now.fresh(at)) {
            return now.header();    // fetched while this request waited
        }
        Failure failed = failure;
        if (failed != null && at - failed.until() < 0) {
            if (now != null && now.usable(at)) {
                return now.header();
            }
            throw failed.error();
        }
        try {
            TokenEndpoint.IssuedToken issued = endpoint.request(form);
            long fetchedAt = nanos.getAsLong();
            HeldToken next = HeldToken.of("Bearer " + issued.accessToken(), fetchedAt,
                    issued.expiresIn().orElse(HeldToken.UNKNOWN_LIFETIME), MAX_LIFETIME);
            held = next;
            failure = null;
            LOG.log(System.Logger.Level.DEBUG, "upstream {0}: got a token from {1}, for {2}", upstream, endpoint.url(),
                    issued.expiresIn().map(Duration::toString).orElse("an unknown time"));
            return next.header();
        } catch (CredentialsException e) {
            failure = new Failure(e, nanos.getAsLong() + RETRY_AFTER.toNanos());
            LOG.log(System.Logger.Level.WARNING, "upstream {0}: no token from the client-credentials grant: {1}", upstream, e.getMessage());
            if (now != null && now.usable(at)) {
                return now.header();
            }
            throw e;
        }
    }

    @Override
    public String toString() {
        return "ClientCredentialsGrant[" + upstream + " at " + endpoint.url() + "]";
    }
}
