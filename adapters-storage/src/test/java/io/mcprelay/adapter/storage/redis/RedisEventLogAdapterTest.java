package io.mcprelay.adapter.storage.redis;

import io.mcprelay.adapter.storage.testing.RedisServerProcess;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.adapter.storage.EventLogBoundsContract;
import io.mcprelay.adapter.storage.LogAwaiter;
import io.mcprelay.application.port.out.ClockPort;
import io.mcprelay.application.port.out.EventLogPort;
import io.mcprelay.application.port.out.EventLogPort.Entry;
import io.mcprelay.application.port.out.StreamLeasePort;
import io.mcprelay.application.port.out.StreamLeasePort.Lease;
import io.mcprelay.application.port.out.LogSlice;
import io.mcprelay.domain.jsonrpc.RequestId;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.stream.LogState;
import io.mcprelay.domain.stream.LoggedEvent;
import io.mcprelay.domain.stream.ReplayLogLimits;
import io.mcprelay.domain.stream.StreamId;
import io.mcprelay.domain.stream.StreamInfo;
import io.mcprelay.domain.stream.StreamKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Redis replay log against the log contract, on a redis-server of its own and the real clock
 * (so {@link #elapse} sleeps), plus what only Redis shows: entry ids, TTLs, the wake-up channel.
 */
class RedisEventLogAdapterTest extends EventLogBoundsContract {

    private static RedisServerProcess server;
    private static RedisConnection connection;
    private final List<RedisEventLogAdapter> opened = new ArrayList<>();
    private final List<RedisStreamLeaseAdapter> openedLeases = new ArrayList<>();

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

    @AfterEach
    void closeLogs() {
        opened.forEach(RedisEventLogAdapter::close);
        openedLeases.forEach(RedisStreamLeaseAdapter::close);
    }

    @Override
    protected EventLogPort newLog(ReplayLogLimits limits) {
        server.command("FLUSHALL");
        RedisEventLogAdapter adapter = new RedisEventLogAdapter(connection, limits, clock());
        opened.add(adapter);
        return adapter;
    }

    @Override
    protected StreamLeasePort leasesOf(EventLogPort log) {
        RedisStreamLeaseAdapter leases = new RedisStreamLeaseAdapter(connection);
        openedLeases.add(leases);
        return leases;
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

    /** A TTL of 2 s, leases of 800 ms: on a loaded machine a few Redis calls can take several hundred milliseconds. */
    @Override
    protected int timeScale() {
        return 2;
    }

    @Test
    void aTakeOverAfterAPositionReadsOnlyWhatFollowsItAndTheAnswersKeptBesideTheLog() {
        log = newLog(LONG_LIVED);
        RequestId one = new RequestId.NumericId("1");
        RequestId two = new RequestId.StringId("t:w\"o");
        RequestId three = new RequestId.NumericId("3");
        StreamInfo stream = new StreamInfo(new StreamId("s-1"), new ProxySessionId("session-a"), StreamKind.POST_RESPONSE,
                clock().now(), List.of(one, two, three));
        log.open(stream);
        Lease first = leases().claim(stream.id(), "instance-1").orElseThrow();
        log.append(stream.id(), first, new Entry(Optional.empty(), "answers 1", Optional.empty(), List.of(one)));
        for (int i = 0; i < 50; i++) {
            log.append(stream.id(), first, entry("progress " + i));
        }
        log.append(stream.id(), first, new Entry(Optional.empty(), "answers two", Optional.empty(), List.of(two)));
        assertThat(server.command("HGET", "{mcp-relay:e:s-1}:meta", "answersThrough")).isEqualTo("52");

        StreamLeasePort.TakenOver taken = leases().takeOver(stream.id(), first, "instance-2", "connection-1", 51, 100).orElseThrow();

        assertThat(taken.answered()).contains(java.util.Set.of(one, two));
        assertThat(taken.log().events()).as("only what follows the position, not the 52 events of the log")
                .extracting(LoggedEvent::sequence).containsExactly(52L);
        assertThat(log.append(stream.id(), taken.lease(), entry("the new owner's first"))).isEqualTo(53);
        assertThat(server.command("HGET", "{mcp-relay:e:s-1}:meta", "answersThrough")).isEqualTo("53");
    }

    @Test
    void aLogWhoseAnswersWereNotAllKeptIsReadFromItsStartAtATakeOver() {
        log = newLog(LONG_LIVED);
        RequestId one = new RequestId.NumericId("1");
        StreamInfo stream = new StreamInfo(new StreamId("s-1"), new ProxySessionId("session-a"), StreamKind.POST_RESPONSE,
                clock().now(), List.of(one));
        log.open(stream);
        Lease first = leases().claim(stream.id(), "instance-1").orElseThrow();
        log.append(stream.id(), first, entry("progress"));
        // as an mcp-relay that keeps no answers leaves a log: no mark of how far they go
        server.command("HDEL", "{mcp-relay:e:s-1}:meta", "answersThrough", "answered");
        log.append(stream.id(), first, new Entry(Optional.empty(), "answers 1", Optional.empty(), List.of(one)));
        assertThat(server.command("HGET", "{mcp-relay:e:s-1}:meta", "answered")).as("not started half-way").isNull();

        StreamLeasePort.TakenOver taken = leases().takeOver(stream.id(), first, "instance-2", "connection-1", 2, 100).orElseThrow();

        assertThat(taken.answered()).isEmpty();
        assertThat(taken.log().events()).extracting(LoggedEvent::sequence).containsExactly(1L, 2L);
    }

    @Test
    void anInstanceWhoseProcessDiedIsDeadAfterThePresenceGraceNotAfterItsLease() throws Exception {
        RedisConnection ownerConnection = new RedisConnection(RedisConfig.defaults(server.uri()));
        RedisStreamLeaseAdapter owner = new RedisStreamLeaseAdapter(ownerConnection);
        Duration lease = Duration.ofSeconds(30);
        owner.beat("owner-1", lease);
        assertThat(server.command("GET", "{mcp-relay:i}:owner-1")).isEqualTo(InstancePresence.PRESENT);
        assertThat(leases().isAlive("owner-1")).isTrue();

        long diedAt = System.nanoTime();
        owner.close();
        ownerConnection.close(); // as a process death does: its sockets close, its key stays until its TTL
        assertThat(leases().isAlive("owner-1")).as("within the grace").isTrue();
        while (leases().isAlive("owner-1")) {
            assertThat(Duration.ofNanos(System.nanoTime() - diedAt)).as("dead by presence, long before the 30 s lease")
                    .isLessThan(Duration.ofSeconds(10));
            Thread.sleep(20);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - diedAt)).isGreaterThanOrEqualTo(InstancePresence.GRACE);
        assertThat((Long) server.command("PTTL", "{mcp-relay:i}:owner-1")).as("its key is still there").isPositive();
    }

    /**
     * A registry full of live logs makes room by dropping the oldest; the prune before it (an EXISTS per
     * registered log) found nothing and is not repeated for every open within a second: 30 opens into a
     * full registry of 100 cost about one scan, not 30 (3,000 EXISTS).
     */
    @Test
    void aRegistryFullOfLiveLogsIsNotScannedAtEveryOpen() {
        log = newLog(LONG_LIVED);
        for (int i = 0; i < LONG_LIVED.maxStreams(); i++) {
            opened("s-" + i, "session-a");
        }
        long before = existsCalls();
        for (int i = 0; i < 30; i++) {
            opened("t-" + i, "session-a");
        }
        long scans = (existsCalls() - before) / LONG_LIVED.maxStreams();
        assertThat(scans).as("full scans of the registry for 30 opens").isBetween(1L, 3L);
        assertThat(log.state(new io.mcprelay.domain.stream.StreamId("s-0"))).as("the oldest dropped").isEmpty();
        assertThat(log.state(new io.mcprelay.domain.stream.StreamId("t-29"))).as("the newest kept").isPresent();
    }

    private long existsCalls() {
        for (String line : String.valueOf(server.command("INFO", "commandstats")).split("\r?\n")) {
            if (line.startsWith("cmdstat_exists:")) {
                return Long.parseLong(line.substring(line.indexOf("calls=") + "calls=".length(), line.indexOf(',')));
            }
        }
        return 0;
    }

    /**
     * The grace is there for this: Redis closes a live instance's presence connection (here {@code CLIENT
     * KILL TYPE pubsub}; a proxy reset, a restart), Lettuce re-makes it and subscribes again, and no
     * other instance may count the instance dead meanwhile, however often it asks.
     */
    @Test
    void aPresenceSubscriptionThatRedisClosesIsRemadeWithinTheGrace() throws Exception {
        RedisConnection ownerConnection = new RedisConnection(RedisConfig.defaults(server.uri()));
        try (RedisStreamLeaseAdapter owner = new RedisStreamLeaseAdapter(ownerConnection)) {
            owner.beat("owner-1", Duration.ofSeconds(30));
            for (int kill = 0; kill < 3; kill++) {
                assertThat((Long) server.command("CLIENT", "KILL", "TYPE", "pubsub")).as("presence connections closed").isPositive();
                long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                while (System.nanoTime() < until) {
                    assertThat(leases().isAlive("owner-1")).as("alive through its re-subscription (kill %s)", kill).isTrue();
                    Thread.sleep(10);
                }
                assertThat((Long) ((java.util.List<?>) server.command("PUBSUB", "NUMSUB", "mcp-relay:presence:owner-1")).get(1))
                        .as("subscribed again").isEqualTo(1L);
            }
        } finally {
            ownerConnection.close();
        }
    }

    @Test
    void anInstanceWithoutAPresenceSubscriptionIsJudgedByItsKeyAlone() {
        server.command("SET", "{mcp-relay:i}:older-1", "1", "PX", "30000");

        assertThat(leases().isAlive("older-1")).isTrue();
        elapse(InstancePresence.GRACE.plusMillis(100));
        assertThat(leases().isAlive("older-1")).as("no subscriber, but none promised").isTrue();
    }

    @Test
    void aPresenceAbsentForLessThanTheGraceIsNoDeath() {
        InstancePresence presence = new InstancePresence(connection, new RedisKeys("mcp-relay"));

        assertThat(presence.alive("owner-1", 0)).as("absent just now").isTrue();
        elapse(InstancePresence.GRACE.dividedBy(2));
        assertThat(presence.alive("owner-1", 1)).as("back: the absence is forgotten").isTrue();
        assertThat(presence.alive("owner-1", 0)).isTrue();
        elapse(InstancePresence.GRACE.plusMillis(100));
        assertThat(presence.alive("owner-1", 0)).as("absent past the grace").isFalse();
        presence.forget("owner-1");
        assertThat(presence.alive("owner-1", 0)).as("forgotten with its key").isTrue();
    }

    @Test
    void eventsAreStreamEntriesNumberedBySequenceAndBothKeysCarryTheTtl() {
        StreamInfo stream = opened("s-1", "session-a");
        log.append(stream.id(), entry("a"));
        log.append(stream.id(), entry("b"));

        @SuppressWarnings("unchecked")
        List<Object> entries = (List<Object>) server.command("XRANGE", "{mcp-relay:e:s-1}:events", "-", "+");
        assertThat(entries).extracting(e -> (Object) ((List<?>) e).getFirst()).containsExactly("1-1", "2-1");
        assertThat((Long) server.command("PTTL", "{mcp-relay:e:s-1}:meta")).isBetween(1L, TTL.toMillis());
        assertThat((Long) server.command("PTTL", "{mcp-relay:e:s-1}:events")).isBetween(1L, TTL.toMillis());
    }

    @Test
    void requestIdsKeepEveryCharacterAndTheirKind() {
        StreamInfo stream = new StreamInfo(new StreamId("s-1"), new ProxySessionId("session-a"), StreamKind.POST_RESPONSE,
                clock().now(), List.of(new RequestId.NumericId("12345678901234567890"), new RequestId.StringId("a:b|c\n"),
                        new RequestId.NumericId("-7"), new RequestId.StringId("")));
        log.open(stream);

        assertThat(log.state(stream.id())).map(LogState::stream).contains(stream);
    }

    @Test
    void awaitAfterIsWokenByAWakeUpOnTheChannelAloneWithinTheRecheckInterval() throws Exception {
        log = newLog(LONG_LIVED);
        StreamInfo stream = opened("s-1", "session-a");

        try (LogAwaiter awaiter = LogAwaiter.start(() -> log.awaitAfter(stream.id(), 0, 10, AWAIT_TIMEOUT))) {
            awaiter.awaitParked();
            // An append made behind the adapter's back, without its PUBLISH: only the re-check finds it.
            server.command("XADD", "{mcp-relay:e:s-1}:events", "1-1", "data", "sneaked", "weight", "23");
            server.command("HSET", "{mcp-relay:e:s-1}:meta", "lastSequence", "1");

            LogSlice slice = awaiter.result();
            assertThat(slice.events()).extracting(e -> e.data()).containsExactly("sneaked");
            assertThat(awaiter.elapsed()).as("found by a re-check (every %d ms), long before the timeout", RedisEventLogAdapter.RECHECK_MILLIS)
                    .isLessThan(AWAIT_TIMEOUT.dividedBy(2));
        }
    }

    @Test
    void livenessIsOneKeyPerInstanceThatExpiresWithTheLeaseAndAStreamsLeaseLivesInItsMeta() {
        StreamInfo stream = opened("s-1", "session-a");

        leases().beat("instance-1", Duration.ofMillis(300));
        assertThat((Long) server.command("PTTL", "{mcp-relay:i}:instance-1")).isBetween(1L, 300L);
        assertThat(leases().claim(stream.id(), "instance-1")).contains(new io.mcprelay.application.port.out.StreamLeasePort.Lease("instance-1", 1));
        assertThat(server.command("HGET", "{mcp-relay:e:s-1}:meta", "owner")).isEqualTo("instance-1");
        assertThat(server.command("HGET", "{mcp-relay:e:s-1}:meta", "epoch")).isEqualTo("1");
        leases().retire("instance-1");
        assertThat((Long) server.command("EXISTS", "{mcp-relay:i}:instance-1")).isZero();
    }

    @Test
    void aKeepAliveWritesOnlyWhenAThirdOfTheTtlIsGone() {
        StreamInfo stream = opened("s-1", "session-a");
        long most = TTL.toMillis() * 9 / 10;
        server.command("PEXPIRE", "{mcp-relay:e:s-1}:meta", Long.toString(most));

        log.keepAlive(stream.id());
        assertThat((Long) server.command("PTTL", "{mcp-relay:e:s-1}:meta")).as("most of the TTL left: not renewed").isLessThanOrEqualTo(most);
        server.command("PEXPIRE", "{mcp-relay:e:s-1}:meta", Long.toString(TTL.toMillis() / 2));
        log.keepAlive(stream.id());
        assertThat((Long) server.command("PTTL", "{mcp-relay:e:s-1}:meta")).as("renewed").isGreaterThan(most);
    }

    @Test
    void aFollowersRenewalWritesOnlyWhenAThirdOfItsHoldIsGone() {
        StreamInfo stream = opened("s-1", "session-a");
        leases().follow(stream.id(), "instance-1/1", Duration.ofSeconds(30));
        server.command("PEXPIRE", "{mcp-relay:e:s-1}:follower", "25000");

        assertThat(leases().stillFollowing(stream.id(), "instance-1/1", Duration.ofSeconds(30))).isTrue();
        assertThat((Long) server.command("PTTL", "{mcp-relay:e:s-1}:follower")).as("not renewed: most of it left").isLessThanOrEqualTo(25_000L);
        server.command("PEXPIRE", "{mcp-relay:e:s-1}:follower", "15000");
        assertThat(leases().stillFollowing(stream.id(), "instance-1/1", Duration.ofSeconds(30))).isTrue();
        assertThat((Long) server.command("PTTL", "{mcp-relay:e:s-1}:follower")).as("renewed").isGreaterThan(25_000L);
    }

    @Test
    void deleteSessionLeavesNoKeyOfItsLogs() {
        StreamInfo stream = opened("s-1", "session-a");
        log.append(stream.id(), entry("a"));
        leases().claim(stream.id(), "instance-1");
        leases().follow(stream.id(), "instance-1/1", Duration.ofSeconds(5));

        assertThat(log.deleteSession(new ProxySessionId("session-a"))).isEqualTo(1);
        @SuppressWarnings("unchecked")
        List<Object> keys = (List<Object>) server.command("KEYS", "*");
        assertThat(keys).as("only the open-order counter is left").containsExactly("{mcp-relay:e}:opened");
        assertThat(log.state(stream.id())).isEqualTo(Optional.empty());
    }
}
