package io.mcprelay.adapter.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.application.port.out.EventLogPort.Entry;
import io.mcprelay.application.port.out.LogSlice;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.stream.LogState;
import io.mcprelay.domain.stream.LoggedEvent;
import io.mcprelay.domain.stream.ReplayLogLimits;
import io.mcprelay.domain.stream.StreamId;
import io.mcprelay.domain.stream.StreamInfo;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The bounds and the expiry of the {@link EventLogContract}: trimming by count and bytes, the TTL of
 * logs, the bound on how many logs are kept, and liveness marks and follower holds that run out by
 * themselves. Every real store meets them; the application's fake ({@code InMemoryEventLog}) keeps
 * everything and lets an instance live until a test kills it, on purpose, so it runs only the rest
 * of the contract.
 */
public abstract class EventLogBoundsContract extends EventLogContract {

    @Test
    void aFollowerHoldRunsOutUnlessRenewed() {
        log = newLog(LONG_LIVED);
        StreamInfo stream = opened("s-1", "session-a");
        leases().follow(stream.id(), "connection-1", LEASE);

        elapse(LEASE.dividedBy(2));
        assertThat(leases().stillFollowing(stream.id(), "connection-1", LEASE)).isTrue();
        elapse(LEASE.dividedBy(2));
        assertThat(leases().isFollowed(stream.id())).as("renewed half a lease ago").isTrue();
        elapse(PAST_LEASE);
        assertThat(leases().isFollowed(stream.id())).as("not renewed for longer than the lease").isFalse();
    }

    @Test
    void maxStreamsDropsOldestCompleteFirst() {
        log = newLog(new ReplayLogLimits(1_000, 1L << 20, TTL, 3));
        StreamInfo a = opened("s-a", "session-a");
        StreamInfo b = opened("s-b", "session-a");
        StreamInfo c = opened("s-c", "session-b");
        log.append(a.id(), entry("kept"));
        log.complete(c.id());
        log.complete(b.id());

        StreamInfo d = opened("s-d", "session-b");
        assertThat(live(a, b, c, d)).as("b is the oldest complete log").containsExactly("s-a", "s-c", "s-d");

        StreamInfo e = opened("s-e", "session-b");
        assertThat(live(a, c, d, e)).as("then c").containsExactly("s-a", "s-d", "s-e");

        StreamInfo f = opened("s-f", "session-b");
        assertThat(live(a, d, e, f)).as("none complete: the oldest").containsExactly("s-d", "s-e", "s-f");
        assertThat(log.readAfter(d.id(), 0, 10).state()).isPresent();
    }

    @Test
    void streamsOfLeavesOutExpiredLogs() {
        opened("s-old", "session-a");
        elapse(MOST_OF_TTL);
        StreamInfo young = opened("s-young", "session-a");
        log.append(young.id(), entry("a"));
        elapse(MOST_OF_TTL);

        assertThat(log.streamsOf(new ProxySessionId("session-a"))).extracting(LogState::stream).containsExactly(young);
        elapse(MOST_OF_TTL);
        elapse(MOST_OF_TTL);
        assertThat(log.streamsOf(new ProxySessionId("session-a"))).isEmpty();
    }

    @Test
    void keepAliveRenewsTheTtlOfAQuietLiveLogAndIgnoresMissingOnes() {
        StreamInfo quiet = opened("s-quiet", "session-a");
        for (int i = 0; i < 3; i++) {
            elapse(MOST_OF_TTL);
            log.keepAlive(quiet.id());
        }
        assertThat(log.state(quiet.id())).as("2.1 TTL after opening, kept alive").isPresent();
        elapse(MOST_OF_TTL);
        elapse(MOST_OF_TTL);
        assertThat(log.state(quiet.id())).as("no keep-alive for 1.4 TTL").isEmpty();
        log.keepAlive(quiet.id());
        assertThat(log.state(quiet.id())).as("a keep-alive does not revive an expired log").isEmpty();
        log.keepAlive(new StreamId("never-opened"));
    }

    @Test
    void trimsByCountAndMovesFirstSequence() {
        log = newLog(new ReplayLogLimits(3, 1L << 20, TTL, 100));
        StreamInfo stream = opened("s-1", "session-a");
        for (int i = 1; i <= 3; i++) {
            log.append(stream.id(), entry("e-" + i));
        }
        assertThat(log.state(stream.id())).map(LogState::firstSequence).contains(1L);

        log.append(stream.id(), entry("e-4"));
        log.append(stream.id(), entry("e-5"));

        assertThat(log.state(stream.id())).get()
                .returns(3L, LogState::firstSequence)
                .returns(5L, LogState::lastSequence);
        assertThat(log.readAfter(stream.id(), 0, 10).events()).extracting(LoggedEvent::data).containsExactly("e-3", "e-4", "e-5");
        assertThat(log.readAfter(stream.id(), 3, 10).events()).extracting(LoggedEvent::sequence).containsExactly(4L, 5L);
    }

    @Test
    void streamsOfReportsCompleteAndPositions() {
        log = newLog(new ReplayLogLimits(2, 1L << 20, TTL, 100));
        StreamInfo ended = opened("s-ended", "session-a");
        log.append(ended.id(), entry("a"));
        log.append(ended.id(), entry("b"));
        log.append(ended.id(), entry("c"));
        log.complete(ended.id());
        StreamInfo live = opened("s-live", "session-a");
        log.append(live.id(), new Entry(Optional.empty(), "x", Optional.of("up-1")));
        StreamInfo empty = opened("s-empty", "session-a");

        assertThat(log.streamsOf(new ProxySessionId("session-a"))).containsExactly(
                new LogState(empty, 1, 0, false, Optional.empty()),
                new LogState(live, 1, 1, false, Optional.of("up-1")),
                new LogState(ended, 2, 3, true, Optional.empty()));
    }

    @Test
    void anInstanceIsAliveWhileItBeatsAndNotAfterItsLeaseOrItsRetirement() {
        assertThat(leases().isAlive("instance-1")).isFalse();
        leases().beat("instance-1", LEASE);
        assertThat(leases().isAlive("instance-1")).isTrue();
        assertThat(leases().isAlive("instance-2")).isFalse();

        elapse(LEASE.dividedBy(2));
        leases().beat("instance-1", LEASE);
        elapse(LEASE.dividedBy(2));
        assertThat(leases().isAlive("instance-1")).as("renewed half a lease ago").isTrue();
        elapse(PAST_LEASE);
        assertThat(leases().isAlive("instance-1")).as("no beat for longer than the lease").isFalse();

        leases().beat("instance-1", LEASE);
        assertThat(leases().isAlive("instance-1")).isTrue();
        leases().retire("instance-1");
        assertThat(leases().isAlive("instance-1")).as("retired").isFalse();
    }

    @Test
    void expiredLogsDoNotCountTowardsMaxStreams() {
        log = newLog(new ReplayLogLimits(1_000, 1L << 20, TTL, 2));
        StreamInfo oldest = opened("s-oldest", "session-a");
        StreamInfo idle = opened("s-idle", "session-a");
        // 0.6 TTL twice: the idle log is 1.2 TTL old, the oldest was renewed 0.6 TTL ago (0.4 TTL of margin either way).
        elapse(TTL.multipliedBy(6).dividedBy(10));
        log.append(oldest.id(), entry("keeps it alive"));
        elapse(TTL.multipliedBy(6).dividedBy(10));

        StreamInfo fresh = opened("s-fresh", "session-a");

        assertThat(live(oldest, idle, fresh)).as("the expired log made room, not the oldest live one")
                .containsExactly("s-oldest", "s-fresh");
    }

    // ---- writes that are refused ----

    @Test
    void trimsByBytes() {
        log = newLog(new ReplayLogLimits(1_000, 100, TTL, 100));
        StreamInfo stream = opened("s-1", "session-a");
        log.append(stream.id(), entry(weighing(40)));
        log.append(stream.id(), entry(weighing(40)));
        assertThat(log.state(stream.id())).as("80 of 100 bytes").map(LogState::firstSequence).contains(1L);

        log.append(stream.id(), entry(weighing(40)));
        assertThat(log.state(stream.id())).as("120 bytes: drop #1").map(LogState::firstSequence).contains(2L);

        log.append(stream.id(), entry(weighing(70)));
        assertThat(log.state(stream.id())).as("150 bytes: drop #2 and #3").map(LogState::firstSequence).contains(4L);

        // 8 + 10 + 6 + 16 = 40: the type and the upstream id weigh as much as the data.
        log.append(stream.id(), new Entry(Optional.of("progress"), "x".repeat(6), Optional.of("up-0000001")));
        assertThat(log.state(stream.id())).as("110 bytes: drop #4").get()
                .returns(5L, LogState::firstSequence)
                .returns(5L, LogState::lastSequence);
        assertThat(log.readAfter(stream.id(), 0, 10).events()).extracting(LoggedEvent::sequence).containsExactly(5L);
    }

    @Test
    void streamsOfIsBoundedByMaxStreams() {
        log = newLog(new ReplayLogLimits(1_000, 1L << 20, TTL, 2));
        opened("s-1", "session-a");
        opened("s-2", "session-a");
        opened("s-3", "session-a");

        assertThat(log.streamsOf(new ProxySessionId("session-a"))).extracting(s -> s.stream().id().value())
                .containsExactly("s-3", "s-2");
    }

    // ---- state ----

    @Test
    void logExpiresAfterTtlSinceLastActivity() {
        StreamInfo stream = opened("s-1", "session-a");
        elapse(MOST_OF_TTL);
        log.append(stream.id(), entry("a"));
        elapse(MOST_OF_TTL);
        assertThat(log.state(stream.id())).as("an append renews the TTL").isPresent();
        log.recordUpstreamCursor(stream.id(), "up-1");
        elapse(MOST_OF_TTL);
        assertThat(log.state(stream.id())).as("recording the upstream cursor renews the TTL").isPresent();
        log.complete(stream.id());
        elapse(MOST_OF_TTL);
        assertThat(log.readAfter(stream.id(), 0, 10).events()).as("completing renews the TTL").hasSize(1);
        elapse(MOST_OF_TTL);

        // Reads renewed nothing: 1.4 TTL since completion. Each call must see the log gone on its own.
        assertThat(log.readAfter(stream.id(), 0, 10)).isEqualTo(LogSlice.missing());
        assertThat(log.awaitAfter(stream.id(), 0, 10, SHORT_TIMEOUT)).isEqualTo(LogSlice.missing());
        assertThat(log.state(stream.id())).isEmpty();
        StreamInfo idle = opened("s-2", "session-a");
        elapse(MOST_OF_TTL);
        elapse(MOST_OF_TTL);
        assertThatThrownBy(() -> log.append(idle.id(), entry("late"))).as("a log nobody writes expires TTL after opening")
                .isInstanceOf(IllegalStateException.class);
        assertThat(log.state(idle.id())).isEmpty();
    }
}
