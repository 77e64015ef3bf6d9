package io.mcprelay.adapter.storage.redis;

import io.mcprelay.adapter.storage.testing.RedisServerProcess;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.adapter.storage.SessionStoreContract;
import io.mcprelay.application.port.out.ClockPort;
import io.mcprelay.application.port.out.SessionQuery;
import io.mcprelay.application.port.out.SessionStorePort;
import io.mcprelay.application.port.out.SessionStorePort.CreateOutcome;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.session.SessionPolicy;
import io.mcprelay.domain.session.UpstreamSessionId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Redis session store against the store contract, on a redis-server of its own and the real
 * clock (so {@link #elapse} sleeps), plus what only Redis shows: the keys' TTL and the indexes. The
 * store runs as deployed: near-cache on, touch renewing at most every tenth of the TTL
 * ({@link RedisSessionStoreWithoutNearCacheTest} runs the contract with the cache off).
 *
 * <p>The expiry tests run on a 2 s TTL rather than the contract's 1 s: on a loaded machine (a load
 * of 20 on 2 cores is what CI sees) a few Redis calls can take several hundred milliseconds, and
 * what must still be alive is checked within 0.4 TTL or more of its last renewal.
 */
class RedisSessionStoreAdapterTest extends SessionStoreContract {


    static RedisServerProcess server;
    static RedisConnection connection;

    @BeforeAll
    static void startRedis() {
        server = RedisServerProcess.startOnFreePort();
        connection = new RedisConnection(RedisConfig.defaults(server.uri()));
    }

    @AfterAll
    static void stopRedis() {
        if (connection != null) {
            connection.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected SessionStorePort newStore(SessionPolicy policy, int maxSessions) {
        server.command("FLUSHALL");
        return new RedisSessionStoreAdapter(connection, policy, clock(), maxSessions);
    }

    @Override
    protected void elapse(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    protected ClockPort clock() {
        return Instant::now;
    }

    @Override
    protected Duration ttl() {
        return Duration.ofSeconds(2);
    }

    /** The store's renewal interval: a renewal sets the key's expiry to the TTL plus this (the default for the suite's TTL). */
    protected Duration renewalInterval() {
        return NearCacheConfig.defaults(new SessionPolicy(ttl())).renewalInterval();
    }

    @Test
    void sessionKeysCarryTheIdleTtl() {
        expiringStore(CAPACITY);
        Duration renewed = ttl().plus(renewalInterval());
        Session session = fresh("s-1").build();
        store.create(session);
        String key = "{mcp-relay:s}:id:s-1";

        assertThat((Long) server.command("PTTL", key)).as("PTTL after create").isBetween(1L, ttl().toMillis());
        elapse(ofTtl(0.4));
        assertThat((Long) server.command("PTTL", key)).as("PTTL after 0.4 TTL").isLessThanOrEqualTo(ofTtl(0.6).toMillis());
        long touchedFrom = System.nanoTime();
        store.touch(session.id());
        long left = (Long) server.command("PTTL", key);
        // Redis set the expiry during the touch and answered PTTL after it: at most this much of it has run since.
        long sinceTouchAtMost = Duration.ofNanos(System.nanoTime() - touchedFrom).toMillis() + 2;
        assertThat(left).as("PTTL after a touch: restarted, plus the renewal interval")
                .isGreaterThanOrEqualTo(renewed.toMillis() - sinceTouchAtMost).isLessThanOrEqualTo(renewed.toMillis());
        store.bindUpstream(session.id(), new UpstreamSessionId("up-1"));
        assertThat((Long) server.command("PTTL", key)).as("binding keeps the TTL").isBetween(1L, renewed.toMillis());
    }

    @Test
    void sessionsOfEveryInstantAreListedInCreationThenIdOrderEvenWithinAMillisecond() {
        Instant base = Instant.ofEpochMilli(clock().now().minusSeconds(10).toEpochMilli());
        // Sub-millisecond differences must order before ids; equal instants order by id.
        store.create(fresh("s-b").createdAt(base.plusNanos(2)).build());
        store.create(fresh("s-a").createdAt(base.plusNanos(1_000_001)).build());
        store.create(fresh("s-c").createdAt(base.plusNanos(1)).build());
        store.create(fresh("s-d").createdAt(base.plusNanos(2)).build());

        assertThat(idsIn(pagesOf(SessionQuery.firstPage(1)))).containsExactly("s-c", "s-b", "s-d", "s-a");
    }

    @Test
    void indexEntriesOfExpiredSessionsArePrunedAndReported() {
        expiringStore(CAPACITY);
        store.create(fresh("old-1").build());
        store.create(fresh("old-2").build());
        elapse(pastTtl());

        assertThat((Long) server.command("ZCARD", "{mcp-relay:s}:by-created")).as("Redis expired the hashes, not the index").isEqualTo(2);
        assertThat(store.purgeExpired()).isEqualTo(2);
        assertThat((Long) server.command("ZCARD", "{mcp-relay:s}:by-created")).isZero();
        assertThat((Long) server.command("ZCARD", "{mcp-relay:s}:by-expiry")).isZero();
    }

    @Test
    void capacityCountsEveryInstanceSessions() {
        SessionStorePort one = newStore(new SessionPolicy(LONG_TTL), 2);
        SessionStorePort two = new RedisSessionStoreAdapter(connection, new SessionPolicy(LONG_TTL), clock(), 2);

        assertThat(one.create(fresh("a").build())).isEqualTo(CreateOutcome.CREATED);
        assertThat(two.create(fresh("b").build())).isEqualTo(CreateOutcome.CREATED);
        assertThat(one.create(fresh("c").build())).isEqualTo(CreateOutcome.CAPACITY_REACHED);
        assertThat(two.count()).isEqualTo(2);
    }

    @Test
    void constructorRejectsACapacityBelowOne() {
        assertThatThrownBy(() -> new RedisSessionStoreAdapter(connection, SessionPolicy.defaults(), clock(), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }

    @Test
    void findAllAndDeleteAllTakeRepeatedIds() {
        store.create(fresh("a").build());

        assertThat(store.findAll(List.of(id("a"), id("a")))).containsOnlyKeys(id("a"));
        assertThat(store.deleteAll(List.of(id("a"), id("a")))).isEqualTo(1);
    }
}
