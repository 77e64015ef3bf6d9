package io.mcprelay.adapter.storage.redis;

import static io.mcprelay.adapter.storage.testing.StoreRetries.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.adapter.storage.MutableClock;
import io.mcprelay.adapter.storage.SessionTestData;
import io.mcprelay.adapter.storage.testing.RedisServerProcess;
import io.mcprelay.application.port.out.ClockPort;
import io.mcprelay.application.port.out.StoreUnavailableException;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.session.SessionPolicy;
import io.mcprelay.domain.session.UpstreamSessionId;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The near-cache of the Redis session store between two instances (two {@link RedisConnection}s,
 * as two relays have) on one real redis-server: what a cached session costs in Redis commands
 * (counted by the server, {@code INFO commandstats}), how soon a change on the other instance is
 * seen, and what a dropped connection or a restarted Redis does to the cache.
 *
 * <p>Bounds are generous (changes must show within 5 s; they take milliseconds) for busy machines.
 */
class RedisSessionNearCacheTest {

    private static final ClockPort CLOCK = Instant::now;
    private static final Duration TTL = Duration.ofSeconds(30);
    private static final Duration SEEN_WITHIN = Duration.ofSeconds(5);
    private static final ProxySessionId ID = new ProxySessionId("s-1");

    private RedisServerProcess server;
    private final List<RedisConnection> connections = new ArrayList<>();

    @BeforeEach
    void startRedis() {
        server = RedisServerProcess.startOnFreePort();
    }

    @AfterEach
    void stopRedis() {
        connections.forEach(RedisConnection::close);
        server.close();
    }

    @Test
    void aCachedSessionCostsNoCommandWhileNothingChangesIt() {
        RedisSessionStoreAdapter a = instance();
        RedisSessionStoreAdapter b = instance();
        Session session = session("s-1");
        b.create(session);
        assertThat(a.find(ID)).contains(session);

        Map<String, Long> before = commandCalls();
        for (int i = 0; i < 100; i++) {
            assertThat(a.find(ID)).contains(session);
        }

        assertThat(sessionCommandsSince(before)).as("commands for 100 finds of a cached session").isZero();
    }

    @Test
    void aDeleteOnAnotherInstanceIsSeenSoonAndTheSessionIsNeverServedAgain() {
        RedisSessionStoreAdapter a = instance();
        RedisSessionStoreAdapter b = instance();
        b.create(session("s-1"));
        assertThat(a.touch(ID)).isPresent();
        assertThat(a.find(ID)).isPresent();

        assertThat(b.delete(ID)).isTrue();

        awaitSeen(() -> a.find(ID), Optional::isEmpty, "the deletion");
        for (int i = 0; i < 100; i++) {
            assertThat(a.find(ID)).isEmpty();
            assertThat(a.touch(ID)).isEmpty();
        }
    }

    @Test
    void aRebindOnAnotherInstanceIsSeenSoon() {
        RedisSessionStoreAdapter a = instance();
        RedisSessionStoreAdapter b = instance();
        b.create(session("s-1"));
        assertThat(a.touch(ID)).flatMap(Session::upstreamSessionId).isEmpty();

        b.bindUpstream(ID, new UpstreamSessionId("up-2"));

        UpstreamSessionId expected = new UpstreamSessionId("up-2");
        awaitSeen(() -> a.find(ID), found -> found.flatMap(Session::upstreamSessionId).equals(Optional.of(expected)), "the rebind");
        assertThat(a.touch(ID)).flatMap(Session::upstreamSessionId).contains(expected);
    }

    @Test
    void aSessionLeftToExpireOnAnotherInstanceIsNotServedPastItsTtl() {
        SessionPolicy short2s = new SessionPolicy(Duration.ofSeconds(2));
        RedisSessionStoreAdapter a = instance(short2s, NearCacheConfig.defaults(short2s));
        RedisSessionStoreAdapter b = instance(short2s, NearCacheConfig.defaults(short2s));
        b.create(session("s-1"));
        assertThat(a.find(ID)).isPresent();
        long cachedAt = System.nanoTime();

        awaitSeen(() -> a.find(ID), Optional::isEmpty, "the expiry", short2s.idleTtl().plus(SEEN_WITHIN));
        assertThat(Duration.ofNanos(System.nanoTime() - cachedAt)).as("served until it expired").isGreaterThan(Duration.ofSeconds(1));
        assertThat(a.touch(ID)).as("not revived").isEmpty();
    }

    @Test
    void aThousandTouchesWithinTheRenewalIntervalCostAHandfulOfCommandsAndRenewalResumesAfterIt() throws Exception {
        Duration interval = Duration.ofSeconds(3);
        RedisSessionStoreAdapter a = instance(new SessionPolicy(TTL), NearCacheConfig.defaults(new SessionPolicy(TTL)).withRenewalInterval(interval));
        a.create(session("s-1"));
        String key = "{mcp-relay:s}:id:s-1";
        long touchedFrom = System.nanoTime();
        Session renewed = a.touch(ID).orElseThrow();
        assertThat((Long) server.command("PTTL", key)).as("a renewal sets TTL + interval")
                .isGreaterThanOrEqualTo(TTL.plus(interval).toMillis() - millisSince(touchedFrom));

        Map<String, Long> before = commandCalls();
        for (int i = 0; i < 1_000; i++) {
            assertThat(a.touch(ID)).contains(renewed);
        }
        assertThat(sessionCommandsSince(before)).as("commands for 1,000 touches within one renewal interval").isLessThanOrEqualTo(5);

        Thread.sleep(interval.plusMillis(200));
        Map<String, Long> beforeRenewal = commandCalls();
        long renewedFrom = System.nanoTime();
        Session later = a.touch(ID).orElseThrow();
        assertThat((Long) server.command("PTTL", key)).as("TTL restarted")
                .isGreaterThanOrEqualTo(TTL.plus(interval).toMillis() - millisSince(renewedFrom));
        assertThat(later.lastSeenAt()).as("renewed: lastSeenAt moved").isAfter(renewed.lastSeenAt());
        assertThat(callsSince(beforeRenewal, "evalsha") + callsSince(beforeRenewal, "eval")).as("one renewal script").isEqualTo(1);
    }

    /**
     * On a loaded machine a renewal or a read can take longer than the renewal interval; calls that
     * finish late must not set the renewal time back (they once did, and each such read let the
     * next touch renew again: 40 to 120 renewals in 3 s instead of 3; {@code SessionNearCacheTest}
     * plays it out step by step). The command timeout is long so that no touch fails on a slow
     * machine (a failed command empties the cache, renewal times included).
     */
    @Test
    void manyConcurrentTouchesOfABusySessionSendOneRenewalPerIntervalNotOneEach() throws Exception {
        Duration interval = Duration.ofSeconds(1);
        RedisConfig patient = RedisConfig.defaults(server.uri()).withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30));
        RedisSessionStoreAdapter a = new RedisSessionStoreAdapter(connect(patient), new SessionPolicy(TTL), CLOCK, 100,
                NearCacheConfig.defaults(new SessionPolicy(TTL)).withRenewalInterval(interval));
        a.create(session("s-1"));
        Map<String, Long> before = commandCalls();
        long started = System.nanoTime();
        AtomicInteger missing = new AtomicInteger();
        AtomicInteger touches = new AtomicInteger();

        List<Future<?>> touchers = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < 64; t++) {
                touchers.add(threads.submit(() -> {
                    while (System.nanoTime() - started < Duration.ofMillis(2_500).toNanos()) {
                        touches.incrementAndGet();
                        if (a.touch(ID).isEmpty()) {
                            missing.incrementAndGet();
                        }
                    }
                }));
            }
        }
        long tookNanos = System.nanoTime() - started;
        for (Future<?> toucher : touchers) {
            toucher.get(); // a touch that threw fails the test here
        }
        // Renewals begin at least one interval apart: at most this many fit in the time the touches took.
        long renewals = tookNanos / interval.toNanos() + 1;

        assertThat(missing).as("touches that did not find the session").hasValue(0);
        assertThat(touches.get()).as("touches").isGreaterThan(64);
        assertThat(callsSince(before, "evalsha") + callsSince(before, "eval"))
                .as("renewal scripts in %d ms of 64 threads touching, one interval being 1 s (plus the script's"
                        + " first load, EVAL after NOSCRIPT, and one spare)", Duration.ofNanos(tookNanos).toMillis())
                .isBetween(1L, renewals + 2);
        assertThat(callsSince(before, "hgetall")).as("reads: only while a renewal is on its way").isLessThan(300);
    }

    @Test
    void anotherInstancesRenewalMakesThisOneReadTheSessionAgainWithoutRenewingIt() {
        RedisSessionStoreAdapter a = instance();
        RedisSessionStoreAdapter b = instance();
        b.create(session("s-1"));
        assertThat(a.touch(ID)).isPresent();
        Session renewedByB = b.touch(ID).orElseThrow();
        awaitSeen(() -> a.touch(ID), found -> found.equals(Optional.of(renewedByB)), "the other instance's renewal");

        Map<String, Long> before = commandCalls();
        for (int i = 0; i < 10; i++) {
            assertThat(a.touch(ID)).contains(renewedByB);
        }
        assertThat(sessionCommandsSince(before)).as("cached again after one read").isZero();
    }

    @Test
    void ownWritesUpdateTheCacheThemselves() {
        RedisSessionStoreAdapter a = instance();
        a.create(session("s-1"));
        assertThat(a.find(ID)).isPresent();

        Session bound = a.bindUpstream(ID, new UpstreamSessionId("up-2")).orElseThrow();
        Map<String, Long> afterBind = commandCalls();
        assertThat(a.find(ID)).contains(bound);
        assertThat(a.touch(ID)).map(Session::upstreamSessionId).contains(Optional.of(new UpstreamSessionId("up-2")));
        Session touched = a.touch(ID).orElseThrow();
        assertThat(a.find(ID)).contains(touched);
        assertThat(callsSince(afterBind, "hgetall") - callsSince(afterBind, "evalsha")).as("no read beyond the renewal's own").isZero();

        assertThat(a.delete(ID)).isTrue();
        assertThat(a.find(ID)).isEmpty();
        assertThat(a.touch(ID)).isEmpty();
    }

    @Test
    void aSessionFlippedOnAnotherInstanceWhileThisOneReadsEndsOnTheLastValue() throws Exception {
        RedisSessionStoreAdapter a = instance();
        RedisSessionStoreAdapter b = instance();
        b.create(session("s-1"));
        AtomicBoolean flipping = new AtomicBoolean(true);
        try (ExecutorService readers = Executors.newFixedThreadPool(4)) {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int reader = i;
                running.add(readers.submit(() -> {
                    while (flipping.get()) {
                        Optional<Session> found = reader % 2 == 0 ? a.find(ID) : a.touch(ID);
                        assertThat(found).as("never absent: nobody deletes it").isPresent();
                    }
                }));
            }
            for (int n = 0; n < 400; n++) {
                b.bindUpstream(ID, new UpstreamSessionId("up-" + n));
            }
            b.bindUpstream(ID, new UpstreamSessionId("final"));
            flipping.set(false);
            for (Future<?> reader : running) {
                reader.get(10, TimeUnit.SECONDS);
            }
        }

        Optional<UpstreamSessionId> last = Optional.of(new UpstreamSessionId("final"));
        awaitSeen(() -> a.find(ID), found -> found.flatMap(Session::upstreamSessionId).equals(last), "the last binding");
        for (int i = 0; i < 100; i++) {
            assertThat(a.find(ID).flatMap(Session::upstreamSessionId)).isEqualTo(last);
            assertThat(a.touch(ID).flatMap(Session::upstreamSessionId)).isEqualTo(last);
        }
    }

    @Test
    void aKilledConnectionEmptiesTheCacheAndTrackingResumesOnTheNewOne() throws Exception {
        RedisSessionStoreAdapter a = instance();
        RedisSessionStoreAdapter b = instance();
        b.create(session("s-1"));
        assertThat(a.find(ID)).isPresent();

        server.command("CLIENT", "KILL", "TYPE", "normal");
        eventually(() -> b.delete(ID));

        awaitSeen(() -> eventually(() -> a.find(ID)), Optional::isEmpty, "the deletion made while disconnected");

        Session again = session("s-2");
        ProxySessionId second = again.id();
        eventually(() -> b.create(again));
        assertThat(eventually(() -> a.find(second))).contains(again);
        assertThat(a.find(second)).contains(again);
        Map<String, Long> before = commandCalls();
        assertThat(a.find(second)).contains(again);
        assertThat(sessionCommandsSince(before)).as("cached again: tracking is on on the new connection").isZero();

        b.delete(second);
        awaitSeen(() -> a.find(second), Optional::isEmpty, "a deletion after the reconnection");
    }

    @Test
    void aRestartedRedisEmptiesTheCacheAndNothingIsServedWhileItIsDown() throws Exception {
        RedisConfig config = RedisConfig.defaults(server.uri()).withTimeouts(Duration.ofMillis(500), Duration.ofMillis(500));
        RedisSessionStoreAdapter a = new RedisSessionStoreAdapter(connect(config), new SessionPolicy(TTL), CLOCK, 100);
        a.create(session("s-1"));
        assertThat(a.find(ID)).isPresent();

        server.stop();
        long deadline = System.nanoTime() + SEEN_WITHIN.toNanos();
        boolean unavailable = false;
        while (!unavailable && System.nanoTime() < deadline) {
            try {
                a.find(ID);
                Thread.sleep(20);
            } catch (StoreUnavailableException expected) {
                unavailable = true;
            }
        }
        assertThat(unavailable).as("the cache stops answering once the connection is lost").isTrue();
        assertThatThrownBy(() -> a.touch(ID)).isInstanceOf(StoreUnavailableException.class);

        server.start();
        assertThat(eventually(() -> a.find(ID))).as("Redis came back empty").isEmpty();
    }

    @Test
    void aRedisThatRefusesTrackingLeavesTheCacheOffAndTheStoreWorking() {
        server.command("ACL", "SETUSER", "relay", "on", ">secret", "~*", "&*", "+@all", "-client");
        RedisConfig config = RedisConfig.defaults(URI.create("redis://relay:secret@127.0.0.1:" + server.port()));
        RedisSessionStoreAdapter a = new RedisSessionStoreAdapter(connect(config), new SessionPolicy(TTL), CLOCK, 100);
        Session session = session("s-1");
        a.create(session);

        Map<String, Long> before = commandCalls();
        for (int i = 0; i < 5; i++) {
            assertThat(a.find(ID)).contains(session);
        }
        assertThat(callsSince(before, "hgetall")).as("every find goes to Redis").isEqualTo(5);
        assertThat(a.touch(ID)).isPresent();
        assertThat(a.delete(ID)).isTrue();
    }

    @Test
    void aCachedSessionPastItsTtlByTheLocalClockIsReadAgain() {
        MutableClock clock = new MutableClock(Instant.now());
        SessionPolicy policy = new SessionPolicy(TTL);
        RedisSessionStoreAdapter a = new RedisSessionStoreAdapter(connect(RedisConfig.defaults(server.uri())), policy, clock, 100);
        a.create(SessionTestData.aSession("s-1").lastSeenAt(clock.now()).build());
        assertThat(a.find(ID)).isPresent();

        clock.advance(TTL);
        Map<String, Long> before = commandCalls();
        a.find(ID);

        assertThat(callsSince(before, "hgetall")).as("read from Redis, whose clock decides").isEqualTo(1);
    }

    @Test
    void deleteAllOnThisInstanceDropsItsCachedSessions() {
        RedisSessionStoreAdapter a = instance();
        a.create(session("s-1"));
        assertThat(a.find(ID)).isPresent();

        assertThat(a.deleteAll(List.of(ID))).isEqualTo(1);

        assertThat(a.find(ID)).isEmpty();
    }

    @Test
    void refusesARenewalIntervalNotShorterThanTheTtl() {
        RedisConnection connection = connect(RedisConfig.defaults(server.uri()));
        SessionPolicy policy = new SessionPolicy(Duration.ofSeconds(1));

        assertThatThrownBy(() -> new RedisSessionStoreAdapter(connection, policy, CLOCK, 10,
                NearCacheConfig.defaults(policy).withRenewalInterval(Duration.ofSeconds(1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("renewal interval");
    }

    // ---- helpers

    /** A store as one relay instance has it: its own connection, the default near-cache. */
    private RedisSessionStoreAdapter instance() {
        return instance(new SessionPolicy(TTL), NearCacheConfig.defaults(new SessionPolicy(TTL)));
    }

    private RedisSessionStoreAdapter instance(SessionPolicy policy, NearCacheConfig nearCache) {
        return new RedisSessionStoreAdapter(connect(RedisConfig.defaults(server.uri())), policy, CLOCK, 100, nearCache);
    }

    private RedisConnection connect(RedisConfig config) {
        RedisConnection connection = new RedisConnection(config);
        connections.add(connection);
        return connection;
    }

    private static Session session(String id) {
        return SessionTestData.aSession(id).lastSeenAt(CLOCK.now()).build();
    }

    /** Calls per command since the server started or since the last reset, from INFO commandstats. */
    private Map<String, Long> commandCalls() {
        Map<String, Long> calls = new HashMap<>();
        for (String line : String.valueOf(server.command("INFO", "commandstats")).split("\r?\n")) {
            if (line.startsWith("cmdstat_")) {
                String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                String count = line.substring(line.indexOf("calls=") + "calls=".length(), line.indexOf(','));
                calls.put(name, Long.parseLong(count));
            }
        }
        return calls;
    }

    private long callsSince(Map<String, Long> before, String command) {
        return commandCalls().getOrDefault(command, 0L) - before.getOrDefault(command, 0L);
    }

    /** Commands run since {@code before}, counting those scripts ran, except the test's own INFO. */
    private long sessionCommandsSince(Map<String, Long> before) {
        long total = 0;
        for (Map.Entry<String, Long> now : commandCalls().entrySet()) {
            if (!now.getKey().equals("info")) {
                total += now.getValue() - before.getOrDefault(now.getKey(), 0L);
            }
        }
        return total;
    }

    private static <T> void awaitSeen(Supplier<T> call, Predicate<T> seen, String what) {
        awaitSeen(call, seen, what, SEEN_WITHIN);
    }

    private static <T> void awaitSeen(Supplier<T> call, Predicate<T> seen, String what, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        T last = call.get();
        while (!seen.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " was not seen within " + within + "; last answer: " + last);
            }
            sleep(Duration.ofMillis(10));
            last = call.get();
        }
    }

    /**
     * Milliseconds since {@code nanoTime}, rounded up and 2 ms more (Redis counts whole milliseconds):
     * at most this much of a TTL Redis set after {@code nanoTime} has run by the time a reply arrives.
     */
    private static long millisSince(long nanoTime) {
        return Duration.ofNanos(System.nanoTime() - nanoTime).toMillis() + 3;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
