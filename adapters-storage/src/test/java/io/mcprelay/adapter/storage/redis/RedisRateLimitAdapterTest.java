package io.mcprelay.adapter.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.adapter.storage.testing.RedisServerProcess;
import io.mcprelay.application.port.out.StoreUnavailableException;
import io.mcprelay.domain.limit.RateLimit;
import io.mcprelay.domain.limit.TokenGrant;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Redis buckets against a real redis-server: shared by instances, bounded in Redis, and failing cleanly. */
class RedisRateLimitAdapterTest {

    private static final RateLimit FIVE_PER_MINUTE = RateLimit.of(5, Duration.ofMinutes(1));
    private static final Duration SHORT = Duration.ofMillis(500);

    private RedisServerProcess server;

    @BeforeEach
    void startRedis() {
        server = RedisServerProcess.startOnFreePort();
    }

    @AfterEach
    void stopRedis() {
        server.close();
    }

    @Test
    void twoInstancesDrawFromOneBucket() {
        try (RedisConnection first = new RedisConnection(RedisConfig.defaults(server.uri()));
             RedisConnection second = new RedisConnection(RedisConfig.defaults(server.uri()))) {
            RedisRateLimitAdapter a = new RedisRateLimitAdapter(first);
            RedisRateLimitAdapter b = new RedisRateLimitAdapter(second);
            assertThat(a.take("global", FIVE_PER_MINUTE, 3)).isEqualTo(TokenGrant.GRANTED);
            assertThat(b.take("global", FIVE_PER_MINUTE, 1)).isEqualTo(TokenGrant.GRANTED);
            assertThat(a.take("global", FIVE_PER_MINUTE, 1)).isEqualTo(TokenGrant.GRANTED);
            TokenGrant refused = b.take("global", FIVE_PER_MINUTE, 1);
            assertThat(refused).isInstanceOf(TokenGrant.Denied.class);
            assertThat(((TokenGrant.Denied) refused).retryAfter()).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(12));
            assertThat(a.take("principal:session:x", FIVE_PER_MINUTE, 1)).as("another bucket").isEqualTo(TokenGrant.GRANTED);
        }
    }

    @Test
    void keysAreTaggedPerBucketAndExpireOnceRefilled() {
        try (RedisConnection connection = new RedisConnection(RedisConfig.defaults(server.uri()).withKeyPrefix("relay-1"))) {
            RedisRateLimitAdapter buckets = new RedisRateLimitAdapter(connection);
            buckets.take("tool:search", FIVE_PER_MINUTE, 1);
            buckets.take("tool:search", RateLimit.of(10, Duration.ofSeconds(1)), 1);
            @SuppressWarnings("unchecked")
            List<String> keys = (List<String>) server.command("KEYS", "*");
            assertThat(keys).containsExactlyInAnyOrder("{relay-1:l:5/1m:tool:search}", "{relay-1:l:10/1s:tool:search}");
            assertThat(new String(buckets.key("tool:search", FIVE_PER_MINUTE), StandardCharsets.UTF_8))
                    .isEqualTo("{relay-1:l:5/1m:tool:search}");
            long ttl = (Long) server.command("PTTL", "{relay-1:l:5/1m:tool:search}");
            assertThat(ttl).as("one token to refill (12 s) plus a second, not forever").isBetween(1L, 13_000L);
        }
    }

    @Test
    void moreThanTheBurstWaitsForAFullBucket() {
        try (RedisConnection connection = new RedisConnection(RedisConfig.defaults(server.uri()))) {
            TokenGrant refused = new RedisRateLimitAdapter(connection).take("global", FIVE_PER_MINUTE, 6);
            assertThat(((TokenGrant.Denied) refused).retryAfter()).isEqualTo(Duration.ofMinutes(1));
        }
    }

    @Test
    void aStoppedRedisIsReportedUnavailableWithinTheTimeoutAndTheBucketsWorkOnceItIsBack() {
        try (RedisConnection connection = new RedisConnection(RedisConfig.defaults(server.uri()).withTimeouts(SHORT, SHORT))) {
            RedisRateLimitAdapter buckets = new RedisRateLimitAdapter(connection);
            assertThat(buckets.take("global", FIVE_PER_MINUTE, 1)).isEqualTo(TokenGrant.GRANTED);
            server.stop();
            long started = System.nanoTime();
            assertThatThrownBy(() -> buckets.take("global", FIVE_PER_MINUTE, 1)).isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("rate limit bucket global");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            server.start();
            awaitGranted(buckets);
        }
    }

    @Test
    void aRedisDownAtStartFailsFastThenConnectsWhenItComes() {
        server.stop();
        try (RedisConnection connection = new RedisConnection(RedisConfig.defaults(server.uri()).withTimeouts(SHORT, SHORT))) {
            RedisRateLimitAdapter buckets = new RedisRateLimitAdapter(connection);
            assertThatThrownBy(() -> buckets.take("global", FIVE_PER_MINUTE, 1)).isInstanceOf(StoreUnavailableException.class);
            long started = System.nanoTime();
            assertThatThrownBy(() -> buckets.take("global", FIVE_PER_MINUTE, 1)).isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("moments ago");
            // The message says why; the bound only shows it did not wait out a connect timeout (500 ms) or more.
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no second connect attempt right away")
                    .isLessThan(Duration.ofSeconds(5));
            server.start();
            awaitGranted(buckets);
        }
    }

    @Test
    void aClosedConnectionIsUnavailable() {
        RedisConnection connection = new RedisConnection(RedisConfig.defaults(server.uri()));
        RedisRateLimitAdapter buckets = new RedisRateLimitAdapter(connection);
        assertThat(buckets.take("global", FIVE_PER_MINUTE, 1)).isEqualTo(TokenGrant.GRANTED);
        connection.close();
        assertThatThrownBy(() -> buckets.take("global", FIVE_PER_MINUTE, 1)).isInstanceOf(StoreUnavailableException.class);
        RedisRateLimitAdapter fresh = new RedisRateLimitAdapter(connection);
        assertThatThrownBy(() -> fresh.take("global", FIVE_PER_MINUTE, 1)).isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("closed");
    }

    /** Lettuce reconnects with a backoff of up to 5 s, and the adapter waits a second between first connects. */
    private static void awaitGranted(RedisRateLimitAdapter buckets) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                assertThat(buckets.take("global", FIVE_PER_MINUTE, 1)).isEqualTo(TokenGrant.GRANTED);
                return;
            } catch (StoreUnavailableException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
