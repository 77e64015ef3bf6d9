package io.mcprelay.adapter.http.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The issuer's keys, held: fetched once, again after the TTL or for an unknown key id, rate-limited, kept through an outage. */
class JwksCacheTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private final AtomicInteger fetches = new AtomicInteger();
    private final AtomicReference<String> served = new AtomicReference<>();
    private final AtomicReference<IOException> failing = new AtomicReference<>();
    private final AtomicReference<CountDownLatch> gate = new AtomicReference<>(new CountDownLatch(0));

    private final ResourceRetriever retriever = url -> {
        fetches.incrementAndGet();
        try {
            gate.get().await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        IOException failure = failing.get();
        if (failure != null) {
            throw failure;
        }
        return new Resource(served.get(), "application/json");
    };

    private JwksCache cache() throws Exception {
        JwtVerifierConfig config = new JwtVerifierConfig(URI.create("https://issuer.test"), URI.create("https://issuer.test/jwks"),
                Set.of("https://mcp.test/mcp"), Duration.ofSeconds(60), Duration.ofSeconds(2), Duration.ofMinutes(10), Duration.ofSeconds(30),
                Duration.ofHours(2), 256 << 10);
        return new JwksCache(retriever, new URL("https://issuer.test/jwks"), config, now::get);
    }

    private static JWKSelector kid(String id) {
        return new JWKSelector(new JWKMatcher.Builder().keyID(id).build());
    }

    private void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }

    private static String set(RSAKey... keys) {
        return new JWKSet(java.util.Arrays.asList(keys)).toPublicJWKSet().toString();
    }

    @Test
    void keysAreFetchedOnceAndThenServedFromMemory() throws Exception {
        RSAKey a = new RSAKeyGenerator(2048).keyID("a").generate();
        served.set(set(a));
        JwksCache cache = cache();

        assertThat(cache.get(kid("a"), null)).singleElement().satisfies(k -> assertThat(k.isPrivate()).isFalse());
        for (int i = 0; i < 10; i++) {
            cache.get(kid("a"), null);
        }
        assertThat(fetches).hasValue(1);
    }

    @Test
    void anUnknownKeyIdFetchesAgainAtMostOncePerMinimumInterval() throws Exception {
        RSAKey a = new RSAKeyGenerator(2048).keyID("a").generate();
        RSAKey b = new RSAKeyGenerator(2048).keyID("b").generate();
        served.set(set(a));
        JwksCache cache = cache();
        cache.get(kid("a"), null);
        advance(Duration.ofSeconds(31));

        served.set(set(a, b));
        assertThat(cache.get(kid("b"), null)).as("rotated in: fetched for it").hasSize(1);
        assertThat(cache.get(kid("forged"), null)).as("within the interval: refused at once").isEmpty();
        assertThat(fetches).hasValue(2);
        advance(Duration.ofSeconds(31));
        assertThat(cache.get(kid("forged"), null)).isEmpty();
        assertThat(fetches).hasValue(3);
    }

    @Test
    void afterTheTtlKeysAreRefreshedInTheBackgroundAndKeptThroughAnOutage() throws Exception {
        RSAKey a = new RSAKeyGenerator(2048).keyID("a").generate();
        served.set(set(a));
        JwksCache cache = cache();
        cache.get(kid("a"), null);
        failing.set(new IOException("down"));

        advance(Duration.ofMinutes(11));
        assertThat(cache.get(kid("a"), null)).as("past the TTL, the endpoint down: the held key").hasSize(1);
        advance(Duration.ofMinutes(100));
        assertThat(cache.get(kid("a"), null)).as("within the outage allowance").hasSize(1);
    }

    @Test
    void aFetchThatHangsIsWaitedForAtMostTheDeadline() throws Exception {
        served.set(set(new RSAKeyGenerator(2048).keyID("a").generate()));
        gate.set(new CountDownLatch(1));
        JwksCache cache = cache();
        long started = System.nanoTime();
        assertThatThrownBy(() -> cache.get(kid("a"), null)).isInstanceOf(KeySourceException.class).hasMessageContaining("within 2000 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
        gate.get().countDown();
    }

    @Test
    void untilAFirstFetchSucceedsItIsRetriedEverySecond() throws Exception {
        failing.set(new IOException("down at start"));
        served.set(set(new RSAKeyGenerator(2048).keyID("a").generate()));
        JwksCache cache = cache();
        assertThatThrownBy(() -> cache.get(kid("a"), null)).isInstanceOf(KeySourceException.class);
        failing.set(null);
        advance(Duration.ofMillis(1_100));
        assertThat(cache.get(kid("a"), null)).hasSize(1);
        assertThat(fetches).hasValue(2);
    }
}
