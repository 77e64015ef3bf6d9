package io.mcprelay.adapter.http.auth;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.ResourceRetriever;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The issuer's signing keys, fetched once and kept. What a request costs is a lookup in the keys held;
 * the key set is fetched again only
 * <ul>
 *   <li>when it is older than the cache TTL: in the background, the held keys go on being used;</li>
 *   <li>when a token names a key id not held (the issuer rotated its keys, or the token is forged):
 *       that request waits for the fetch, at most the fetch deadline;</li>
 * </ul>
 * and never more often than once per {@code minRefresh}, with one fetch at a time, however many
 * requests ask: a flood of tokens with made-up key ids costs the issuer one fetch per interval, and
 * each such request is refused at once in between. While the endpoint is down or slow, the held keys
 * stay usable for {@code outage} past their TTL; a failed fetch keeps them. Until a first fetch has
 * succeeded (the issuer was down at start-up), fetches are retried at most once a second.
 *
 * <p>This replaces Nimbus's own caching chain, whose rate limiter sits above its outage tolerance and
 * so refuses holders of a known key once the cache has expired during an outage.
 */
final class JwksCache implements JWKSource<SecurityContext> {

    private static final System.Logger LOG = System.getLogger(JwksCache.class.getName());
    /** Until a first fetch succeeds nothing can be verified, so fetches are retried sooner: at most once a second. */
    private static final long FIRST_FETCH_RETRY = TimeUnit.SECONDS.toNanos(1);

    /** Keys and when they were fetched (nanoTime). */
    private record Held(JWKSet keys, long fetchedAt) { }

    private final ResourceRetriever retriever;
    private final URL url;
    private final long ttl;
    private final long minRefresh;
    private final long usableFor;
    private final Duration deadline;
    private final LongSupplier nanoTime;
    private final AtomicReference<CompletableFuture<Held>> inFlight = new AtomicReference<>();
    private volatile Held held;
    private volatile long lastAttempt;

    JwksCache(ResourceRetriever retriever, URL url, JwtVerifierConfig config, LongSupplier nanoTime) {
        this.retriever = retriever;
        this.url = url;
        this.ttl = config.jwksCacheTtl().toNanos();
        this.minRefresh = config.jwksMinRefresh().toNanos();
        this.usableFor = config.jwksCacheTtl().plus(config.jwksOutageTtl()).toNanos();
        this.deadline = config.jwksTimeout();
        this.nanoTime = nanoTime;
        this.lastAttempt = nanoTime.getAsLong() - minRefresh;
    }

    /** Starts the first fetch without waiting for it, so that the first request rarely has to. */
    void prefetch() {
        refresh(nanoTime.getAsLong());
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        long now = nanoTime.getAsLong();
        Held current = held;
        List<JWK> found = current != null && now - current.fetchedAt() < usableFor ? selector.select(current.keys()) : List.of();
        if (!found.isEmpty() && now - current.fetchedAt() < ttl) {
            return found;
        }
        CompletableFuture<Held> fetch = refresh(now);
        if (!found.isEmpty() || fetch == null) {
            return found;    // a known key is never held up by a fetch; an unknown one between fetches is refused at once
        }
        try {
            return selector.select(fetch.get(deadline.toMillis(), TimeUnit.MILLISECONDS).keys());
        } catch (TimeoutException e) {
            throw new KeySourceException("the key set was not fetched within " + deadline.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new KeySourceException("the key set could not be fetched: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeySourceException("interrupted while waiting for the key set");
        }
    }

    /** The fetch in flight, or a new one when the last began at least {@code minRefresh} ago; else null. */
    private CompletableFuture<Held> refresh(long now) {
        CompletableFuture<Held> running = inFlight.get();
        if (running != null && !running.isDone()) {
            return running;
        }
        if (running != null) {
            // finished, but its thread has not cleared it yet: its answer is already held (or failed), never waited for again
            inFlight.compareAndSet(running, null);
        }
        long interval = held == null ? Math.min(minRefresh, FIRST_FETCH_RETRY) : minRefresh;
        if (now - lastAttempt < interval) {
            return null;
        }
        CompletableFuture<Held> mine = new CompletableFuture<>();
        if (!inFlight.compareAndSet(null, mine)) {
            return inFlight.get();
        }
        lastAttempt = now;
        Thread.ofVirtual().name("mcp-relay-jwks-fetch").start(() -> fetch(mine));
        return mine;
    }

    private void fetch(CompletableFuture<Held> result) {
        try {
            JWKSet keys = JWKSet.parse(retriever.retrieveResource(url).getContent()).toPublicJWKSet();
            Held fetched = new Held(keys, nanoTime.getAsLong());
            held = fetched;
            result.complete(fetched);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "the key set of the issuer could not be fetched from {0} (held keys stay in use): {1}",
                    url, e.getMessage());
            result.completeExceptionally(e);
        } finally {
            inFlight.compareAndSet(result, null);
        }
    }
}
