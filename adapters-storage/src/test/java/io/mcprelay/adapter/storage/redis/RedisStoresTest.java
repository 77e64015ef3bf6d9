package io.mcprelay.adapter.storage.redis;

import io.mcprelay.adapter.storage.testing.RedisServerProcess;
import static io.mcprelay.adapter.storage.testing.StoreRetries.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.cluster.SlotHash;
import io.mcprelay.adapter.storage.LogAwaiter;
import io.mcprelay.adapter.storage.SessionTestData;
import io.mcprelay.application.port.out.ClockPort;
import io.mcprelay.application.port.out.EventLogPort;
import io.mcprelay.application.port.out.EventLogPort.Entry;
import io.mcprelay.application.port.out.SessionQuery;
import io.mcprelay.application.port.out.SessionStorePort.CreateOutcome;
import io.mcprelay.application.port.out.StoreUnavailableException;
import io.mcprelay.application.port.out.StreamLeasePort;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.session.SessionPolicy;
import io.mcprelay.domain.stream.LoggedEvent;
import io.mcprelay.domain.stream.LogState;
import io.mcprelay.domain.stream.ReplayLogLimits;
import io.mcprelay.domain.stream.StreamId;
import io.mcprelay.domain.stream.StreamInfo;
import io.mcprelay.domain.stream.StreamKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the Redis stores promise beyond the port contracts: several instances share them, they are
 * laid out for a Cluster, and they survive Redis going away and coming back.
 */
class RedisStoresTest {

    private static final ClockPort CLOCK = Instant::now;
    private static final ReplayLogLimits LIMITS = new ReplayLogLimits(100, 1L << 20, Duration.ofMinutes(5), 100);
    /** The timeout of a wait that something else is expected to end: returning before it proves the waking, even on a loaded machine. */
    private static final Duration AWAIT_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration SHORT_TIMEOUTS = Duration.ofMillis(500);

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
    void keysShareASlotViaHashTags() {
        try (RedisConnection connection = new RedisConnection(RedisConfig.defaults(server.uri()).withKeyPrefix("relay-1"));
             RedisEventLogAdapter log = new RedisEventLogAdapter(connection, LIMITS, CLOCK);
             RedisStreamLeaseAdapter leases = new RedisStreamLeaseAdapter(connection)) {
            RedisSessionStoreAdapter sessions = new RedisSessionStoreAdapter(connection, SessionPolicy.defaults(), CLOCK, 10);
            for (String id : List.of("s-1", "s-2", "s-3")) {
                sessions.create(session(id));
            }
            for (String id : List.of("e-1", "e-2")) {
                StreamInfo stream = open(log, id, "s-1");
                log.append(stream.id(), new Entry(Optional.empty(), "x", Optional.empty()));
                leases.claim(stream.id(), "instance-1");
                log.complete(stream.id());
                leases.follow(stream.id(), "instance-1/1", Duration.ofSeconds(30));
            }
            leases.beat("instance-1", Duration.ofSeconds(30));
            leases.beat("instance-2", Duration.ofSeconds(30));

            List<String> keys = keys();
            assertThat(keys).allSatisfy(key -> assertThat(key).startsWith("{relay-1:"));
            Map<String, List<String>> byTag = keys.stream().collect(Collectors.groupingBy(RedisStoresTest::hashTag));
            assertThat(byTag).containsOnlyKeys("relay-1:s", "relay-1:e", "relay-1:e:e-1", "relay-1:e:e-2", "relay-1:i");
            assertThat(byTag.get("relay-1:i")).as("one liveness key per instance, none per stream")
                    .containsExactlyInAnyOrder("{relay-1:i}:instance-1", "{relay-1:i}:instance-2");
            assertThat(byTag.get("relay-1:s")).containsExactlyInAnyOrder("{relay-1:s}:id:s-1", "{relay-1:s}:id:s-2",
                    "{relay-1:s}:id:s-3", "{relay-1:s}:by-created", "{relay-1:s}:by-expiry", "{relay-1:s}:by-created:owner",
                    "{relay-1:s}:by-created:owners", "{relay-1:s}:by-created:of:unknown");
            assertThat(byTag.get("relay-1:e:e-1")).containsExactlyInAnyOrder("{relay-1:e:e-1}:meta", "{relay-1:e:e-1}:events",
                    "{relay-1:e:e-1}:follower");
            assertThat(byTag.get("relay-1:e")).containsExactlyInAnyOrder("{relay-1:e}:streams", "{relay-1:e}:complete",
                    "{relay-1:e}:owner", "{relay-1:e}:opened", "{relay-1:e}:session:s-1");
            byTag.values().forEach(group -> assertThat(group).extracting(SlotHash::getSlot)
                    .as("one slot for %s", group).containsOnly(SlotHash.getSlot(group.getFirst())));
            assertThat(SlotHash.getSlot("{relay-1:e:e-1}:meta")).as("streams spread over slots")
                    .isNotEqualTo(SlotHash.getSlot("{relay-1:e:e-2}:meta"));
        }
    }

    @Test
    void twoAdapterInstancesOnOneRedisSeeTheSameSessionsAndLogs() throws Exception {
        try (RedisConnection first = new RedisConnection(RedisConfig.defaults(server.uri()));
             RedisConnection second = new RedisConnection(RedisConfig.defaults(server.uri()));
             RedisEventLogAdapter log1 = new RedisEventLogAdapter(first, LIMITS, CLOCK);
             RedisEventLogAdapter log2 = new RedisEventLogAdapter(second, LIMITS, CLOCK);
             RedisStreamLeaseAdapter leases1 = new RedisStreamLeaseAdapter(first);
             RedisStreamLeaseAdapter leases2 = new RedisStreamLeaseAdapter(second)) {
            RedisSessionStoreAdapter sessions1 = new RedisSessionStoreAdapter(first, SessionPolicy.defaults(), CLOCK, 10);
            RedisSessionStoreAdapter sessions2 = new RedisSessionStoreAdapter(second, SessionPolicy.defaults(), CLOCK, 10);

            Session session = session("s-1");
            assertThat(sessions1.create(session)).isEqualTo(CreateOutcome.CREATED);
            assertThat(sessions2.create(session)).as("the id is taken on every instance").isEqualTo(CreateOutcome.ID_TAKEN);
            assertThat(sessions2.find(session.id())).contains(session);
            assertThat(sessions2.touch(session.id())).isPresent();
            assertThat(sessions1.list(SessionQuery.firstPage(10)).sessions()).extracting(Session::id).containsExactly(session.id());
            assertThat(sessions2.delete(session.id())).isTrue();
            assertThat(sessions1.find(session.id())).isEmpty();

            StreamInfo stream = open(log1, "e-1", "s-1");
            log1.append(stream.id(), new Entry(Optional.empty(), "first", Optional.empty()));
            assertThat(log2.readAfter(stream.id(), 0, 10).events()).extracting(LoggedEvent::data).containsExactly("first");
            StreamLeasePort.Lease lease = leases1.claim(stream.id(), "instance-1").orElseThrow();
            assertThat(leases2.claim(stream.id(), "instance-2")).as("instance 1 holds the lease").isEmpty();
            assertThat(leases2.lease(stream.id())).contains(lease);
            leases1.beat("instance-1", Duration.ofSeconds(30));
            assertThat(leases2.isAlive("instance-1")).as("instance 2 sees instance 1's liveness").isTrue();
            StreamLeasePort.Lease taken = leases2.takeOver(stream.id(), lease, "instance-2").orElseThrow();
            assertThatThrownBy(() -> log1.append(stream.id(), lease, new Entry(Optional.empty(), "fenced", Optional.empty())))
                    .as("instance 1's writes are fenced off once instance 2 took the stream over")
                    .isInstanceOf(EventLogPort.LeaseLostException.class);
            assertThat(leases1.lease(stream.id())).contains(taken);
            leases2.follow(stream.id(), "instance-2/1", Duration.ofSeconds(30));
            assertThat(leases1.isFollowed(stream.id())).isTrue();

            try (LogAwaiter awaiter = LogAwaiter.start(() -> log2.awaitAfter(stream.id(), 1, 10, AWAIT_TIMEOUT))) {
                awaiter.awaitParked();
                log1.append(stream.id(), new Entry(Optional.empty(), "second", Optional.empty()));

                assertThat(awaiter.result().events()).extracting(LoggedEvent::data).containsExactly("second");
                assertThat(awaiter.elapsed()).as("woken by instance 1's append, not timed out").isLessThan(AWAIT_TIMEOUT);
            }
            try (LogAwaiter awaiter = LogAwaiter.start(() -> log2.awaitAfter(stream.id(), 2, 10, AWAIT_TIMEOUT))) {
                awaiter.awaitParked();
                log1.complete(stream.id());

                assertThat(awaiter.result().state()).map(LogState::complete).contains(true);
                assertThat(awaiter.elapsed()).as("woken by instance 1's completion, not timed out").isLessThan(AWAIT_TIMEOUT);
            }
            assertThat(log2.deleteSession(new ProxySessionId("s-1"))).isEqualTo(1);
            assertThat(log1.state(stream.id())).isEmpty();
        }
    }

    @Test
    void redisDownGivesStoreUnavailableAndRecoversWhenItReturns() throws Exception {
        RedisConfig config = RedisConfig.defaults(server.uri()).withTimeouts(SHORT_TIMEOUTS, SHORT_TIMEOUTS);
        try (RedisConnection connection = new RedisConnection(config);
             RedisEventLogAdapter log = new RedisEventLogAdapter(connection, LIMITS, CLOCK);
             RedisStreamLeaseAdapter leases = new RedisStreamLeaseAdapter(connection)) {
            RedisSessionStoreAdapter sessions = new RedisSessionStoreAdapter(connection, SessionPolicy.defaults(), CLOCK, 10);
            sessions.create(session("s-1"));
            StreamInfo stream = open(log, "e-1", "s-1");
            assertThat(log.awaitAfter(stream.id(), 0, 10, Duration.ofMillis(50)).state()).as("subscribed").isPresent();

            server.stop();

            assertUnavailableWithin(() -> sessions.find(new ProxySessionId("s-1")));
            assertUnavailableWithin(() -> sessions.create(session("s-2")));
            assertUnavailableWithin(() -> sessions.list(SessionQuery.firstPage(10)));
            assertUnavailableWithin(() -> log.readAfter(stream.id(), 0, 10));
            assertUnavailableWithin(() -> log.append(stream.id(), new Entry(Optional.empty(), "lost", Optional.empty())));
            assertUnavailableWithin(() -> log.awaitAfter(stream.id(), 0, 10, Duration.ofSeconds(1)));

            server.start();

            // Redis came back empty; the same adapters work again once Lettuce has reconnected both
            // connections (the shared one, and the session store's tracked one), each on its own.
            assertThat(eventually(() -> sessions.find(new ProxySessionId("s-1")))).isEmpty();
            assertThat(eventually(sessions::count)).isZero();
            assertThat(sessions.create(session("s-1"))).isEqualTo(CreateOutcome.CREATED);
            StreamInfo again = open(log, "e-2", "s-1");
            try (LogAwaiter awaiter = LogAwaiter.start(() -> log.awaitAfter(again.id(), 0, 10, AWAIT_TIMEOUT))) {
                awaiter.awaitParked();
                log.append(again.id(), new Entry(Optional.empty(), "after the outage", Optional.empty()));

                assertThat(awaiter.result().events()).extracting(LoggedEvent::data).containsExactly("after the outage");
            }
        }
    }

    /**
     * Redis hangs (SIGSTOP) while an event is appended: the append times out, but the command is in
     * Redis's socket and runs when Redis goes on. It lands at the sequence its writer gave it and no
     * other, a retry of it stores nothing, and the event after it follows it: what the relay sent the
     * client under that id is what the log replays under it.
     */
    @Test
    void anAppendThatTimedOutWhileRedisHungLandsAtItsOwnSequenceOnly() throws Exception {
        RedisConfig config = RedisConfig.defaults(server.uri()).withTimeouts(SHORT_TIMEOUTS, SHORT_TIMEOUTS);
        try (RedisConnection connection = new RedisConnection(config);
             RedisEventLogAdapter log = new RedisEventLogAdapter(connection, LIMITS, CLOCK);
             RedisStreamLeaseAdapter leases = new RedisStreamLeaseAdapter(connection)) {
            StreamInfo stream = open(log, "hang-1", "s-1");
            assertThat(log.appendAt(stream.id(), 1, new Entry(Optional.empty(), "before", Optional.empty()))).isTrue();

            server.freeze();
            try {
                assertUnavailableWithin(() -> log.appendAt(stream.id(), 2, new Entry(Optional.empty(), "during", Optional.empty())));
            } finally {
                server.thaw();
            }

            assertThat(eventually(() -> log.appendAt(stream.id(), 2, new Entry(Optional.empty(), "during", Optional.empty()))))
                    .as("the timed-out attempt ran when Redis went on: the retry stores nothing").isFalse();
            assertThat(log.appendAt(stream.id(), 3, new Entry(Optional.empty(), "after", Optional.empty()))).isTrue();
            assertThat(log.readAfter(stream.id(), 0, 10).events()).extracting(LoggedEvent::sequence, LoggedEvent::data).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(1L, "before"), org.assertj.core.groups.Tuple.tuple(2L, "during"),
                    org.assertj.core.groups.Tuple.tuple(3L, "after"));
        }
    }

    @Test
    void startingWithRedisDownFailsClearlyOnFirstUseAndConnectsLater() {
        server.stop();
        RedisConfig config = RedisConfig.defaults(server.uri()).withTimeouts(SHORT_TIMEOUTS, SHORT_TIMEOUTS);
        try (RedisConnection connection = new RedisConnection(config)) {
            RedisSessionStoreAdapter sessions = new RedisSessionStoreAdapter(connection, SessionPolicy.defaults(), CLOCK, 10);

            assertThatThrownBy(sessions::count)
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("Redis at redis://127.0.0.1:" + server.port())
                    .hasMessageContaining("unreachable");

            server.start();
            assertThat(sessions.count()).isZero();
        }
    }

    @Test
    void closedConnectionFailsAsUnavailable() {
        RedisConnection connection = new RedisConnection(RedisConfig.defaults(server.uri()));
        RedisSessionStoreAdapter sessions = new RedisSessionStoreAdapter(connection, SessionPolicy.defaults(), CLOCK, 10);
        assertThat(sessions.count()).isZero();
        connection.close();

        assertThatThrownBy(sessions::count).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("closed");
    }

    // ---- helpers

    private List<String> keys() {
        @SuppressWarnings("unchecked")
        List<String> keys = (List<String>) server.command("KEYS", "*");
        return keys;
    }

    private static String hashTag(String key) {
        int open = key.indexOf('{');
        int close = key.indexOf('}', open + 1);
        return open < 0 || close < 0 ? "(none)" : key.substring(open + 1, close);
    }

    private static Session session(String id) {
        return SessionTestData.aSession(id).lastSeenAt(CLOCK.now()).build();
    }

    private static StreamInfo open(RedisEventLogAdapter log, String id, String session) {
        StreamInfo stream = new StreamInfo(new StreamId(id), new ProxySessionId(session), StreamKind.POST_RESPONSE, CLOCK.now());
        log.open(stream);
        return stream;
    }

    private static void assertUnavailableWithin(Runnable call) {
        long started = System.nanoTime();
        assertThatThrownBy(call::run).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("Redis at");
        // Bounded by the 500 ms command timeout, not Lettuce's default of 60 s: generous for a loaded machine.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("failed by the command timeout, not hung")
                .isLessThan(SHORT_TIMEOUTS.multipliedBy(10));
    }
}
